import { mapFlowchartLines, maskLabels } from '../flowchart.ts';
import type { Repair } from './types.ts';

/**
 * Arrow and edge-label typos in flowcharts, outside labels only:
 * `A -> B` → `A --> B`, `A => B` → `A ==> B`, `A -->> B` / `A ->> B` → `A --> B`,
 * `-->|x|>` → `-->|x|`, `--> |x|` → `-->|x|`, `--|x|-->` → `-->|x|`,
 * `-- x ->` → `-- x -->`, `A --> B: x` / `A --> B : x` → `A -->|x| B`,
 * and arrows typed as characters: `A → B` → `A --> B`, `A ⇒ B` → `A ==> B`.
 */
export const fixArrows: Repair = {
  name: 'fix-arrows',
  apply(code) {
    return mapFlowchartLines(code, (line) => {
      if (/^\s*(?:style|classDef|linkStyle|class|click)\b/.test(line)) return line;
      const { masked, unmask } = maskLabels(line);
      let s = masked;
      s = s.replace(/\|(\u0000\d+\u0000)\|\s*>/g, '|$1|'); // -->|x|>
      s = s.replace(/(-->|---|==>|-\.->)\s+\|/g, '$1|'); // --> |x|
      s = s.replace(/--\s*\|(\u0000\d+\u0000)\|\s*-->/g, '-->|$1|'); // --|x|-->
      s = s.replace(/\s*[→⟶➔➜]\s*/g, ' --> ').replace(/\s*[⇒⟹]\s*/g, ' ==> ');
      s = s.replace(/-->>+/g, '-->');
      s = s.replace(/(^|[^-=.<])->>+/g, '$1-->'); // sequence-diagram arrow in a flowchart
      s = s.replace(/(^|[^-=.<])->(?![>])/g, '$1-->'); // A -> B
      s = s.replace(/(^|[^=<])=>(?![>])/g, '$1==>'); // A => B
      s = s.replace(/^(\s*[\p{L}\p{N}_]+\s*(?:-->|==>|-\.->)\s*[\p{L}\p{N}_]+)\s*:\s*([^:;]+?)\s*$/u, (_, edge: string, text: string) => {
        const [, from, arrow, to] = /^(\s*[\p{L}\p{N}_]+\s*)(-->|==>|-\.->)(\s*[\p{L}\p{N}_]+)$/u.exec(edge)!;
        return `${from}${arrow}|${text}|${to}`;
      });
      return s === masked ? line : unmask(s);
    });
  },
};
