import { mapFlowchartLines, maskLabels } from '../flowchart.ts';
import type { Repair } from './types.ts';

/**
 * Node ids that are flowchart keywords break the parser (`home --> end`).
 * They are renamed `end_`, `style_`… everywhere they are used as nodes; a
 * node that had no label anywhere gets its old id as label (`end_[end]`),
 * so the picture shows the same word. `end` closing a subgraph is left alone.
 */
const RESERVED = ['end', 'style', 'class', 'subgraph', 'graph', 'flowchart', 'click', 'classDef', 'linkStyle'];
/** A link ends the text (spaces after it allowed); looked at on the trimmed tail: `…\s*$` on the whole text is quadratic. */
const linkBefore = (text: string) => /(?:-->|---|==>|===|-\.->|-\.-|--[ox]|<-->|~~~|\||&)$/.test(text.trimEnd().slice(-4));
const LINK_AFTER = /^\s*(?:-->|---|==>|===|-\.->|-\.-|--|==|-\.|~~~|<-->|&|:::)/;
const SHAPE_AFTER = /^\s*[[({>]/;

export const renameReservedIds: Repair = {
  name: 'rename-reserved-ids',
  apply(code) {
    const renamed = new Map<string, { name: string; labelled: boolean; firstLine: number; firstAt: number }>();
    let depth = 0;
    const taken = new Set(code.match(/[\p{L}\p{N}_]+/gu) ?? []);
    const nameFor = (word: string) => {
      let name = `${word}_`;
      while (taken.has(name)) name += '_';
      return name;
    };
    const out = mapFlowchartLines(code, (line, index) => {
      const trimmed = line.trim().replace(/;$/, '');
      if (/^subgraph\b/.test(trimmed)) {
        depth++;
        return line;
      }
      if (trimmed === 'end' && depth > 0) {
        depth--;
        return line;
      }
      const { masked, unmask } = maskLabels(line);
      const re = new RegExp(`(^|[^\\p{L}\\p{N}_\\u0000-])(${RESERVED.join('|')})(?![\\p{L}\\p{N}_])`, 'gu');
      let changed = false;
      const s = masked.replace(re, (whole, before: string, word: string, offset: number, all: string) => {
        const at = offset + before.length;
        const left = all.slice(0, at);
        const right = all.slice(at + word.length);
        const statementStart = left.trim() === '';
        // `style A fill:…` / `class A x` are statements; `style --> B` and `A --> style` are nodes.
        const isNode =
          linkBefore(left) || LINK_AFTER.test(right) || ((word === 'end' || !statementStart) && SHAPE_AFTER.test(right));
        if (!isNode) return whole;
        const entry = renamed.get(word) ?? { name: nameFor(word), labelled: false, firstLine: index, firstAt: -1 };
        if (/^\s*[[({>]/.test(right)) entry.labelled = true;
        renamed.set(word, entry);
        changed = true;
        return `${before}${entry.name}`;
      });
      return changed ? unmask(s) : line;
    });
    if (renamed.size === 0) return code;
    // Give unlabelled renamed nodes their old word as label, at first use.
    const lines = out.split('\n');
    for (const [word, entry] of renamed) {
      if (entry.labelled) continue;
      const i = entry.firstLine;
      lines[i] = lines[i]!.replace(new RegExp(`(^|[^\\p{L}\\p{N}_])${entry.name}(?![\\p{L}\\p{N}_])`, 'u'), `$1${entry.name}[${word}]`);
    }
    return lines.join('\n');
  },
};
