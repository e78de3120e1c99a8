import { mapFlowchartLines } from '../flowchart.ts';
import type { Repair } from './types.ts';

/** Appends an `end` for every `subgraph` left open, indented to match its opener. */
export const closeSubgraphs: Repair = {
  name: 'close-subgraphs',
  apply(code) {
    const open: string[] = [];
    mapFlowchartLines(code, (line) => {
      const m = /^(\s*)subgraph\b/.exec(line);
      if (m) open.push(m[1]!);
      else if (/^end(?:\s*;)?$/.test(line.trim()) && open.length > 0) open.pop();
      return line;
    });
    if (open.length === 0) return code;
    return code.trimEnd() + '\n' + open.reverse().map((indent) => `${indent}end`).join('\n');
  },
};
