import { bodyOf } from '../body.ts';
import { plainNumber, quoted, unquote } from './text.ts';
import type { Repair } from './types.ts';

/** A point: `Name: [x, y]` and what follows (a `radius: 10` style, a `:::class`). */
interface Point {
  indent: string;
  name: string;
  x: string;
  y: string;
  rest: string;
}

function parsePoint(line: string): Point | null {
  const open = line.lastIndexOf('[');
  const close = line.indexOf(']', open);
  if (open === -1 || close === -1) return null;
  const head = line.slice(0, open).trimEnd();
  if (!head.endsWith(':')) return null;
  const coords = line.slice(open + 1, close).split(',');
  if (coords.length !== 2) return null;
  const indent = /^[ \t]*/.exec(line)![0];
  return { indent, name: head.slice(indent.length, -1).trim(), x: coords[0]!.trim(), y: coords[1]!.trim(), rest: line.slice(close + 1) };
}

/** Names Mermaid reads unquoted: letters (any script), digits, spaces, `_`, `-`, `.`. */
const PLAIN_NAME = /^[\p{L}\p{M}\p{N} _.-]+$/u;

/**
 * Quadrant-chart points: coordinates written on 0–100 (or as `30%`) →
 * 0–1, all points alike (Mermaid only takes 0–1; the relative placement is
 * kept); a point name with parentheses, quotes or other punctuation is
 * quoted (`Task A (urgent): [0.3, 0.6]` is a lexer error).
 */
export const quadrantPoints: Repair = {
  name: 'quadrant-points',
  apply(code) {
    const body = bodyOf(code, 'quadrant');
    if (!body) return code;
    const { lines, header } = body;
    const points = new Map<number, Point>();
    for (let i = header + 1; i < lines.length; i++) {
      const p = parsePoint(lines[i]!);
      if (p) points.set(i, p);
    }
    const values = [...points.values()].flatMap((p) => [p.x, p.y]);
    const numbers = values.map((v) => plainNumber(v));
    if (numbers.some((n) => n === null)) return code;
    const scale = numbers.some((n) => Number(n) > 1) && numbers.every((n) => Number(n) <= 100) ? 100 : 1;
    let changed = false;
    for (const [i, p] of points) {
      const x = String(Number(plainNumber(p.x)) / scale);
      const y = String(Number(plainNumber(p.y)) / scale);
      const bare = unquote(p.name);
      const name = PLAIN_NAME.test(p.name) || /^"[^"]+"$/.test(p.name) ? p.name : quoted(bare);
      if (scale === 1 && name === p.name && x === p.x && y === p.y) continue;
      if (scale === 1 && name === p.name && Number(x) === Number(p.x) && Number(y) === Number(p.y)) continue;
      lines[i] = `${p.indent}${name}: [${x}, ${y}]${p.rest}`;
      changed = true;
    }
    return changed ? lines.join('\n') : code;
  },
};
