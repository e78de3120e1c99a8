/**
 * Model output is untrusted: it must not configure Mermaid or make the
 * rendered diagram do anything. This is the one place that decides what goes:
 *
 * - `%%{init: …}%%` and every other `%%{…}%%` directive;
 * - front matter, except a plain one-line `title:` (so `config:` goes);
 * - interaction statements: `click … call/href/"url"` (flowchart, class,
 *   gantt), `callback`/`link` (class), `link`/`links` (sequence);
 * - `<script>`/`<style>` elements with their content, other active HTML
 *   tags (iframe, object, embed, link, meta, base, form), `on…=` attributes
 *   and `javascript:` URLs.
 *
 * Pure. `repair()` always runs it (reported as the "strip-directives" step),
 * even when the diagram is valid; the UI also renders with securityLevel
 * 'strict' as a second line of defence.
 */

export interface SanitizeResult {
  code: string;
  /** What was removed, one short description each (for logs and tests). */
  removed: string[];
}

const DIRECTIVE = /%%\{[\s\S]*?\}%%|%%\{[^\n]*/g;
const FRONT_MATTER = /^\s*---[^\S\n]*\n([\s\S]*?)\n[^\S\n]*---[^\S\n]*(?:\n|$)/;
// `click ID …` / `callback ID …`: the second word is a node id, never an edge operator, so an
// edge from a node the model named `click` (`click --> B`, `click & A --> B`) is kept.
const INTERACTION_LINE =
  /^\s*(?:(?:click|callback)\s+(?![-=.~<>&|])\S+|link\s+\S+\s*(?::|")|links\s+\S+\s*:)/;
const ACTIVE_ELEMENT = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>|<(script|style)\b[^>]*>?/gi;
const ACTIVE_TAG = /<\/?(?:iframe|object|embed|link|meta|base|form|svg|math|foreignobject)\b[^>]*>?/gi;
const EVENT_ATTRIBUTE = /\son[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi;
const JS_URL = /javascript\s*:/gi;

export function sanitize(input: string): SanitizeResult {
  const removed: string[] = [];
  let code = String(input ?? '').replace(/\r\n?/g, '\n');

  const fm = FRONT_MATTER.exec(code);
  if (fm) {
    const title = /^title:[^\S\n]*([^\n]*)$/m.exec(fm[1]!);
    const others = fm[1]!.split('\n').filter((l) => l.trim() !== '' && !/^title:/.test(l));
    if (others.length > 0) {
      removed.push('front matter config');
      const keep = title && /^[^{}[\]&*!|>%@`]*$/.test(title[1]!) ? `---\ntitle: ${title[1]!.trim()}\n---\n` : '';
      code = keep + code.slice(fm[0].length);
    }
  }

  code = code.replace(DIRECTIVE, (m) => {
    removed.push(`directive ${m.slice(0, 40)}`);
    return '';
  });

  const lines = code.split('\n').filter((line) => {
    if (!INTERACTION_LINE.test(line)) return true;
    removed.push(`interaction: ${line.trim().slice(0, 60)}`);
    return false;
  });
  code = lines.join('\n');

  for (const [re, what] of [
    [ACTIVE_ELEMENT, 'script/style element'],
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
