import { mapFlowchartLines, maskLabels } from '../flowchart.ts';
import type { Repair } from './types.ts';

/** A link between two nodes, with its label masked: `-->`, `-.->`, `==>`, `-->|…|`, `-- … -->`, `&`. */
/** `-- label -->` with the label masked. */
const LABELLED = /--\s+\u0000\d+\u0000\s+(?:-->|---|==>|-\.->)/y;
/** The masked `|label|` right after an arrow. */
const PIPE_LABEL = /\|\u0000\d+\u0000\|/y;

/**
 * The link starting at `i`, as its end, or -1: `-- label -->` (label masked),
 * an arrow (`-->`, `==>`, `-.->`, `<-->`, `---o`…), `~~~` or `&`. A scan
 * rather than a pattern: recheck finds the pattern quadratic.
 */
function linkAt(s: string, i: number): number {
  const c = s[i];
  if (s.startsWith('--', i)) {
    LABELLED.lastIndex = i;
    if (LABELLED.test(s)) return LABELLED.lastIndex;
  }
  let k = c === '<' ? i + 1 : i;
  let e = -1;
  if ((s[k] === '-' || s[k] === '=') && s[k + 1] === s[k]) {
    e = k + 2;
    while (s[e] === s[k]) e++;
  } else if (s[k] === '-' && s[k + 1] === '.') {
    let d = k + 1;
    while (s[d] === '.') d++;
    if (s[d] === '-') e = d + 1;
  }
  if (e !== -1) return e < s.length && '>ox'.includes(s[e]!) ? e + 1 : e;
  if (s.startsWith('~~~', i)) return i + 3;
  return c === '&' ? i + 1 : -1;
}

/**
 * `s.split(/(\s*(?:LINK)\s*)/)` with the `|label|` after an arrow part of the
 * link: texts and links (with their spaces) alternating. By hand, because as
 * one pattern (spaces, arrow, optional label, spaces) it backtracks quadratically.
 */
export function splitLinks(s: string): string[] {
  const parts: string[] = [];
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    let end = linkAt(s, i);
    if (end === -1) continue;
    let start = i;
    while (start > last && /\s/.test(s[start - 1]!)) start--;
    if (s[i] !== '&' && !s.startsWith('~~~', i) && !/^--\s/.test(s.slice(i, i + 3))) {
      PIPE_LABEL.lastIndex = end;
      if (PIPE_LABEL.test(s)) end = PIPE_LABEL.lastIndex;
    }
    while (end < s.length && /\s/.test(s[end]!)) end++;
    parts.push(s.slice(last, start), s.slice(start, end));
    last = end;
    i = end - 1;
  }
  parts.push(s.slice(last));
  return parts;
}
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
        const parts = splitLinks(masked);
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
