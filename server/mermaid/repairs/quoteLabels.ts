import { mapFlowchartLines, mapLabels } from '../flowchart.ts';
import { isCleanQuoted, unquote } from './escapeQuotes.ts';
import type { Repair } from './types.ts';

/**
 * Labels with characters that are flowchart syntax — ( ) [ ] { } < > : ; # & | " —
 * are wrapped in double quotes, the form Mermaid accepts for any text
 * (`A[Pay (card)]` → `A["Pay (card)"]`). Non-ASCII text needs nothing.
 * Markdown strings (`"`…`"`) and `<br>` tags are left as they are.
 */
const SPECIAL = /[()[\]{}<>:;#&|"]/;

export const quoteLabels: Repair = {
  name: 'quote-labels',
  apply(code) {
    return mapFlowchartLines(code, (line) =>
      mapLabels(line, (text) => {
        if (isCleanQuoted(text) || text.trim() === '') return text;
        const inner = unquote(text);
        if (!SPECIAL.test(inner.replace(/<br\s*\/?>/gi, ''))) return text;
        return `"${inner.replace(/"/g, '#quot;')}"`;
      }),
    );
  },
};
