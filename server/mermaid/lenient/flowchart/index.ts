/**
 * The flowchart lenient format: read.ts (the model's text → model.ts) and
 * print.ts (model → canonical Mermaid). See docs/pipeline.md.
 */
import { labelText } from '../text.ts';
import type { LenientFormat, Rewrite } from '../types.ts';
import { sameText } from './ids.ts';
import { normalizeFullWidth } from './lines.ts';
import type { Link, Statement } from './model.ts';
import { printFlowchart } from './print.ts';
import { readFlowchart } from './read.ts';

export const flowchartFormat: LenientFormat = {
  name: 'flowchart',
  headers: ['flowchart', 'graph', 'flowchart-elk'],
  rewrite(code: string): Rewrite | null {
    const read = readFlowchart(code);
    if (!read) return null;
    const printed = printFlowchart(read.chart);
    return { code: printed.code, changes: [...read.changes, ...printed.changes], notDiagram: read.notDiagram, undrawn: printed.undrawn };
  },
  misread(code: string): boolean {
    // Full-width brackets or pipes used as syntax: Mermaid reads `A［x］` as one id.
    if (code.split('\n').some((l) => normalizeFullWidth(l) !== l)) return true;
    const read = readFlowchart(code);
    if (read === null) return false;
    // `D -- "text"` with a statement on the next line: Mermaid links D to that line's first node, an edge never written.
    if (read.changes.some((c) => c.kind === 'edge-text-as-node')) return true;
    return hasTwoLabels(read.chart.body, new Map()) || hasLink(read.chart.body, (l) => l.mixed === true || l.reversed === true);
  },
};

/**
 * Links Mermaid parses into something else: `B == text --> C` (mixed: the
 * target is lost) and `A <--- B` / `A <-.- B` (reversed: Mermaid accepts the
 * `<` and draws no head at all; `A <-- B` it rejects).
 */
function hasLink(body: Statement[], test: (l: Link) => boolean): boolean {
  return body.some((s) => (s.kind === 'subgraph' ? hasLink(s.body, test) : s.kind === 'chain' && s.links.some(test)));
}

/** An id written with two different labels: Mermaid draws one node, one label is lost. */
function hasTwoLabels(body: Statement[], seen: Map<string, string>): boolean {
  for (const s of body) {
    if (s.kind === 'subgraph' && hasTwoLabels(s.body, seen)) return true;
    if (s.kind !== 'chain') continue;
    for (const group of s.groups) {
      for (const n of group) {
        if (n.label === undefined) continue;
        const label = labelText(n.label);
        const before = seen.get(n.raw);
        if (before === undefined) seen.set(n.raw, label);
        else if (!sameText(before, label)) return true;
      }
    }
  }
  return false;
}
