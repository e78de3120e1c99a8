import { mapFlowchartLines, mapLabels } from '../flowchart.ts';
import { isCleanQuoted, unquote } from './escapeQuotes.ts';
import type { Repair } from './types.ts';

/**
 * Labels with characters that are flowchart syntax — ( ) [ ] { } < > : ; # & | " @ —
 * are wrapped in double quotes, the form Mermaid accepts for any text
 * (`A[Pay (card)]` → `A["Pay (card)"]`), and so are labels starting with a
 * slash (`A[/api/orders]`, not a parallelogram). Non-ASCII text needs nothing.
 * Markdown strings (`"`…`"`) and `<br>` tags are left as they are.
 */
const SPECIAL = /[()[\]{}<>:;#&|"@]/;

export const quoteLabels: Repair = {
  name: 'quote-labels',
  apply(code) {
    return mapFlowchartLines(code, (line) => {
      const subgraph = quoteSubgraphTitle(line);
      return subgraph ?? mapLabels(line, quote);
    });
  },
};

function quote(text: string): string {
  if (isCleanQuoted(text) || text.trim() === '') return text;
  const inner = unquote(text);
  // A leading slash would open a parallelogram (`A[/api/orders]`).
  if (!SPECIAL.test(inner.replace(/<br\s*\/?>/gi, '')) && !/^[/\\]/.test(inner)) return text;
  return `"${inner.replace(/"/g, '#quot;')}"`;
}

/** `subgraph id [Title (x)]` → `subgraph id ["Title (x)"]`; `subgraph Phase 1 (x)` → `subgraph "Phase 1 (x)"`. */
function quoteSubgraphTitle(line: string): string | null {
  const withId = /^(\s*subgraph\s+[\p{L}\p{N}_-]+\s*\[)(.*)(\]\s*)$/u.exec(line);
  if (withId) return `${withId[1]}${quote(withId[2]!)}${withId[3]}`;
  // `^(\s*subgraph\s+)(.*?)(\s*)$` in steps (as one pattern it is cubic on spaces).
  const keyword = /^\s*subgraph\s+/.exec(line);
  if (!keyword) return null;
  const rest = line.slice(keyword[0].length);
  const title = rest.trimEnd();
  if (title === '' || isCleanQuoted(title)) return line;
  return `${keyword[0]}${quote(title)}${rest.slice(title.length)}`;
}
