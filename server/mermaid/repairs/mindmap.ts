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

/**
 * A mind map with several roots (an error: "There can be only one root"):
 * every line after the first root is indented one step more, so the later
 * roots become children of the first with their branches as written; each
 * moved root is named in `changes` (`joined-roots`). Nothing is dropped or
 * made up (a new common root would need a name the model never wrote).
 */
export const mindmapRoots: Repair = {
  name: 'mindmap-roots',
  apply(code) {
    const body = bodyOf(code, 'mindmap');
    if (!body) return code;
    const nodes = nodeLines(body.lines, body.header);
    if (nodes.length < 2) return code;
    const rootCol = nodes[0]!.col;
    const lowest = Math.min(...nodes.slice(1).map((n) => n.col));
    if (lowest > rootCol) return code;
    const pad = ' '.repeat(rootCol - lowest + 2);
    const lines = [...body.lines];
    for (const n of nodes.slice(1)) lines[n.index] = pad + lines[n.index]!.replace(/^\t+/, (tabs) => '    '.repeat(tabs.length));
    return lines.join('\n');
  },
  changes(before) {
    const body = bodyOf(before, 'mindmap');
    if (!body) return [];
    const nodes = nodeLines(body.lines, body.header);
    const root = nodes[0];
    if (!root) return [];
    return nodes
      .slice(1)
      .filter((n) => n.col <= root.col)
      .map((n) => ({
        kind: 'joined-roots' as const,
        message: `A mind map has one root: “${body.lines[n.index]!.trim()}” and its branch are drawn under the first root, “${body.lines[root.index]!.trim()}”.`,
        line: n.index + 1,
      }));
  },
};

/** The node lines after the header (not blank, not comments, not `::icon`/`:::class` lines) and their columns. */
function nodeLines(lines: string[], header: number): Array<{ index: number; col: number }> {
  const out: Array<{ index: number; col: number }> = [];
  for (let i = header + 1; i < lines.length; i++) {
    const l = lines[i]!;
    const t = l.trim();
    if (t === '' || t.startsWith('%%') || t.startsWith('::') || t.startsWith('```')) continue;
    out.push({ index: i, col: columns(/^[ \t]*/.exec(l)![0], 4) });
  }
  return out;
}
