/**
 * Generated model answers around a 50-node flowchart, valid and broken the
 * ways small models break them. `run` varies the labels so no two runs parse
 * the same text (nothing can be served from a cache).
 */

export interface Variant {
  name: string;
  /** The raw model answer (Markdown around a fenced diagram). */
  text: string;
}

const WORDS = ['Receive order', 'Vérifier le stock', 'Zahlung prüfen', '결제 확인', 'Pack items', 'Notify customer', 'Expédier', 'Rechnung senden'];

/** 50 nodes: a chain with a decision every 7 nodes, 2 subgraphs, about 60 edges. */
export function flowchart(run: number, opts: { parens?: boolean; endId?: boolean; arrows?: boolean } = {}): string[] {
  const lines = ['flowchart TD'];
  const label = (i: number) => {
    const base = `${WORDS[i % WORDS.length]} ${i}.${run}`;
    return opts.parens && i % 5 === 0 ? `${base} (step ${i}): check` : base;
  };
  lines.push('  subgraph Intake');
  for (let i = 0; i < 50; i++) {
    if (i === 25) lines.push('  end', '  subgraph Fulfilment');
    const id = `n${i}`;
    if (i % 7 === 3) {
      lines.push(`    ${id}{${label(i)}?}`);
      lines.push(`    ${id} -->|yes| n${i + 1}`);
      lines.push(`    ${id} -->|no| n${Math.max(0, i - 2)}`);
    } else if (i < 49) {
      const arrow = opts.arrows && i % 9 === 0 ? '->' : '-->';
      lines.push(`    ${id}[${label(i)}] ${arrow} n${i + 1}`);
    } else {
      lines.push(`    ${id}[${label(i)}]`);
    }
    if (opts.endId && i === 20) lines.push(`    ${id} --> end`);
  }
  lines.push('  end');
  lines.push('  n49 --> n0');
  return lines;
}

const fence = (lines: string[]) => '```mermaid\n' + lines.join('\n') + '\n```';
const chat = (body: string) => `Sure! Here is the flowchart you asked for:\n\n${body}\n\nThis diagram shows the 50 steps. Let me know if you want changes.`;

export function variants(run: number): Variant[] {
  const valid = flowchart(run);
  /** Cut by the token budget: last lines (closing `end`, last edge) never came, last label cut. */
  const cut = (lines: string[]) => {
    const kept = lines.slice(0, -2);
    const last = kept.pop()!;
    return '```mermaid\n' + [...kept, last.slice(0, last.indexOf('[') + 8)].join('\n');
  };
  return [
    { name: 'valid', text: chat(fence(valid)) },
    { name: 'special characters in labels', text: chat(fence(flowchart(run, { parens: true }))) },
    { name: '`end` id and `->` arrows', text: chat(fence(flowchart(run, { endId: true, arrows: true }))) },
    { name: 'cut by the budget (open subgraph)', text: `Here you go:\n\n${cut(flowchart(run))}` },
    { name: 'all of the above', text: `Here you go:\n\n${cut(flowchart(run, { parens: true, endId: true, arrows: true }))}` },
  ];
}
