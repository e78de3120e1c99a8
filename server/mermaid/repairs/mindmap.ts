import { bodyOf, entity, mapBody } from '../body.ts';
import type { Repair } from './types.ts';

/**
 * Indentation that mixes tabs and spaces: Mermaid counts a tab as one
 * character, so `\tBudget` under a root indented by four spaces is read as a
 * second root, and `\tRoute` after `    Budget` as Budget's sibling where the
 * model's editor showed a child. Tabs become spaces, at the tab width (2, 4
 * or 8) that gives one root and the fewest lines dedented to a depth no
 * earlier line had (a ragged tree); 4 on a tie, as editors show them.
 * Tab-only or space-only indentation is left as written.
 */
export const mindmapIndent: Repair = {
  name: 'mindmap-indent',
  whenValid: true,
  apply(code) {
    const body = bodyOf(code, 'mindmap');
    if (!body) return code;
    const indents = body.lines.slice(body.header + 1).filter((l) => l.trim() !== '' && !/^\s*%%/.test(l)).map((l) => /^[ \t]*/.exec(l)![0]);
    const tabs = indents.some((i) => i.includes('\t'));
    const spaces = indents.some((i) => i.includes(' '));
    if (!tabs || !spaces) return code;
    const width = [4, 8, 2].map((w) => ({ w, cost: raggedness(indents.map((i) => columns(i, w))) })).sort((a, b) => a.cost - b.cost)[0]!.w;
    return mapBody(code, 'mindmap', (line) => line.replace(/^[ \t]+/, (ws) => ' '.repeat(columns(ws, width))));
  },
};

/** The column an indentation reaches with tabs of `width` (tab stops, as editors draw them). */
function columns(indent: string, width: number): number {
  let col = 0;
  for (const ch of indent) col = ch === '\t' ? (Math.floor(col / width) + 1) * width : col + 1;
  return col;
}

/** Extra roots cost most; then every line dedented to a column no open ancestor has. */
function raggedness(cols: number[]): number {
  let cost = 0;
  const stack: number[] = [];
  cols.forEach((col, i) => {
    if (i > 0 && col <= cols[0]!) cost += 100;
    while (stack.length > 0 && stack[stack.length - 1]! > col) stack.pop();
    if (stack.length > 0 && stack[stack.length - 1]! !== col && i > 0 && cols[i - 1]! > col) cost++;
    if (stack[stack.length - 1] !== col) stack.push(col);
  });
  return cost;
}

/** Shape openers of a mindmap node and their closers. */
const SHAPES: Array<[string, string]> = [
  ['((', '))'],
  ['))', '(('],
  ['{{', '}}'],
  ['[', ']'],
  ['(', ')'],
  [')', '('],
];
const BRACKETS = /[()[\]{}]/g;

/**
 * Brackets in a node's text. In a shape (`b[Budget (EUR)]`, an error) the
 * text is quoted: `b["Budget (EUR)"]`. In plain text they are read as a
 * shape: `Budget (EUR)` is drawn as a round node saying only "EUR";
 * `(optional) Budget` and `{json}` are errors. There they become entity
 * codes (`Budget #40;EUR#41;`), drawn as the same characters.
 */
export const mindmapText: Repair = {
  name: 'mindmap-text',
  whenValid: true,
  apply(code) {
    return mapBody(code, 'mindmap', (line) => {
      const indent = /^\s*/.exec(line)![0];
      const text = line.trim();
      if (text === '' || /^::|`|^:::/.test(text) || !/[()[\]{}]/.test(text)) return line;
      const empty = /^([^\s()[\]{}]+)(?:\[\s*\]|\(\(\s*\)\)|\(\s*\)|\{\{\s*\}\})$/.exec(text);
      if (empty) return indent + empty[1]; // `b[]`: the node keeps its id as its text
      const node = shapeNode(text);
      if (node) {
        const [id, open, inner, close] = node;
        if (/^".*"$/.test(inner.trim()) || !/[()[\]{}]/.test(inner)) return line;
        return `${indent}${id}${open}"${inner.replace(/"/g, '#quot;')}"${close}`;
      }
      // A shape without an id (`[Budget]`), or after a short id and a space (`b [Budget]`), is a shape.
      if (/^(?:\(\(|\[|\(|\{\{|\)\)|\))[^()[\]{}]*(?:\)\)|\]|\)|\}\}|\(\(|\()$/.test(text)) return line;
      if (/^[a-z][a-z0-9_]{0,3} +(?:\(\(|\[|\(|\{\{)[^()[\]{}]*(?:\)\)|\]|\)|\}\})$/.test(text)) return line;
      return indent + text.replace(BRACKETS, entity);
    });
  },
};

/** `id[text]`, `id((text))`… with the id attached to its opener: [id, opener, text, closer]. */
function shapeNode(text: string): [string, string, string, string] | null {
  const m = /^([^\s()[\]{}]+)([(){}[\]]{1,2})/.exec(text);
  if (!m) return null;
  for (const [open, close] of SHAPES) {
    if (!text.startsWith(open, m[1]!.length) || !text.endsWith(close)) continue;
    const inner = text.slice(m[1]!.length + open.length, text.length - close.length);
    if (inner.length > 0) return [m[1]!, open, inner, close];
  }
  return null;
}

/**
 * Markdown list and heading markers (`- Budget`, `* Route`, `# Trip`):
 * a mind map is already a list, and Mermaid draws the marker as text.
 */
export const mindmapBullets: Repair = {
  name: 'mindmap-bullets',
  whenValid: true,
  apply(code) {
    return mapBody(code, 'mindmap', (line) => line.replace(/^(\s*)(?:[-*+]|#{1,6})\s+(?=\S)/, '$1'));
  },
};
