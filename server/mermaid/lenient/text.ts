/**
 * Label text as a person reads it, and back into a quoted Mermaid label.
 *
 * Mermaid's entity codes (`#quot;`, `#9829;`) are drawn as `&quot;` in SVG
 * text (htmlLabels off, and the exported SVG): Mermaid turns them into HTML
 * entities that only an HTML label decodes. So the printer never writes
 * them: codes the model or a person typed become the characters, and a
 * straight `"` (which would end the quoted label) becomes a typographic
 * quote, which every label mode draws as written.
 */

const NAMED: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'", nbsp: '\u00a0', num: '#', semi: ';' };

/** `#quot;` → `"`, `#9829;` → `♥`, `#x2665;` → `♥`; other text unchanged. One forward pass. */
export function decodeEntityCodes(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const hash = text.indexOf('#', i);
    if (hash === -1) break;
    const semi = text.indexOf(';', hash + 1);
    const body = semi === -1 || semi - hash > 10 ? null : text.slice(hash + 1, semi);
    const ch = body === null ? null : entity(body);
    if (ch === null) {
      out += text.slice(i, hash + 1);
      i = hash + 1;
      continue;
    }
    out += text.slice(i, hash) + ch;
    i = semi + 1;
  }
  return out + text.slice(i);
}

function entity(body: string): string | null {
  if (body in NAMED) return NAMED[body]!;
  let code = NaN;
  if (/^\d{1,7}$/.test(body)) code = Number(body);
  else if (/^x[0-9a-f]{1,6}$/i.test(body)) code = parseInt(body.slice(1), 16);
  if (!Number.isInteger(code) || code < 32 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
  return String.fromCodePoint(code);
}

/** Straight double quotes → “ ” (opening after a space, bracket or the start; closing otherwise). */
export function typographicQuotes(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '"') {
      out += c;
      continue;
    }
    const before = i === 0 ? ' ' : text[i - 1]!;
    out += /[\s([{\-–—/]/.test(before) ? '“' : '”';
  }
  return out;
}

/** Collapses runs of whitespace, trims. */
export function tidyText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A label as read (quotes around it, entity codes, stray spaces) → the text a person reads. */
export function labelText(raw: string): string {
  let t = raw.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1);
  return tidyText(decodeEntityCodes(t));
}

/** The text as a quoted Mermaid label: `"…"`, with no straight quote inside. */
export function quoteLabel(text: string): string {
  const t = text.startsWith('`') && text.endsWith('`') && text.length > 1 ? text : typographicQuotes(text);
  return `"${t}"`;
}
