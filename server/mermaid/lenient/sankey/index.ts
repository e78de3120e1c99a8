/**
 * Sankey diagrams whose names Mermaid cannot draw: its sankey lexer takes
 * printable ASCII only (quoted or not; entity codes are turned into
 * non-ASCII placeholders before parsing), so `전기,가정,5` or `École,B,10`
 * can never be a valid sankey. Such a sankey is redrawn as a left-to-right
 * flowchart: every name a node, every flow an edge labelled with its value,
 * reported as `converted-type`. A sankey in ASCII is left to the line fixes
 * (repairs/sankey.ts): null.
 */
import { unquote } from '../lines.ts';
import { plainNumber } from '../../repairs/text.ts';
import { isProseLine } from '../../prose.ts';
import type { DiagramChange, LenientFormat } from '../types.ts';

/** CSV fields; quoted fields may hold commas, `""` is a quote. */
function fields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"' && quoted && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

/** `A -> B : 40`, `A --> B, 40`: arrows and a colon before the value become CSV commas. */
function flowLine(line: string): string {
  let s = line.replace(/ ?(?:-->|->|→) ?/g, ',');
  const colon = s.lastIndexOf(':');
  if (colon > 0 && plainNumber(s.slice(colon + 1)) !== null) s = `${s.slice(0, colon).trimEnd()},${s.slice(colon + 1).trim()}`;
  return s;
}

const label = (text: string) => `"${text.replace(/"/g, '”')}"`;

export const sankeyFormat: LenientFormat = {
  name: 'sankey',
  headers: ['sankey-beta', 'sankey'],
  rewrite(code) {
    const lines = code.split('\n');
    const header = lines.findIndex((l) => /^\s*sankey(?:-beta)?\s*$/.test(l));
    if (header === -1) return null;
    const flows: Array<[string, string, string]> = [];
    const changes: DiagramChange[] = [];
    const notDiagram: number[] = [];
    const body = lines.slice(header + 1);
    for (let i = 0; i < body.length; i++) {
      const line = body[i]!.trim();
      if (line === '' || line.startsWith('%%')) continue;
      const f = fields(flowLine(line));
      if (f.length !== 3) {
        // Prose after the flows, or a last line cut short: left out and said so.
        const last = body.slice(i + 1).every((l) => l.trim() === '');
        if (isProseLine(line)) changes.push({ kind: 'dropped-line', message: `Left out a line of prose: ${line}`, line: header + i + 2 });
        else if (last && flows.length > 0) changes.push({ kind: 'dropped-cut-line', message: `Dropped the unfinished last line: ${line}`, line: header + i + 2 });
        else return null;
        continue;
      }
      const value = plainNumber(unquote(f[2]!));
      // A header row (`source,target,value`): not a flow, not drawn.
      if (value === null && flows.length === 0) {
        notDiagram.push(header + i + 2);
        continue;
      }
      if (value === null || f[0] === '' || f[1] === '') return null;
      flows.push([unquote(f[0]!), unquote(f[1]!), value]);
    }
    // eslint-disable-next-line no-control-regex
    if (flows.length === 0 || flows.every(([a, b]) => /^[\x20-\x7e]*$/.test(a + b))) return null;
    const ids = new Map<string, string>();
    const id = (name: string) => {
      if (!ids.has(name)) ids.set(name, `n${ids.size + 1}`);
      return ids.get(name)!;
    };
    const out = ['flowchart LR'];
    const declared = new Set<string>();
    for (const [source, target, value] of flows) {
      const end = (name: string) => (declared.has(name) ? id(name) : (declared.add(name), `${id(name)}[${label(name)}]`));
      out.push(`    ${end(source)} -->|${value}| ${end(target)}`);
    }
    return {
      code: out.join('\n'),
      notDiagram,
      changes: [
        ...changes,
        { kind: 'converted-type', message: 'Mermaid cannot draw sankey names outside ASCII: the flows are drawn as a flowchart, each edge labelled with its value.' },
      ],
    };
  },
};
