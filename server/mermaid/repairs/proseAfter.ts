import { bodyOf, kindOf } from '../body.ts';
import { isProseLine } from '../prose.ts';
import type { Repair } from './types.ts';

/**
 * A sentence after a diagram Mermaid accepts, in an answer without a fence
 * (`Hinweis: Abgelehnte Anträge …` after a state diagram, `Cada bloque
 * representa …` after a block diagram): Mermaid draws it as one more state,
 * period or block. When every statement of the diagram is indented and the
 * last lines are prose at the left margin, those lines go. Not for
 * flowcharts (their reader handles prose).
 */
export const proseAfter: Repair = {
  name: 'prose-after',
  whenValid: true,
  apply(code) {
    const kind = kindOf(code);
    if (kind === null || kind === 'flowchart') return code;
    const body = bodyOf(code, kind);
    if (!body) return code;
    const { lines, header } = body;
    let end = lines.length;
    while (end > header + 1 && (lines[end - 1]!.trim() === '' || (/^\S/.test(lines[end - 1]!) && isProseLine(lines[end - 1]!)))) end--;
    if (end === lines.length || end <= header + 1) return code;
    const statements = lines.slice(header + 1, end).filter((l) => l.trim() !== '');
    if (statements.length === 0 || !statements.every((l) => /^\s/.test(l))) return code;
    return lines.slice(0, end).join('\n');
  },
};
