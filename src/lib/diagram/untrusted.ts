/**
 * Model output (and anything pasted, typed, restored or opened from a link) is
 * untrusted. `prepare` is applied to every text before Mermaid parses or draws it:
 *
 * 1. The one rule for untrusted diagrams (common/untrusted.ts, the server's too):
 *    no configuration (directives, front matter except `title:`) and no
 *    interactions (`click`, `call`, `href`, `callback`, `link(s)`, …, any case,
 *    after `;` too). Removed text leaves its newlines behind, so parser error
 *    line numbers still point at the person's line. `allowedUrls` keeps
 *    `click ID href "https://…"` for exactly the URLs the person confirmed
 *    (see links.svelte.ts); nothing else can be allowed.
 * 2. HTML-looking tags (`<img src=x onerror=…>`, also across lines and inside
 *    `<<…>>`) become Mermaid entity codes (`#lt;img …#gt;`), so they are drawn
 *    as the literal text written, and no HTML parser (Mermaid's DOMPurify
 *    included) ever sees an element with handlers. `<br>` stays: it is
 *    Mermaid's line break; `<<interface>>`-style annotations stay.
 */
import { cleanUntrusted, type Cleaned } from '../../../common/untrusted.ts';

export interface PrepareOptions {
  /** http(s) URLs of `click … href` statements the person confirmed. */
  allowedUrls?: readonly string[];
}

/** What the one rule removes and which links it found (for notices). */
export function inspect(code: string): Cleaned {
  return cleanUntrusted(code, { preserveLines: true });
}

/** Removes configuration and interactions from diagram text; see the file comment. */
export function stripConfig(code: string, options: PrepareOptions = {}): string {
  const allowed = options.allowedUrls ?? [];
  if (allowed.length === 0) return cleanUntrusted(code, { preserveLines: true }).code;
  // Keep only the confirmed URLs: clean with links allowed, then drop links not confirmed.
  const withLinks = cleanUntrusted(code, { preserveLines: true, allowLinks: true });
  const unconfirmed = withLinks.links.filter((l) => !allowed.includes(l.url));
  if (unconfirmed.length === 0) return withLinks.code;
  return cleanUntrusted(code, { preserveLines: true }).code;
}

/** An annotation such as `<<interface>>`, `<<fork>>`: a plain word between `<<` and `>>`. */
const ANNOTATION = /^[\p{L}\p{N}_ -]*$/u;

/**
 * `<tag …>` and `</tag>` → `#lt;tag …#gt;`, except line breaks and plain
 * `<<annotations>>`. Arrows (`<-->`, `->>`, `<|--`) and comparisons
 * (`x < 5`) are not tags and stay. A tag may span lines (`<img\nsrc=…>`).
 */
export function escapeTags(code: string): string {
  return code.replace(/<(\/?[A-Za-z][^<>]*)>/g, (whole, inner: string, offset: number) => {
    if (/^br\s*\/?$/i.test(inner.trim())) return whole;
    const annotation = code[offset - 1] === '<' && code[offset + whole.length] === '>';
    if (annotation && ANNOTATION.test(inner)) return whole;
    return `#lt;${inner}#gt;`;
  });
}

/** What Mermaid gets: configuration and interactions removed, HTML made inert text. */
export function prepare(code: string, options: PrepareOptions = {}): string {
  return escapeTags(stripConfig(code, options));
}
