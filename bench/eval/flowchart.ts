/**
 * Nodes (id → label) and edges of a Mermaid flowchart, read leniently for
 * scoring only: one statement per line (or `;`-separated), chains such as
 * `a --> b --> c` and `a & b --> c`, the usual shapes, quoted or bare labels,
 * edge labels in `|…|` or `-- text -->` form. Subgraph titles, styling and
 * comments are skipped. This is not a validator: Mermaid's parser has
 * already judged the code; here we only need what it draws.
 */

export interface FlowGraph {
  /** Node id → label (the id itself when the node has no label). */
  nodes: Map<string, string>;
  edges: [string, string][];
}

// Opening delimiter → closing delimiter, longest first.
const SHAPES: [string, string][] = [
  ['(((', ')))'],
  ['([', '])'],
  ['((', '))'],
  ['[[', ']]'],
  ['[(', ')]'],
  ['{{', '}}'],
  ['[/', '/]'],
  ['[/', '\\]'],
  ['[\\', '\\]'],
  ['[\\', '/]'],
  ['[', ']'],
  ['(', ')'],
  ['{', '}'],
  ['>', ']'],
];

const LINK = /^\s*(?:[<ox]?(?:-{2,}|={2,}|-\.+-?|~{3,})[->ox]?)(?:\|([^|]*)\|)?\s*/;
const TEXT_LINK = /^\s*[<ox]?(?:--|==|-\.)\s+([^\n]+?)\s+(?:-{2,}|={2,}|\.-+)[->ox]\s*/;
const ID = /^\s*([\p{L}\p{N}_]+(?:-(?![-.>])[\p{L}\p{N}_]+)*)/u;

function unquote(label: string): string {
  let text = label.trim();
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) text = text.slice(1, -1);
  if (text.startsWith('`') && text.endsWith('`') && text.length >= 2) text = text.slice(1, -1);
  return text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/#quot;/g, '"')
    .replace(/#(\w+);/g, ' ')
    .trim();
}

/** Reads one node reference at the start of `rest`: [id, label | undefined, remaining text]. */
function readNode(rest: string): [string, string | undefined, string] | null {
  const id = ID.exec(rest);
  if (!id) return null;
  let after = rest.slice(id[0].length);
  for (const [open, close] of SHAPES) {
    if (!after.startsWith(open)) continue;
    const end = after.indexOf(close, open.length);
    if (end < 0) continue;
    const label = unquote(after.slice(open.length, end));
    after = after.slice(end + close.length);
    return [id[1]!, label, after];
  }
  // `@{ shape: …, label: "…" }` (new shape syntax).
  const at = /^@\{([^}]*)\}/.exec(after);
  if (at) {
    const label = /label\s*:\s*"([^"]*)"/.exec(at[1]!)?.[1];
    return [id[1]!, label === undefined ? undefined : unquote(label), after.slice(at[0].length)];
  }
  return [id[1]!, undefined, after];
}

/** Reads `a & b & c`: the ids, and what follows. */
function readGroup(rest: string, nodes: Map<string, string>): [string[], string] | null {
  const ids: string[] = [];
  let remaining = rest;
  for (;;) {
    const node = readNode(remaining);
    if (!node) return ids.length ? [ids, remaining] : null;
    const [id, label, after] = node;
    if (label !== undefined) nodes.set(id, label);
    else if (!nodes.has(id)) nodes.set(id, id);
    ids.push(id);
    const amp = /^\s*&\s*/.exec(after);
    if (!amp) return [ids, after];
    remaining = after.slice(amp[0].length);
  }
}

const SKIP = /^(?:flowchart|graph|subgraph|end|direction|classDef|class|style|linkStyle|click|%%|---|title|accTitle|accDescr)\b/;

export function parseFlowchart(code: string): FlowGraph {
  const nodes = new Map<string, string>();
  const edges: [string, string][] = [];
  const statements = code
    .split('\n')
    .flatMap((line) => line.split(/(?<!#\w+);/))
    .map((line) => line.trim())
    .filter((line) => line && !SKIP.test(line));
  for (const statement of statements) {
    let group = readGroup(statement, nodes);
    if (!group) continue;
    for (;;) {
      const [from, rest] = group;
      const link = TEXT_LINK.exec(rest) ?? LINK.exec(rest);
      if (!link || link[0].trim() === '') break;
      const next = readGroup(rest.slice(link[0].length), nodes);
      if (!next) break;
      for (const a of from) for (const b of next[0]) edges.push([a, b]);
      group = next;
    }
  }
  return { nodes, edges };
}
