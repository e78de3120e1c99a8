/**
 * What changed between two versions of a diagram, in the diagram's own units
 * (flowchart nodes, sequence participants, states, classes, entities; for the
 * other types, lines): added, removed, renamed (same id, new label) and the
 * number of links added or removed. Read from the text with a few patterns,
 * not a parser: it describes a change to a person, it decides nothing.
 */

export interface UnitChanges {
  added: string[];
  removed: string[];
  renamed: { from: string; to: string }[];
  linksAdded: number;
  linksRemoved: number;
}

interface Units {
  /** id → label (the id itself when it has none). */
  nodes: Map<string, string>;
  links: string[];
}

const NODE = /([A-Za-z_][\w-]*)\s*(?:\[\[|\[\(|\(\[|\(\(|\[\/|\[\\|\[|\(|\{\{|\{|>)\s*(?:"([^"]*)"|([^\]\)\}"|]*?))\s*(?:\]\]|\)\]|\]\)|\)\)|\/\]|\\\]|\]|\)|\}\}|\})/g;
const ARROW = /\s*(?:<?[-=.]+[->ox]|<?-\.+->?|~~~)(?:\|[^|]*\|)?\s*/;
const KEYWORDS = new Set(['flowchart', 'graph', 'subgraph', 'end', 'classDef', 'class', 'style', 'linkStyle', 'click', 'direction']);

function clean(label: string): string {
  return label.replace(/<br\s*\/?>/gi, ' ').replace(/\s+/g, ' ').trim();
}

function flowchartUnits(lines: string[]): Units {
  const nodes = new Map<string, string>();
  const links: string[] = [];
  for (let line of lines) {
    const first = line.split(/\s+/)[0] ?? '';
    if (KEYWORDS.has(first)) continue; // subgraph headers, styling, `end`
    // `A -- text --> B` carries its label between the dashes: make it a plain arrow first.
    line = line.replace(/(--|==|-\.)\s*[^-=.>|\s][^>|]*?\s*(-->|==>|\.->)/g, '-->');
    for (const m of line.matchAll(NODE)) nodes.set(m[1]!, clean(m[2] ?? m[3] ?? m[1]!));
    // Links: the ids on either side of each arrow, labels removed.
    const bare = line.replace(NODE, '$1');
    const parts = bare.split(ARROW).map((p) => p.trim().split(/[\s&]+/)[0] ?? '').filter(Boolean);
    if (parts.length > 1) {
      for (const id of parts) if (/^[A-Za-z_][\w-]*$/.test(id) && !nodes.has(id)) nodes.set(id, id);
      for (let i = 1; i < parts.length; i++) links.push(`${parts[i - 1]}→${parts[i]}`);
    }
  }
  return { nodes, links };
}

/** Participants, states, classes and entities: `X as Label`, `state "Label" as X`, and ids around arrows. */
function namedUnits(lines: string[], type: string): Units {
  const nodes = new Map<string, string>();
  const links: string[] = [];
  for (const line of lines) {
    let m = /^(?:participant|actor)\s+(\S+)(?:\s+as\s+(.+))?$/.exec(line);
    if (m) {
      nodes.set(m[1]!, clean(m[2] ?? m[1]!));
      continue;
    }
    m = /^state\s+"([^"]+)"\s+as\s+(\S+)/.exec(line);
    if (m) {
      nodes.set(m[2]!, clean(m[1]!));
      continue;
    }
    m = /^class\s+([\w-]+)/.exec(line);
    if (m && type === 'class') {
      if (!nodes.has(m[1]!)) nodes.set(m[1]!, m[1]!);
      continue;
    }
    m = /^(\[\*\]|[\w"]+)\s*(?:[-=.<>|o{}*+x)(]{2,})\s*(\[\*\]|[\w"]+)/.exec(line);
    if (m) {
      const a = m[1]!.replace(/"/g, '');
      const b = m[2]!.replace(/"/g, '');
      for (const id of [a, b]) if (id !== '[*]' && !nodes.has(id)) nodes.set(id, id);
      links.push(`${a}→${b}`);
      continue;
    }
    m = /^([\w-]+)\s*\{$/.exec(line); // an ER entity or class body
    if (m && !nodes.has(m[1]!)) nodes.set(m[1]!, m[1]!);
  }
  return { nodes, links };
}

function lineUnits(lines: string[]): Units {
  const nodes = new Map<string, string>();
  for (const line of lines.slice(1)) nodes.set(line, line);
  return { nodes, links: [] };
}

export function unitsOf(code: string): Units {
  const lines = code
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('%%'));
  const header = (lines[0] ?? '').split(/\s+/)[0] ?? '';
  if (header === 'flowchart' || header === 'graph') return flowchartUnits(lines.slice(1));
  if (header === 'sequenceDiagram') return namedUnits(lines.slice(1), 'sequence');
  if (header.startsWith('stateDiagram')) return namedUnits(lines.slice(1), 'state');
  if (header === 'classDiagram') return namedUnits(lines.slice(1), 'class');
  if (header === 'erDiagram') return namedUnits(lines.slice(1), 'er');
  return lineUnits(lines);
}

function countDiff(a: string[], b: string[]): number {
  const left = new Map<string, number>();
  for (const x of a) left.set(x, (left.get(x) ?? 0) + 1);
  let extra = 0;
  for (const x of b) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else extra++;
  }
  return extra;
}

/** The change from `before` to `after`. */
export function diffUnits(before: string, after: string): UnitChanges {
  const a = unitsOf(before);
  const b = unitsOf(after);
  const added: string[] = [];
  const removed: string[] = [];
  const renamed: { from: string; to: string }[] = [];
  for (const [id, label] of b.nodes) {
    const old = a.nodes.get(id);
    if (old === undefined) added.push(label);
    else if (old !== label) renamed.push({ from: old, to: label });
  }
  for (const [id, label] of a.nodes) if (!b.nodes.has(id)) removed.push(label);
  return { added, removed, renamed, linksAdded: countDiff(a.links, b.links), linksRemoved: countDiff(b.links, a.links) };
}

/** "2 added (Manager approval, Notify), 1 renamed (Pay → Pay invoice), 1 link removed", or "no change". */
export function describeChanges(c: UnitChanges): string {
  const list = (xs: string[]) => (xs.length > 3 ? `${xs.slice(0, 3).join(', ')}, …` : xs.join(', '));
  const parts: string[] = [];
  if (c.added.length) parts.push(`${c.added.length} added (${list(c.added)})`);
  if (c.removed.length) parts.push(`${c.removed.length} removed (${list(c.removed)})`);
  if (c.renamed.length) parts.push(`${c.renamed.length} renamed (${list(c.renamed.map((r) => `${r.from} → ${r.to}`))})`);
  const links = (n: number, verb: string) => (n ? `${n} link${n === 1 ? '' : 's'} ${verb}` : null);
  for (const p of [links(c.linksAdded, 'added'), links(c.linksRemoved, 'removed')]) if (p) parts.push(p);
  return parts.length ? parts.join(', ') : 'no change';
}
