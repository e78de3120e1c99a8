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

/** What may follow a node's closing bracket: end, space, `;`, `&`, `:::`, an arrow. */
const AFTER_NODE = /^(?:$|\s|;|&|:::|[-=.~<ox]?[-=.~]|@\{)/;
/** A node id right before the opener (ids may contain '-', but not end with it: `A-->`). */
const NODE_ID = /[\p{L}\p{N}_](?:[\p{L}\p{N}_-]*[\p{L}\p{N}_])?$/u;

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
    if (ch === '|' && /(?:--[->ox]?|==[=>]?|-\.->?|~~~)\s*$/.test(line.slice(0, i))) {
      const close = line.indexOf('|', i + 1);
      if (close === -1) {
        labels.push({ start: i + 1, end: line.length, kind: 'edge' });
        break;
      }
      labels.push({ start: i + 1, end: close, kind: 'edge' });
      i = close + 1;
      continue;
    }
    const edgeText = /^(\s(?:--|==|-\.)\s+)(.+?)(\s+(?:-->|---|==>|===|\.->|-\.-|--[ox]))(?=\s|$|\w)/.exec(line.slice(i));
    if (edgeText && i > 0 && !/[-=.]/.test(line[i - 1]!)) {
      const start = i + edgeText[1]!.length;
      labels.push({ start, end: start + edgeText[2]!.length, kind: 'edge' });
      i = start + edgeText[2]!.length + edgeText[3]!.length;
      continue;
    }
    let shape = NODE_ID.test(line.slice(0, i)) ? SHAPES.find(([open]) => line.startsWith(open, i)) : undefined;
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
      if (!AFTER_NODE.test(line.slice(k + c.length))) continue;
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
