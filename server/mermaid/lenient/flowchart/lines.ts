/**
 * Line-level clean-up before a flowchart line is read: markdown bullets,
 * trailing comments (`%% …`, `// …`) and splitting at `;`, all outside
 * quotes, brackets and `|edge labels|`. One forward pass per line.
 */
import { isIdChar, linkStartsAt, skipSpaces } from './scan.ts';

/** `- A --> B`, `* A`, `1. A`, `2) A`: a list marker before a statement. */
export function stripBullet(line: string): string {
  const t = line.trimStart();
  if ((t[0] === '-' || t[0] === '*' || t[0] === '+' || t[0] === '•') && t[1] === ' ' && !linkStartsAt(t, skipSpaces(t, 1))) {
    return t.slice(2).trimStart();
  }
  let k = 0;
  while (k < t.length && k < 4 && t[k]! >= '0' && t[k]! <= '9') k++;
  if (k > 0 && (t[k] === '.' || t[k] === ')') && t[k + 1] === ' ') return t.slice(k + 2).trimStart();
  return t;
}

/**
 * Cuts a trailing comment and splits at `;` (both outside quotes, brackets
 * and pipes). A piece that starts with a link belongs to the one before it
 * (`A[x]; --> B`).
 */
export function splitStatements(line: string): string[] {
  return splitLine(line).pieces;
}

/** splitStatements' pieces and the trailing comment it cut (text after `%%`/`//`, trimmed), or null. */
export function splitLine(line: string): { pieces: string[]; comment: string | null } {
  const pieces: string[] = [];
  let comment: string | null = null;
  let depth = 0;
  let quote = false;
  let pipe = false;
  let start = 0;
  let i = 0;
  for (; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      quote = !quote;
      continue;
    }
    if (quote) continue;
    if (c === '[' || c === '(' || c === '{') depth++;
    else if ((c === ']' || c === ')' || c === '}') && depth > 0) depth--;
    else if (c === '|' && depth === 0) pipe = !pipe;
    if (depth > 0 || pipe) continue;
    if ((c === '%' && line[i + 1] === '%') || (c === '/' && line[i + 1] === '/' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t'))) {
      comment = line.slice(i + 2).trim();
      break;
    }
    if (c === ';') {
      pieces.push(line.slice(start, i));
      start = i + 1;
    }
  }
  pieces.push(line.slice(start, i));
  const out: string[] = [];
  for (const raw of pieces) {
    const p = raw.trim();
    if (p === '') continue;
    if (out.length > 0 && linkStartsAt(p, 0)) out[out.length - 1] += ` ${p}`;
    else out.push(p);
  }
  return { pieces: out, comment };
}

const FULL_OPEN: Record<string, string> = { '［': '[', '（': '(', '｛': '{' };
const FULL_CLOSE: Record<string, string> = { '［': '］', '（': '）', '｛': '｝' };

/**
 * Full-width brackets and pipes used as syntax (`A［申請］`, `-->｜否｜`) →
 * ASCII. Only where syntax stands: an opener right after an id character,
 * outside any ASCII label, with its full-width closer; a pipe right after an
 * arrow, with the next full-width pipe. Full-width text inside labels stays.
 */
export function normalizeFullWidth(line: string): string {
  if (!/[［（｛｜]/.test(line)) return line;
  const out = line.split('');
  let depth = 0;
  let quote = false;
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    if (c === '"') quote = !quote;
    if (quote) continue;
    if (c === '[' || c === '(' || c === '{') depth++;
    else if ((c === ']' || c === ')' || c === '}') && depth > 0) depth--;
    if (depth > 0) continue;
    if (c in FULL_OPEN && i > 0 && isIdChar(out[i - 1]) && !(out[i - 1]! in FULL_OPEN)) {
      const close = out.indexOf(FULL_CLOSE[c]!, i + 1);
      if (close === -1) continue;
      out[i] = FULL_OPEN[c]!;
      out[close] = c === '［' ? ']' : c === '（' ? ')' : '}';
      i = close;
      continue;
    }
    if (c === '｜') {
      let k = i - 1;
      while (k >= 0 && out[k] === ' ') k--;
      if (k < 1 || (out[k] !== '>' && out[k] !== '-' && out[k] !== '=')) continue;
      const close = out.indexOf('｜', i + 1);
      if (close === -1) continue;
      out[i] = '|';
      out[close] = '|';
      i = close;
    }
  }
  return out.join('');
}
