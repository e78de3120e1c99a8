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

const OPENERS = ['[[', '[(', '([', '((', '[/', '[\\', '[', '(', '{{', '{', '>'];
const CLOSERS = [']]', ')]', '])', '))', '/]', '\\]', ']', ')', '}}', '}'];

export interface NodeMatch {
  start: number;
  end: number;
  id: string;
  /** The label: quoted (without the quotes) or bare (without the spaces around it). */
  quoted?: string;
  bare?: string;
}

/**
 * Nodes with a shape in one flowchart line, left to right: what the pattern
 * `([A-Za-z_][\w-]*)\s*(?:OPENER)\s*(?:"([^"]*)"|([^\])}"|]*?))\s*(?:CLOSER)`
 * matched (globally), as a scan: that pattern is cubic on `A[{A[{…` and
 * on long runs of spaces. An id is tried once per word; the label ends at
 * the first `]`, `)` or `}` (or the `/`, `\` of `/]`, `\]`).
 */
export function nodeMatches(line: string): NodeMatch[] {
  const n = line.length;
  const nextSpecial = new Int32Array(n + 1).fill(n);
  const nextQuote = new Int32Array(n + 1).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    nextSpecial[i] = '])}"|'.includes(line[i]!) ? i : nextSpecial[i + 1]!;
    nextQuote[i] = line[i] === '"' ? i : nextQuote[i + 1]!;
  }
  const isSpace = (k: number) => k < n && /\s/.test(line[k]!);
  const skipSpaces = (k: number) => {
    while (isSpace(k)) k++;
    return k;
  };
  const closerAt = (k: number) => CLOSERS.find((c) => line.startsWith(c, k));
  const nodeAt = (i: number, e: number): NodeMatch | null => {
    const k = skipSpaces(e);
    const opener = OPENERS.find((o) => line.startsWith(o, k));
    if (opener === undefined) return null;
    const s = skipSpaces(k + opener.length);
    if (line[s] === '"') {
      const q = nextQuote[s + 1]!;
      if (q === n) return null;
      const c = skipSpaces(q + 1);
      const closer = closerAt(c);
      return closer === undefined ? null : { start: i, end: c + closer.length, id: line.slice(i, e), quoted: line.slice(s + 1, q) };
    }
    const q = nextSpecial[s]!;
    if (q === n || line[q] === '"' || line[q] === '|') return null;
    const c = line[q] === ']' && q - 1 >= s && (line[q - 1] === '/' || line[q - 1] === '\\') ? q - 1 : q;
    let p = c;
    while (p > s && isSpace(p - 1)) p--;
    return { start: i, end: c + closerAt(c)!.length, id: line.slice(i, e), bare: line.slice(s, p) };
  };
  const found: NodeMatch[] = [];
  let i = 0;
  while (i < n) {
    if (!/[A-Za-z_]/.test(line[i]!)) {
      i++;
      continue;
    }
    let e = i + 1;
    while (e < n && /[\w-]/.test(line[e]!)) e++;
    const m = nodeAt(i, e);
    if (m) {
      found.push(m);
      i = m.end;
    } else {
      i = e; // a later start in the same word has the same end, and fails the same way
    }
  }
  return found;
}
/**
 * An arrow with its optional `|label|`: a run of `-=.` followed by `>`, `o` or
 * `x` (the run matched whole: lookahead + backreference), else the run up to
 * its last `-`; only from the run's start. The spaces around
 * are left to the caller's trim(): `\s*<?[-=.]+[->ox]\s*` is quadratic on long runs.
 */
export const ARROW = /(?:<|(?<![-=.<]))(?:(?=([-=.]+))\1[>ox]|[-=.][-=.]*-)(?:\|[^|]*\|)?|~~~(?:\|[^|]*\|)?/;
const KEYWORDS = new Set(['flowchart', 'graph', 'subgraph', 'end', 'classDef', 'class', 'style', 'linkStyle', 'click', 'direction']);

function clean(label: string): string {
  return label.replace(/<br\s*\/?>/gi, ' ').replace(/\s+/g, ' ').trim();
}

/** `line.split(re)` without the capture groups split() would splice in. */
export function splitOutside(line: string, re: RegExp): string[] {
  const parts: string[] = [];
  const global = new RegExp(re.source, 'g');
  let last = 0;
  for (const m of line.matchAll(global)) {
    parts.push(line.slice(last, m.index));
    last = m.index + m[0].length;
  }
  parts.push(line.slice(last));
  return parts;
}

/**
 * `line.replace(/(--|==|-\.)\s*[^-=.>|\s][^>|]*?\s*(-->|==>|\.->)/g, '-->')` as a
 * scan (that pattern is cubic): an opener, the first character after its
 * spaces starts the text, and the first `>` after it must end the closer.
 */
export function withoutEdgeText(line: string): string {
  let out = '';
  let last = 0;
  let p = 0;
  // The next `>` and `|` at or after a position, remembered so each is searched for once per stretch.
  let gtAt = -2;
  let pipeAt = -2;
  const next = (ch: string, from: number, known: number) => (known >= from || known === -1 ? known : line.indexOf(ch, from));
  while (p < line.length - 1) {
    const opener = line.slice(p, p + 2);
    if (opener !== '--' && opener !== '==' && opener !== '-.') {
      p++;
      continue;
    }
    let c = p + 2;
    while (c < line.length && /\s/.test(line[c]!)) c++;
    const starts = c < line.length && !/[-=.>|\s]/.test(line[c]!);
    if (starts) {
      gtAt = next('>', c + 1, gtAt);
      pipeAt = next('|', c, pipeAt);
    }
    const gt = starts ? gtAt : -1;
    const closer = gt - 2 > c ? line.slice(gt - 2, gt + 1) : '';
    if ((closer === '-->' || closer === '==>' || closer === '.->') && (pipeAt === -1 || pipeAt > gt)) {
      out += line.slice(last, p) + '-->';
      last = p = gt + 1;
      continue;
    }
    if (gt === -1 && c < line.length && !/[-=.>|\s]/.test(line[c]!)) break; // no `>` ahead: nothing more can match
    p++;
  }
  return out + line.slice(last);
}

function flowchartUnits(lines: string[]): Units {
  const nodes = new Map<string, string>();
  const links: string[] = [];
  for (let line of lines) {
    const first = line.split(/\s+/)[0] ?? '';
    if (KEYWORDS.has(first)) continue; // subgraph headers, styling, `end`
    // `A -- text --> B` carries its label between the dashes: make it a plain arrow first.
    line = withoutEdgeText(line);
    const shaped = nodeMatches(line);
    for (const m of shaped) nodes.set(m.id, clean(m.quoted ?? m.bare ?? m.id));
    // Links: the ids on either side of each arrow, labels removed.
    let bare = '';
    let last = 0;
    for (const m of shaped) {
      bare += line.slice(last, m.start) + m.id;
      last = m.end;
    }
    bare += line.slice(last);
    const parts = splitOutside(bare, ARROW).map((p) => p.trim().split(/[\s&]+/)[0] ?? '').filter(Boolean);
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
    let m = /^(?:participant|actor)\s+(\S+)(?:\s+as\s+([^]+))?$/.exec(line);
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
