import { mapFlowchartLines, maskLabels } from '../flowchart.ts';
import type { Repair } from './types.ts';
import { replaceSpaced } from '../../../common/text.ts';

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
      s = replaceSpaced(replaceSpaced(s, /[→⟶➔➜]/, () => ' --> '), /[⇒⟹]/, () => ' ==> ');
      s = s.replace(/-->>+/g, '-->');
      s = s.replace(/(^|[^-=.<])->>+/g, '$1-->'); // sequence-diagram arrow in a flowchart
      s = s.replace(/(^|[^-=.<])->(?![>])/g, '$1-->'); // A -> B
      s = s.replace(/(^|[^=<])=>(?![>])/g, '$1==>'); // A => B
      // `A --> B : text` → `A -->|text| B`. Split at the colon by hand: as one
      // pattern (`…\s*:\s*([^:;]+?)\s*$`) it is cubic on runs of spaces.
      const colon = s.indexOf(':');
      const text = colon === -1 ? '' : s.slice(colon + 1).trim();
      const edge = colon === -1 ? null : /^(\s*[\p{L}\p{N}_]+\s*)(-->|==>|-\.->)(\s*[\p{L}\p{N}_]+)$/u.exec(s.slice(0, colon).trimEnd());
      if (edge && text !== '' && !/[:;]/.test(text)) s = `${edge[1]}${edge[2]}|${text}|${edge[3]}`;
      return s === masked ? line : unmask(s);
    });
  },
};
