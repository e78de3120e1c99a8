/**
 * Small text helpers shared by the repairs of the chart types (pie,
 * quadrant, xychart, sankey, block). Pure, linear-time.
 */

/**
 * A `"` inside text that has to be quoted becomes a typographic quote
 * (opening, then closing): Mermaid has no escape for `"` inside a quoted
 * string, and an entity code (`#quot;`) is drawn literally by some renderers.
 */
export function typographicQuotes(text: string): string {
  let open = true;
  return text.replace(/"/g, () => {
    const q = open ? '\u201c' : '\u201d';
    open = !open;
    return q;
  });
}

/** `"x"`, `'x'`, `“x”` → x; anything else as written (trimmed). */
export function unquote(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && /^["'\u201c\u201e«]/.test(t) && /["'\u201d»]$/.test(t)) return t.slice(1, -1).trim();
  return t;
}

/** Text as a double-quoted Mermaid string. */
export function quoted(text: string): string {
  return `"${typographicQuotes(unquote(text))}"`;
}

/** A number as the models write it: `45`, `45%`, `45,5`, `40 hours`, `0.3` → a JS number string, or null. */
export function plainNumber(text: string): string | null {
  const t = text.trim().replace(/\s?(?:%|[$€£¥₩]|\p{L}{1,10}\.?)$/u, '').trim();
  if (/^-?\d+(?:\.\d+)?$/.test(t)) return t;
  if (/^-?\d+,\d{1,2}$/.test(t)) return t.replace(',', '.');
  return null;
}
