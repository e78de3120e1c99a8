import { bodyOf, kindOf } from '../body.ts';
import { balanceBlocks } from './sequence.ts';
import type { Repair } from './types.ts';

/**
 * Braces left open — a class body, an ER entity's attributes, a composite
 * state, a namespace — are closed, before the first line indented back to
 * the opener's level when the body was indented, else at the end. A `}`
 * that closes nothing goes. In a state diagram, an `end` closing a
 * composite state becomes `}`.
 */
export const closeBraces: Repair = {
  name: 'close-braces',
  apply(code) {
    const kind = kindOf(code);
    if (kind !== 'state' && kind !== 'class' && kind !== 'er') return code;
    const body = bodyOf(code, kind)!;
    const lines = [...body.lines];
    let changed = false;
    if (kind === 'state') {
      let depth = 0;
      for (let i = body.header + 1; i < lines.length; i++) {
        const line = lines[i]!;
        if (/\{\s*$/.test(line)) depth++;
        else if (/^\s*\}\s*$/.test(line)) depth = Math.max(0, depth - 1);
        else if (depth > 0 && /^\s*end\s*$/.test(line)) {
          lines[i] = line.replace('end', '}');
          depth--;
          changed = true;
        }
      }
    }
    const out = balanceBlocks(lines, body.header, {
      opens: (l) => /\{\s*$/.test(l) && !/^\s*%%/.test(l),
      middle: (l) => kind === 'state' && /^\s*--\s*$/.test(l),
      closes: (l) => /^\}(?:\s*;)?$/.test(l.trim()),
      closer: (indent) => `${indent}}`,
    });
    return out ?? (changed ? lines.join('\n') : code);
  },
};
