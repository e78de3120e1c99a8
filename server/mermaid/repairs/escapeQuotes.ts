import { mapFlowchartLines, mapLabels } from '../flowchart.ts';
import type { Repair } from './types.ts';

/**
 * Double quotes inside a label break the parser (`A["say "hi""]`,
 * `B[Send "thanks" mail]`): the label is quoted once and inner quotes
 * become Mermaid's entity `#quot;`.
 */
export const escapeQuotes: Repair = {
  name: 'escape-quotes',
  apply(code) {
    return mapFlowchartLines(code, (line) =>
      mapLabels(line, (text) => {
        const inner = isCleanQuoted(text) ? null : unquote(text);
        if (inner === null || !inner.includes('"')) return text;
        return `"${inner.replace(/"/g, '#quot;')}"`;
      }),
    );
  },
};

/** `"…"` with no other quote inside. */
export function isCleanQuoted(text: string): boolean {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') && !t.slice(1, -1).includes('"');
}

/** The label's text without one pair of surrounding quotes, if it has them. */
export function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : text;
}
