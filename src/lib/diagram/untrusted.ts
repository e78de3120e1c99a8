/**
 * Model output (and anything pasted or opened from a link) is untrusted.
 * `prepare` is applied to every text before Mermaid parses or draws it:
 *
 * 1. A diagram never configures Mermaid: `%%{init: …}%%` directives and the
 * front matter's `config:` are removed before parse and render. `title:` and
 * `displayMode:` stay (they are content, not configuration). Removed text is
 * replaced by the same number of newlines, so parser error line numbers
 * still point at the user's line.
 * 2. HTML-looking tags in labels (`<img src=x onerror=…>`) become Mermaid
 *    entity codes (`#lt;img …#gt;`), so they are drawn as the literal text
 *    the model wrote, and no HTML parser (Mermaid's DOMPurify included) ever
 *    sees an element with handlers. `<br>` stays: it is Mermaid's line break.
 */

const FRONT_MATTER = /^(\s*)---[ \t]*\n([\s\S]*?)\n---[ \t]*(?=\n|$)/;
const KEEP_KEYS = /^(title|displayMode)[ \t]*:[ \t]*\S.*$/;

function stripFrontMatter(code: string): string {
  const m = FRONT_MATTER.exec(code);
  if (!m) return code;
  const [whole, lead = '', body = ''] = m;
  const count = (s: string) => s.split('\n').length - 1;
  const kept = body.split('\n').filter((l) => KEEP_KEYS.test(l));
  let replacement = kept.length > 0 ? ['---', ...kept, '---'].join('\n') : '';
  replacement += '\n'.repeat(count(whole) - count(lead) - count(replacement));
  return lead + replacement + code.slice(whole.length);
}

/** Removes Mermaid configuration from diagram text; see the file comment. */
export function stripConfig(code: string): string {
  let out = code.replace(/\r\n?/g, '\n');
  out = stripFrontMatter(out);
  // Closed directives, possibly over several lines: keep only their newlines.
  out = out.replace(/%%\{[\s\S]*?\}%%/g, (m) => m.replace(/[^\n]/g, ''));
  // Mermaid also honours an unclosed `%%{…`; make it a plain comment.
  out = out.replace(/%%\{/g, '%% {');
  return out;
}

/**
 * `<tag …>` and `</tag>` → `#lt;tag …#gt;`, except line breaks. `<<fork>>`
 * style annotations and arrows (`<-->`, `->>`) are not tags and stay.
 */
export function escapeTags(code: string): string {
  return code.replace(/(?<!<)<(\/?[A-Za-z][^<>\n]*)>(?!>)/g, (whole, inner: string) =>
    /^br\s*\/?$/i.test(inner.trim()) ? whole : `#lt;${inner}#gt;`,
  );
}

/** What Mermaid gets: configuration removed, HTML made inert text. */
export function prepare(code: string): string {
  return escapeTags(stripConfig(code));
}
