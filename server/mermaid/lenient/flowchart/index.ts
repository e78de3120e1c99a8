/**
 * The flowchart lenient format: read.ts (the model's text → model.ts) and
 * print.ts (model → canonical Mermaid). See docs/pipeline.md.
 */
import { labelText } from '../text.ts';
import type { LenientFormat, Rewrite } from '../types.ts';
import { sameText } from './ids.ts';
import { normalizeFullWidth } from './lines.ts';
import type { Statement } from './model.ts';
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
    return read !== null && (hasTwoLabels(read.chart.body, new Map()) || hasMixedLink(read.chart.body));
  },
};

/** `B == text --> C`: Mermaid parses it and loses the target. */
function hasMixedLink(body: Statement[]): boolean {
  return body.some((s) => (s.kind === 'subgraph' ? hasMixedLink(s.body) : s.kind === 'chain' && s.links.some((l) => l.mixed)));
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
