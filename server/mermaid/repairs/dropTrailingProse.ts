import { isProseLine } from '../prose.ts';
import type { Repair } from './types.ts';

/** Removes sentences and Markdown after the last diagram line ("This diagram shows…"). */
export const dropTrailingProse: Repair = {
  name: 'drop-trailing-prose',
  apply(code) {
    const lines = code.split('\n');
    let end = lines.length;
    while (end > 1 && (lines[end - 1]!.trim() === '' || isProseLine(lines[end - 1]!))) end--;
    if (end === lines.length) return code;
    return lines.slice(0, end).join('\n');
  },
};
