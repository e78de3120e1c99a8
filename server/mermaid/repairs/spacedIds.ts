import { mapFlowchartLines, maskLabels } from '../flowchart.ts';
import type { Repair } from './types.ts';

/** A link between two nodes, with its label masked: `-->`, `-.->`, `==>`, `-->|…|`, `-- … -->`, `&`. */
const LINK = /(\s*(?:--\s+\u0000\d+\u0000\s+(?:-->|---|==>|-\.->)|<?(?:-{2,}|={2,}|-\.+-)[>ox]?(?:\|\u0000\d+\u0000\|)?|~~~|&)\s*)/;
const ENDPOINT = /^([\p{L}\p{N}_]+(?: +[\p{L}\p{N}_]+)+)((?:[[({>]+\u0000\d+\u0000[\])}]+)?)(\s*;?)$/u;

/**
 * Node ids written as words, `Check Stock --> Ship Order` (an error): the
 * words are joined with `_` and the node shows them as its label,
 * `Check_Stock["Check Stock"] --> Ship_Order["Ship Order"]` at first use
 * (a node that has a label of its own keeps it).
 */
export const spacedIds: Repair = {
  name: 'spaced-ids',
  apply(code) {
    const ids = new Map<string, { id: string; labelled: boolean; used: boolean }>();
    const taken = new Set(code.match(/[\p{L}\p{N}_]+/gu) ?? []);
    const visit = (rewrite: boolean) =>
      mapFlowchartLines(code, (line) => {
        if (/^\s*(?:subgraph|end|style|classDef|class|click|linkStyle|direction)\b/.test(line)) return line;
        const { masked, unmask } = maskLabels(line);
        const parts = masked.split(LINK);
        if (parts.length < 3) return line;
        let changed = false;
        for (let k = 0; k < parts.length; k += 2) {
          const lead = /^\s*/.exec(parts[k]!)![0];
          const m = ENDPOINT.exec(parts[k]!.trim());
          if (!m) continue;
          const words = m[1]!;
          let entry = ids.get(words);
          if (!entry) {
            let id = words.split(/ +/).join('_');
            while (taken.has(id)) id += '_';
            taken.add(id);
            entry = { id, labelled: false, used: false };
            ids.set(words, entry);
          }
          if (!rewrite) {
            if (m[2]) entry.labelled = true;
            continue;
          }
          const label = !m[2] && !entry.labelled && !entry.used ? `["${words}"]` : '';
          entry.used = true;
          parts[k] = `${lead}${entry.id}${m[2]}${label}${m[3]}`;
          changed = true;
        }
        return changed ? unmask(parts.join('')) : line;
      });
    visit(false);
    return ids.size === 0 ? code : visit(true);
  },
};
