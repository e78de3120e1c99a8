/**
 * Model output is untrusted: it must not configure Mermaid or make the
 * rendered diagram do anything. Configuration and interactions follow the one
 * rule all untrusted diagram text follows, server and browser alike
 * (`cleanUntrusted` in common/untrusted.ts: directives, front matter except a
 * plain `title:`, `click`/`call`/`href`/`callback`/`link`/`links`/
 * `properties`/`details` statements in any case, after `;` too). On top of
 * that, the server removes active HTML from the text it returns:
 * `<script>`/`<style>` elements with their content, other active tags
 * (iframe, object, embed, link, meta, base, form, svg, math, foreignObject),
 * `on…=` attributes and `javascript:` URLs. (The browser instead draws
 * HTML-looking text as literal text, see src/lib/diagram/untrusted.ts.)
 *
 * Pure. `repair()` always runs it (reported as the "strip-directives" step),
 * even when the diagram is valid; the UI also renders with securityLevel
 * 'strict' as a second line of defence.
 */
import { cleanUntrusted, type Removal } from '../../common/untrusted.ts';

export interface SanitizeResult {
  code: string;
  /** What was removed, one short description each (for logs and tests). */
  removed: string[];
}

const ACTIVE_ELEMENT_START = /<(script|style)\b/gi;
const ACTIVE_TAG = /<\/?(?:iframe|object|embed|link|meta|base|form|svg|math|foreignobject)\b[^>]*>?/gi;
const EVENT_ATTRIBUTE = /\son[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi;
const JS_URL = /javascript\s*:/gi;

export function sanitize(input: string): SanitizeResult {
  const clean = cleanUntrusted(String(input ?? ''), { preserveLines: false });
  const removed = clean.removed.map(describeRemoval);
  let code = clean.code;

  code = removeActiveElements(code, removed);
  for (const [re, what] of [
    [ACTIVE_TAG, 'active HTML tag'],
    [EVENT_ATTRIBUTE, 'event handler attribute'],
    [JS_URL, 'javascript: URL'],
  ] as const) {
    code = code.replace(re, () => {
      removed.push(what);
      return '';
    });
  }

  // A directive alone on its line leaves an empty line behind; drop leading ones.
  code = code.replace(/^\s*\n/, '');
  return { code, removed };
}

function describeRemoval(r: Removal): string {
  if (r.kind === 'front-matter') return 'front matter config';
  if (r.kind === 'directive') return `directive ${r.text.slice(0, 40)}`;
  return `interaction: ${r.text.slice(0, 60)}`;
}

/**
 * `<script …>…</script>` and `<style …>…</style>` with their content; an
 * unclosed one loses its opening tag only. A scan rather than one regex with a
 * lazy `[\s\S]*?` body, which is quadratic on many unclosed tags.
 */
function removeActiveElements(code: string, removed: string[]): string {
  let out = '';
  let from = 0;
  ACTIVE_ELEMENT_START.lastIndex = 0;
  const lower = code.toLowerCase();
  for (let m = ACTIVE_ELEMENT_START.exec(code); m !== null; m = ACTIVE_ELEMENT_START.exec(code)) {
    if (m.index < from) continue;
    const tag = m[1]!.toLowerCase();
    const openEnd = code.indexOf('>', m.index);
    const close = openEnd === -1 ? -1 : lower.indexOf(`</${tag}`, openEnd);
    const closeEnd = close === -1 ? -1 : code.indexOf('>', close);
    const end = closeEnd !== -1 ? closeEnd + 1 : openEnd !== -1 ? openEnd + 1 : code.length;
    out += code.slice(from, m.index);
    from = end;
    ACTIVE_ELEMENT_START.lastIndex = end;
    removed.push('script/style element');
  }
  return out + code.slice(from);
}
