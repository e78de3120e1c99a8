/**
 * Character scanners for one flowchart statement: node references, shapes
 * with their labels, links with their texts. Hand-written (no regex
 * backtracking): each scanner moves forward only, so a line is read in
 * linear time whatever it contains.
 */
import type { Arrow, Head, LineType, Link, NodeRef, Shape } from './model.ts';
import { isReservedId } from './reserved.ts';

/** Shape openers, longest first, with their closer. */
const SHAPES: ReadonlyArray<readonly [string, string, Shape]> = [
  ['(((', ')))', 'double-circle'],
  ['((', '))', 'circle'],
  ['([', '])', 'stadium'],
  ['[[', ']]', 'subroutine'],
  ['[(', ')]', 'cylinder'],
  ['{{', '}}', 'hexagon'],
  ['[/', '/]', 'lean-right'],
  ['[\\', '\\]', 'lean-left'],
  ['[', ']', 'rect'],
  ['(', ')', 'round'],
  ['{', '}', 'rhombus'],
  ['>', ']', 'asymmetric'],
];

export function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\u00a0' || c === '\u3000';
}

/** Letters, digits, `_`, and any non-ASCII character that is not a space or a quote. */
export function isIdChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || c === '_';
  return !isSpace(c) && !'“”„‘’«»'.includes(c);
}

export function skipSpaces(s: string, i: number): number {
  while (isSpace(s[i])) i++;
  return i;
}

const LINK_CHARS = '-=.~';

/** True when a link starts at i (after spaces): `-->`, `==>`, `-.->`, `~~~`, `<-->`, `o--o`, `-- text`. */
export function linkStartsAt(s: string, i: number): boolean {
  let j = i;
  if (s[j] === '<') j++;
  else if ((s[j] === 'o' || s[j] === 'x') && (s[j + 1] === '-' || s[j + 1] === '=') && s[j + 2] === s[j + 1]) j++;
  let n = 0;
  while (LINK_CHARS.includes(s[j] ?? '\u0000') && s[j] !== undefined) {
    j++;
    n++;
  }
  if (n >= 2) return true;
  // `->`, `=>` (one dash and a head): a common slip for `-->`.
  return n === 1 && (s[j - 1] === '-' || s[j - 1] === '=') && s[j] === '>';
}

/** An id: id characters with inner `-`/`.` (`my-node`, `v1.2`), never the start of a link. */
export function readIdChars(s: string, i: number): number {
  let j = i;
  while (j < s.length) {
    const c = s[j]!;
    if (isIdChar(c)) {
      j++;
      continue;
    }
    if ((c === '-' || c === '.') && j > i && isIdChar(s[j + 1])) {
      j++;
      continue;
    }
    break;
  }
  return j;
}

/** Characters after which a shape's closer really ends the node. */
function endsNode(s: string, k: number): boolean {
  const c = s[k];
  return c === undefined || isSpace(c) || ';&:-=.~<>|,)'.includes(c) || (c === 'o' || c === 'x' ? !isIdChar(s[k + 1]) : false);
}

export interface ShapeRead {
  shape: Shape;
  label: string;
  /** Index after the closer (or end of text when unclosed). */
  end: number;
  unclosed: boolean;
}

/** A shape with its label at i (the opener), or null when none starts there. */
export function readShape(s: string, i: number): ShapeRead | null {
  const found = SHAPES.find(([open]) => s.startsWith(open, i));
  if (!found) return null;
  let [open, close, shape] = found;
  // `A[/api/orders]`: a slash-started label, not a parallelogram, when no `/]` or `\]` closes it.
  if ((open === '[/' || open === '[\\') && closerAt(s, i + 2, ['/]', '\\]']) === -1) {
    [open, close, shape] = ['[', ']', 'rect'];
  }
  const from = i + open.length;
  const closers = open === '[/' || open === '[\\' ? ['/]', '\\]'] : [close];
  const at = closerAt(s, from, closers);
  if (at === -1) return { shape, label: s.slice(from), end: s.length, unclosed: true };
  const closer = closers.find((c) => s.startsWith(c, at))!;
  if (open === '[/' && closer === '\\]') shape = 'trapezoid';
  if (open === '[\\' && closer === '/]') shape = 'trapezoid-alt';
  return { shape, label: s.slice(from, at), end: at + closer.length, unclosed: false };
}

/**
 * The closer that ends a label starting at `from`. A quoted label ends at a
 * quote followed by the closer; otherwise the first closer followed by what
 * may follow a node (so `Pay (card)` inside `(…)` keeps its parenthesis);
 * failing that, the last closer on the line.
 */
function closerAt(s: string, from: number, closers: readonly string[]): number {
  const q = skipSpaces(s, from);
  if (s[q] === '"') {
    for (let k = q + 1; k < s.length; k++) {
      if (s[k] !== '"') continue;
      const after = skipSpaces(s, k + 1);
      for (const c of closers) if (s.startsWith(c, after) && endsNode(s, after + c.length)) return after;
    }
  }
  let last = -1;
  for (let k = from; k < s.length; k++) {
    for (const c of closers) {
      if (!s.startsWith(c, k)) continue;
      if (endsNode(s, k + c.length)) return k;
      last = k;
    }
  }
  return last;
}

export interface NodeRead {
  node: NodeRef;
  end: number;
  /** A label opened and never closed (a cut line). */
  unclosed: boolean;
}

/**
 * A node reference at i: `A`, `A["x"]`, `"Quoted text"`, `Check stock` (words
 * that are one id in the model's mind), `["no id"]`, each with optional `:::cls`.
 */
export function readNode(s: string, i: number, allowSpaced: boolean): NodeRead | null {
  let raw = '';
  let needsId = false;
  let j = i;
  const quote = s[i] === '"' ? '"' : s[i] === '“' ? '”' : s[i] === "'" ? "'" : null;
  if (quote) {
    const close = s.indexOf(quote, i + 1);
    if (close === -1) return null;
    raw = s.slice(i + 1, close).trim();
    needsId = true;
    j = close + 1;
  } else {
    j = readIdChars(s, i);
    raw = s.slice(i, j);
    // Words separated by single spaces, none of them a link or keyword: `Check stock --> Ship`.
    while (allowSpaced && j > i) {
      const k = skipSpaces(s, j);
      if (k === j || !isIdChar(s[k]) || linkStartsAt(s, k)) break;
      const e = readIdChars(s, k);
      const word = s.slice(k, e);
      if (isStatementWord(word)) break;
      raw += ` ${word}`;
      needsId = true;
      j = e;
    }
  }
  const node: NodeRef = { raw, needsId: needsId || (raw !== '' && !isPlainId(raw)), classes: [] };
  let unclosed = false;
  const shape = readShape(s, j);
  if (shape && (raw !== '' || s[j] !== '>')) {
    node.shape = shape.shape;
    node.label = shape.label;
    j = shape.end;
    unclosed = shape.unclosed;
  }
  if (raw === '' && node.label === undefined) return null;
  if (raw === '') node.needsId = true;
  while (s.startsWith(':::', j)) {
    const e = readIdChars(s, j + 3);
    if (e === j + 3) break;
    node.classes.push(s.slice(j + 3, e));
    j = e;
  }
  return { node, end: j, unclosed };
}

/** Ids Mermaid takes as written: letters of any script, ASCII digits, `_`, inner `-`; no keyword. */
export function isPlainId(id: string): boolean {
  if (id === '' || isReservedId(id)) return false;
  for (let k = 0; k < id.length; k++) {
    const c = id[k]!;
    const ascii = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_';
    if (ascii || (c === '-' && k > 0 && k < id.length - 1)) continue;
    if (c.charCodeAt(0) < 128 || !LETTER.test(c)) return false;
  }
  return true;
}

const LETTER = /^\p{L}$/u;

/** Words that start a statement of their own: never the second word of a spaced id. */
function isStatementWord(word: string): boolean {
  return ['subgraph', 'end', 'style', 'class', 'classDef', 'linkStyle', 'click', 'direction'].includes(word);
}

export interface LinkRead {
  link: Link;
  end: number;
  /** `D -- "text"` with no arrow after the text. */
  dangling?: string;
  /** `-->|label` with no closing pipe: where the label starts; the caller finds the target after it. */
  openPipe?: number;
}

/** A link at i (spaces skipped), with its text in any of the forms models write. */
export function readLink(s: string, i: number): LinkRead | null {
  i = skipSpaces(s, i);
  if (!linkStartsAt(s, i)) return null;
  const first = readArrow(s, i);
  let end = first.end;
  let label: string | undefined;
  let mixed = false;
  // `-- text -->`, `== text ==>`, `-. text .->` (and the mixed `== ok -->`).
  if (first.open) {
    const close = findClosingArrow(s, end);
    if (close === null) {
      const text = s.slice(end).trim();
      return { link: { arrow: first.arrow }, end: s.length, dangling: text };
    }
    label = s.slice(end, close.start).trim();
    end = close.end;
    if (close.arrow.line !== first.arrow.line) mixed = true;
    first.arrow = close.arrow;
  }
  const p = skipSpaces(s, end);
  if (s[p] === '|') {
    const close = s.indexOf('|', p + 1);
    if (close === -1) {
      const link: Link = { arrow: first.arrow };
      if (label) link.label = label;
      return { link, end: s.length, openPipe: p + 1 };
    }
    label = joinLabels(label, s.slice(p + 1, close));
    end = close + 1;
    if (s[end] === '>') end++; // `-->|x|>`: the head written again after the label
  }
  const link: Link = { arrow: first.arrow };
  if (label !== undefined && label.trim() !== '') link.label = label.trim();
  if (first.reversed) link.reversed = true;
  if (mixed) link.mixed = true;
  return { link, end };
}

export function joinLabels(a: string | undefined, b: string): string {
  const t = b.trim();
  return a && a.trim() !== '' ? (t === '' ? a.trim() : `${a.trim()} ${t}`) : t;
}

interface ArrowRead {
  arrow: Arrow;
  end: number;
  /** `--`, `==`, `-.` followed by text: a link whose text comes before the closing arrow. */
  open: boolean;
  /** `<--`: a head at the source only. */
  reversed: boolean;
}

/** The arrow at i: optional start head, a run of `-=.~`, optional end head (`-- >` with a space too). */
function readArrow(s: string, i: number): ArrowRead {
  let j = i;
  let startHead: Head = '';
  if (s[j] === '<') {
    startHead = '>';
    j++;
  } else if ((s[j] === 'o' || s[j] === 'x') && !LINK_CHARS.includes(s[j - 1] ?? ' ')) {
    startHead = s[j] as Head;
    j++;
  }
  const runStart = j;
  while (j < s.length && LINK_CHARS.includes(s[j]!)) j++;
  const run = s.slice(runStart, j);
  let head: Head = '';
  if (s[j] === '>') {
    head = '>';
    j++;
    while (s[j] === '>') j++; // `->>`, `-->>`: a sequence arrow in a flowchart
  } else if ((s[j] === 'o' || s[j] === 'x') && !isIdChar(s[j + 1])) {
    head = s[j] as Head;
    j++;
  } else if (run.length >= 2 && isSpace(s[j])) {
    // `-- >`: the head written apart (Mermaid would read `> B` as edge text).
    const k = skipSpaces(s, j);
    if (s[k] === '>' && (isSpace(s[k + 1]) || isIdChar(s[k + 1]) || s[k + 1] === '|')) {
      head = '>';
      j = k + 1;
    }
  }
  const line = lineOf(run);
  const reversed = startHead === '>' && head === '';
  const arrow: Arrow = reversed
    ? { line, head: '>', startHead: '', extra: extraOf(run, line, '>') }
    : { line, head, startHead, extra: extraOf(run, line, head) };
  const open = head === '' && (run === '--' || run === '==' || run === '-.') && startHead === '' && isSpace(s[j]) && !linkStartsAt(s, skipSpaces(s, j));
  return { arrow, end: j, open: open && textFollows(s, j), reversed };
}

/** After `--`: is there text (not the end of the statement)? */
function textFollows(s: string, j: number): boolean {
  const k = skipSpaces(s, j);
  return k < s.length && s[k] !== ';';
}

function lineOf(run: string): LineType {
  if (run.includes('~')) return 'invisible';
  if (run.includes('=')) return 'thick';
  if (run.includes('.')) return 'dotted';
  return 'solid';
}

function extraOf(run: string, line: LineType, head: Head): number {
  if (line === 'dotted') return Math.max(0, run.split('.').length - 2);
  if (line === 'invisible') return 0;
  const min = head === '' ? 3 : 2;
  return Math.max(0, Math.min(run.length - min, 3));
}

/** The arrow that closes a link text: `-->`, `---`, `==>`, `===`, `.->`, `-.->`, `--x`, `--o`. */
function findClosingArrow(s: string, from: number): { start: number; end: number; arrow: Arrow } | null {
  for (let k = from; k < s.length; k++) {
    const c = s[k]!;
    if (c !== '-' && c !== '=' && c !== '.') continue;
    if (k > from && !isSpace(s[k - 1]) && s[k - 1] !== '"') continue;
    let j = k;
    while (j < s.length && LINK_CHARS.includes(s[j]!)) j++;
    const run = s.slice(k, j);
    const headChar = s[j];
    const hasHead = headChar === '>' || ((headChar === 'o' || headChar === 'x') && !isIdChar(s[j + 1]));
    if (run.length < 2 || (!hasHead && run.length < 3)) {
      k = j;
      continue;
    }
    const head: Head = hasHead ? (headChar as Head) : '';
    const line = run.startsWith('.') ? 'dotted' : lineOf(run);
    return { start: k, end: j + (hasHead ? 1 : 0), arrow: { line, head, startHead: '', extra: extraOf(run, line, head) } };
  }
  return null;
}
