/**
 * Just enough of flowchart syntax for the repairs: which lines are
 * statements, where node and edge labels are, and how to hide labels so a
 * repair that works on ids and arrows cannot touch the words inside them.
 * Pure, no mermaid import; line-based, like the models' output.
 */
import { FLOWCHART_HEADER } from './keywords.ts';

/** Index of the header line of a flowchart (`flowchart …` / `graph …`), or -1. */
export function flowchartHeaderIndex(lines: string[]): number {
  let inFrontMatter = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*---\s*$/.test(line)) {
      inFrontMatter = !inFrontMatter;
      continue;
    }
    if (inFrontMatter || line.trim() === '' || /^\s*%%/.test(line)) continue;
    return FLOWCHART_HEADER.test(line) ? i : -1;
  }
  return -1;
}

export function isFlowchart(code: string): boolean {
  return flowchartHeaderIndex(code.split('\n')) !== -1;
}

/** Shape openers, longest first, with the closers that end them. */
const SHAPES: Array<[string, string[]]> = [
  ['(((', [')))']],
  ['((', ['))']],
  ['([', ['])']],
  ['[[', [']]']],
  ['[(', [')]']],
  ['[/', ['/]', '\\]']],
  ['[\\', ['\\]', '/]']],
  ['{{', ['}}']],
  ['[', [']']],
  ['(', [')']],
  ['{', ['}']],
  ['>', [']']],
];

/** What may follow a node's closing bracket: end, space, `;`, `&`, `:::`, an arrow (sticky: set lastIndex). */
const AFTER_NODE = /(?:$|\s|;|&|:::|[-=.~<ox]?[-=.~]|@\{)/y;

function followsNode(line: string, at: number): boolean {
  AFTER_NODE.lastIndex = at;
  return AFTER_NODE.test(line);
}

/**
 * A node id ends right before `at` (ids may contain '-', but not end with it:
 * `A-->`): the character before is a letter, digit or `_`. Looked at directly:
 * a `…$` pattern on the text before each character is quadratic per line.
 */
function idEndsAt(line: string, at: number): boolean {
  if (at === 0) return false;
  const low = line.charCodeAt(at - 1);
  const char = low >= 0xdc00 && low <= 0xdfff && at >= 2 ? line.slice(at - 2, at) : line[at - 1]!;
  return /^[\p{L}\p{N}_]$/u.test(char);
}

/** The text before `at` ends with an edge (`--`, `-->`, `==>`, `-.->`, `~~~`…) and optional spaces: a `|label|` may start. */
function edgeEndsAt(line: string, at: number): boolean {
  let k = at;
  while (k > 0 && /\s/.test(line[k - 1]!)) k--;
  const before = line.slice(Math.max(0, k - 4), k);
  return /(?:--[->ox]?|==[=>]?|-\.->?|~~~)$/.test(before);
}

const EDGE_TEXT_CLOSERS = ['-->', '---', '==>', '===', '.->', '-.-', '--o', '--x'];

/**
 * `A -- text --> B` style edge text starting at `i`: what
 * `^(\s(?:--|==|-\.)\s+)(.+?)(\s+(?:-->|---|==>|===|\.->|-\.-|--[ox]))(?=\s|$|\w)`
 * matches on `line.slice(i)`, as lengths, found by a scan (that pattern is
 * cubic on long runs of spaces). Null when it does not match.
 */
export function edgeTextAt(line: string, i: number): { open: number; label: number; close: number } | null {
  const isSpace = (k: number) => k < line.length && /\s/.test(line[k]!);
  if (!isSpace(i) || !/^(?:--|==|-\.)/.test(line.slice(i + 1, i + 3)) || !isSpace(i + 3)) return null;
  let s = i + 3;
  while (isSpace(s)) s++;
  /** The closing arrow at `b` (after a whitespace run), with what may follow it; its length or 0. */
  const arrowAt = (b: number) => {
    for (const arrow of EDGE_TEXT_CLOSERS) {
      if (!line.startsWith(arrow, b)) continue;
      const after = b + arrow.length;
      if (after === line.length || /[\s\w]/.test(line[after]!)) return arrow.length;
    }
    return 0;
  };
  // Lazy label from the first non-space: the first whitespace run after it that ends at an arrow.
  // `.` stops at line terminators, so the label cannot cross one.
  for (let k = s; k < line.length; k++) {
    const c = line[k]!;
    if (k > s && isSpace(k) && !isSpace(k - 1)) {
      let b = k;
      while (isSpace(b)) b++;
      const arrow = arrowAt(b);
      if (arrow) return { open: s - i, label: k - s, close: b - k + arrow };
    }
    if (/[\n\r\u2028\u2029]/.test(c)) break;
  }
  // Backtracking into the opening spaces: a one-space label between them and the
  // arrow, the last one that is not a line terminator, keeping one space each side.
  const arrow = arrowAt(s);
  if (!arrow) return null;
  for (let q = s - 2; q >= i + 4; q--) {
    if (!/[\n\r\u2028\u2029]/.test(line[q]!)) return { open: q - i, label: 1, close: s - q - 1 + arrow };
  }
  return null;
}

export interface Label {
  /** Offsets of the text between the brackets / pipes / edge dashes. */
  start: number;
  end: number;
  kind: 'node' | 'edge';
}

/** Finds node labels (`A[…]`, `B{…}`, `C((…))`…) and edge labels (`-->|…|`, `-- … -->`) in one line. */
export function findLabels(line: string): Label[] {
  const labels: Label[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === '|' && edgeEndsAt(line, i)) {
      const close = line.indexOf('|', i + 1);
      if (close === -1) {
        labels.push({ start: i + 1, end: line.length, kind: 'edge' });
        break;
      }
      labels.push({ start: i + 1, end: close, kind: 'edge' });
      i = close + 1;
      continue;
    }
    const edgeText = i > 0 && !/[-=.]/.test(line[i - 1]!) ? edgeTextAt(line, i) : null;
    if (edgeText) {
      const start = i + edgeText.open;
      labels.push({ start, end: start + edgeText.label, kind: 'edge' });
      i = start + edgeText.label + edgeText.close;
      continue;
    }
    let shape = idEndsAt(line, i) ? SHAPES.find(([open]) => line.startsWith(open, i)) : undefined;
    // `A[/api/orders]`: a label starting with a slash, not a parallelogram (no `/]` closes it).
    if (shape && (shape[0] === '[/' || shape[0] === '[\\') && findCloser(line, i + 2, shape[1]) === -1 && findCloser(line, i + 1, [']']) !== -1) {
      shape = ['[', [']']];
    }
    if (shape) {
      const [open, closers] = shape;
      const start = i + open.length;
      const end = findCloser(line, start, closers);
      if (end !== -1) {
        labels.push({ start, end, kind: 'node' });
        i = end + closers.find((c) => line.startsWith(c, end))!.length;
        continue;
      }
      // No closer on this line: an unterminated label (cut output) runs to the end.
      labels.push({ start, end: line.length, kind: 'node' });
      break;
    }
    if (ch === '"') {
      // A quoted string outside a label (e.g. subgraph title): skip it whole.
      const close = line.indexOf('"', i + 1);
      i = close === -1 ? line.length : close + 1;
      continue;
    }
    i++;
  }
  return labels;
}

/**
 * The first closer that is followed by something a node may be followed by.
 * Inside a quoted label ("…"), closers do not count until the quote ends.
 */
function findCloser(line: string, from: number, closers: string[]): number {
  const quoted = line[from] === '"';
  let candidate = -1;
  for (let k = from; k < line.length; k++) {
    for (const c of closers) {
      if (!line.startsWith(c, k)) continue;
      if (!followsNode(line, k + c.length)) continue;
      if (quoted && line[k - 1] !== '"') {
        if (candidate === -1) candidate = k; // a fallback if the quotes are broken
        continue;
      }
      return k;
    }
  }
  return candidate;
}

/** Applies `fn` to every label's text; everything else in the line is kept byte for byte. */
export function mapLabels(line: string, fn: (text: string, kind: Label['kind']) => string): string {
  const labels = findLabels(line);
  let out = '';
  let last = 0;
  for (const l of labels) {
    out += line.slice(last, l.start) + fn(line.slice(l.start, l.end), l.kind);
    last = l.end;
  }
  return out + line.slice(last);
}

/**
 * Replaces label texts by placeholders (so ids and arrows can be edited
 * safely) and gives back a function that puts them back.
 */
export function maskLabels(line: string): { masked: string; unmask: (s: string) => string } {
  const saved: string[] = [];
  const masked = mapLabels(line, (text) => {
    saved.push(text);
    return `\u0000${saved.length - 1}\u0000`;
  });
  return { masked, unmask: (s) => s.replace(/\u0000(\d+)\u0000/g, (_, n: string) => saved[Number(n)] ?? '') };
}

/** Applies `fn` to each statement line of a flowchart (not header, front matter or comments). */
export function mapFlowchartLines(code: string, fn: (line: string, index: number) => string): string {
  const lines = code.split('\n');
  const header = flowchartHeaderIndex(lines);
  if (header === -1) return code;
  for (let i = header + 1; i < lines.length; i++) {
    if (/^\s*%%/.test(lines[i]!)) continue;
    lines[i] = fn(lines[i]!, i);
  }
  return lines.join('\n');
}
