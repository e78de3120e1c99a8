/**
 * The one rule for untrusted diagram text: model output, share links, pasted,
 * restored and typed code all pass through `cleanUntrusted` before Mermaid
 * parses or draws them, on the server (server/mermaid/sanitize.ts) and in the
 * browser (src/lib/diagram/untrusted.ts, which the SVG export also uses).
 *
 * What goes, in any case and at any position in a line (after `;` too):
 * - configuration: `%%{…}%%` directives (and an unclosed `%%{` to the end of
 *   its line); front matter except a plain one-line `title:` (the UI offers
 *   no other setting a diagram could carry: theme and look are the viewer's);
 * - interactions, in the diagram types whose grammar has them, as whole
 *   statements (with their `call`/`href` parts): `click` (flowchart, class,
 *   state, gantt), `callback` and `link` (class), `link`, `links`,
 *   `properties` and `details` (sequence). A keyword followed by an edge
 *   operator (`click --> B`) is a node that happens to be called so, and
 *   stays; so does a gantt task named "Click tracking" (a gantt `click` is an
 *   interaction only with `call` or `href`). `call …` or `href …` alone is no
 *   statement in any grammar (the parser rejects it): left for repair.
 *
 * `allowLinks` (only for code a person typed and then confirmed in the UI)
 * keeps `click ID href "https://…"` and `click ID "https://…"` with an
 * http(s) URL; every other interaction still goes. `links` lists the http(s)
 * link statements found either way, so the UI can ask before keeping them.
 *
 * Hand-written scanners, no backtracking regexes: linear in the input (the
 * whole text can be 20,000 characters of adversarial input).
 */

export type RemovalKind = 'front-matter' | 'directive' | 'interaction';

export interface Removal {
  kind: RemovalKind;
  /** 1-based line in the input where the removed text started. */
  line: number;
  /** The removed text, cut to 80 characters (for logs and notices). */
  text: string;
}

export interface LinkStatement {
  line: number;
  url: string;
}

export interface UntrustedOptions {
  /** Keep `click ID href "http(s)://…"` statements: the person saw and confirmed them. */
  allowLinks?: boolean;
  /**
   * true (the browser): removed text leaves its newlines behind, so parser error
   * lines still point at the person's line. false (the server): lines left empty
   * by a removal are dropped.
   */
  preserveLines?: boolean;
}

export interface Cleaned {
  code: string;
  removed: Removal[];
  links: LinkStatement[];
}

/** Front-matter keys a diagram may carry: content, not configuration. */
export const FRONT_MATTER_KEYS = ['title'] as const;

/**
 * Statement keywords that make a diagram do something when clicked or hovered,
 * per header keyword of the diagram types whose grammar has them (Mermaid 11's lexers).
 */
const INTERACTIONS: Record<string, readonly string[]> = {
  flowchart: ['click'],
  graph: ['click'],
  'flowchart-elk': ['click'],
  classdiagram: ['click', 'callback', 'link'],
  'classdiagram-v2': ['click', 'callback', 'link'],
  statediagram: ['click'],
  'statediagram-v2': ['click'],
  gantt: ['click'],
  sequencediagram: ['link', 'links', 'properties', 'details'],
};

/** After `click `: an edge operator or `&` means `click` is a node id, not a keyword. */
const OPERATOR_START = new Set(['-', '=', '.', '~', '<', '>', '&', '|', ':']);

export function cleanUntrusted(input: string, options: UntrustedOptions = {}): Cleaned {
  const removed: Removal[] = [];
  const links: LinkStatement[] = [];
  const lines = String(input ?? '').replace(/\r\n?/g, '\n').split('\n');
  const emptied = new Set<number>();

  const bodyStart = stripFrontMatter(lines, removed, emptied);
  stripDirectives(lines, bodyStart, removed, emptied);
  const type = headerType(lines, bodyStart);
  const keywords = type !== null && Object.hasOwn(INTERACTIONS, type) ? INTERACTIONS[type]! : [];
  if (keywords.length > 0) {
    const grammar: Grammar = { keywords, sequence: type === 'sequencediagram', gantt: type === 'gantt' };
    for (let i = bodyStart; i < lines.length; i++) {
      const line = lines[i]!;
      if (!hasKeyword(line, keywords)) continue;
      const kept = stripInteractions(line, i + 1, grammar, options.allowLinks === true, removed, links);
      if (kept !== line) {
        lines[i] = kept;
        if (kept.trim() === '') emptied.add(i);
      }
    }
  }

  const out = options.preserveLines === false ? lines.filter((l, i) => !(emptied.has(i) && l.trim() === '')) : lines;
  return { code: out.join('\n'), removed, links };
}

/** Does this text hold anything `cleanUntrusted` would remove or ask about? */
export function isClean(code: string): boolean {
  const { removed, links } = cleanUntrusted(code);
  return removed.length === 0 && links.length === 0;
}

function clip(text: string): string {
  const t = text.trim();
  return t.length > 80 ? `${t.slice(0, 79)}…` : t;
}

/**
 * Front matter is `---` on the first non-blank line up to the next `---` line
 * (Mermaid's rule). Returns the index of the first line after it.
 */
function stripFrontMatter(lines: string[], removed: Removal[], emptied: Set<number>): number {
  let open = 0;
  while (open < lines.length && lines[open]!.trim() === '') open++;
  if (open >= lines.length || lines[open]!.trim() !== '---') return 0;
  let close = open + 1;
  while (close < lines.length && lines[close]!.trim() !== '---') close++;
  if (close >= lines.length) return 0; // not front matter to Mermaid either: a parse error
  const dropped: string[] = [];
  for (let i = open + 1; i < close; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || isPlainTitle(line)) continue;
    dropped.push(line);
    lines[i] = '';
    emptied.add(i);
  }
  if (dropped.length === 0) return close + 1;
  removed.push({ kind: 'front-matter', line: open + 1, text: clip(dropped.join(' ')) });
  const keepsSomething = lines.slice(open + 1, close).some((l) => l.trim() !== '');
  if (!keepsSomething) {
    // Nothing left between the fences: drop them too (an empty front matter is noise).
    lines[open] = '';
    lines[close] = '';
    emptied.add(open);
    emptied.add(close);
  }
  return close + 1;
}

/** `title: text` with no YAML syntax in it (no flow mappings, anchors, block scalars). */
function isPlainTitle(line: string): boolean {
  if (!line.startsWith('title:')) return false;
  const value = line.slice('title:'.length).trim();
  if (value === '') return false;
  for (const ch of value) if ('{}[]&*!|>%@`'.includes(ch)) return false;
  return true;
}

/** Removes `%%{ … }%%` (possibly over several lines) and an unclosed `%%{` to its line's end. */
function stripDirectives(lines: string[], from: number, removed: Removal[], emptied: Set<number>): void {
  for (let i = from; i < lines.length; i++) {
    let start = lines[i]!.indexOf('%%{');
    while (start !== -1) {
      const line = lines[i]!;
      const sameLine = line.indexOf('}%%', start + 3);
      if (sameLine !== -1) {
        removed.push({ kind: 'directive', line: i + 1, text: clip(line.slice(start, sameLine + 3)) });
        lines[i] = line.slice(0, start) + line.slice(sameLine + 3);
        if (lines[i]!.trim() === '') emptied.add(i);
        start = lines[i]!.indexOf('%%{', start);
        continue;
      }
      // Closed on a later line?
      let j = i + 1;
      let end = -1;
      while (j < lines.length && (end = lines[j]!.indexOf('}%%')) === -1) j++;
      if (j < lines.length) {
        removed.push({ kind: 'directive', line: i + 1, text: clip(`${line.slice(start)} …`) });
        lines[i] = line.slice(0, start);
        if (lines[i]!.trim() === '') emptied.add(i);
        for (let k = i + 1; k < j; k++) {
          lines[k] = '';
          emptied.add(k);
        }
        lines[j] = lines[j]!.slice(end + 3);
        if (lines[j]!.trim() === '') emptied.add(j);
        i = j;
        start = lines[j]!.indexOf('%%{');
        continue;
      }
      // Unclosed: Mermaid would still try to read it; the rest of the line goes.
      removed.push({ kind: 'directive', line: i + 1, text: clip(line.slice(start)) });
      lines[i] = line.slice(0, start);
      if (lines[i]!.trim() === '') emptied.add(i);
      break;
    }
  }
}

/** The diagram's header keyword, lower-cased (`flowchart`, `sequencediagram`), or null. */
function headerType(lines: string[], from: number): string | null {
  for (let i = from; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === '' || t.startsWith('%%')) continue;
    let end = 0;
    while (end < t.length && !isSpace(t[end]!) && t[end] !== ';') end++;
    return t.slice(0, end).toLowerCase();
  }
  return null;
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\f' || ch === '\v' || ch === '\u00a0';
}

interface Grammar {
  keywords: readonly string[];
  /** In sequence diagrams every `;` ends a statement. */
  sequence: boolean;
  /** A gantt `click` is an interaction only with `call` or `href` after its task id. */
  gantt: boolean;
}

/** Cheap pre-check: does any interaction keyword occur in the line (any case)? */
function hasKeyword(line: string, keywords: readonly string[]): boolean {
  const lower = line.toLowerCase();
  return keywords.some((k) => lower.includes(k));
}

/**
 * Splits a line into statements at `;` and drops the interaction statements.
 * In sequence diagrams every `;` ends a statement (Mermaid's lexer says so, even
 * inside message text); elsewhere `;` inside quotes or brackets is label text.
 */
function stripInteractions(line: string, lineNo: number, grammar: Grammar, allowLinks: boolean, removed: Removal[], links: LinkStatement[]): string {
  const sequence = grammar.sequence;
  const segments: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (!sequence) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && (ch === '[' || ch === '(' || ch === '{')) depth++;
      else if (!quoted && (ch === ']' || ch === ')' || ch === '}') && depth > 0) depth--;
    }
    if (ch === ';' && (sequence || (!quoted && depth === 0))) {
      segments.push(line.slice(start, i + 1));
      start = i + 1;
    }
  }
  segments.push(line.slice(start));

  let changed = false;
  const kept = segments.filter((segment) => {
    const keyword = interactionKeyword(segment, grammar.keywords);
    if (keyword === null) return true;
    if (grammar.gantt && !ganttInteraction(segment)) return true;
    const url = keyword === 'click' ? clickLinkUrl(segment) : null;
    if (url !== null) links.push({ line: lineNo, url });
    if (url !== null && allowLinks) return true;
    removed.push({ kind: 'interaction', line: lineNo, text: clip(segment.endsWith(';') ? segment.slice(0, -1) : segment) });
    changed = true;
    return false;
  });
  if (!changed) return line;
  let out = kept.join('');
  // `A --> B; click A …` leaves `A --> B;`: the separator has nothing after it.
  if (out.trimEnd().endsWith(';') && kept.length > 0) out = out.trimEnd().slice(0, -1);
  return out.trim() === '' ? '' : out;
}

/** The interaction keyword a statement starts with (lower-cased), or null. */
function interactionKeyword(segment: string, keywords: readonly string[]): string | null {
  let i = 0;
  while (i < segment.length && isSpace(segment[i]!)) i++;
  let end = i;
  while (end < segment.length && /[A-Za-z]/.test(segment[end]!)) end++;
  const word = segment.slice(i, end).toLowerCase();
  if (!keywords.includes(word)) return null;
  let next = end;
  while (next < segment.length && isSpace(segment[next]!)) next++;
  if (next === end) return null; // `click[Label]`, `clickable`: a node id
  const after = segment[next];
  if (after !== undefined && OPERATOR_START.has(after)) return null; // `click --> B`, `click & a --> B`
  return word;
}

/** `click taskId call …` or `click taskId href …` (gantt's two interaction forms). */
function ganttInteraction(segment: string): boolean {
  const third = segment.trim().split(/\s+/)[2]?.toLowerCase() ?? '';
  return third === 'call' || third.startsWith('call(') || third === 'href';
}

/** `click ID href "http(s)://…"` or `click ID "http(s)://…"`: its URL; any other click: null. */
function clickLinkUrl(segment: string): string | null {
  const words = segment.trim().replace(/;$/, '').split(/\s+/);
  // words: click, ID, (href)?, "url", ...
  let k = 2;
  if (words[k]?.toLowerCase() === 'href') k++;
  const raw = words[k];
  if (!raw || !raw.startsWith('"')) return null;
  const close = raw.indexOf('"', 1);
  const url = close === -1 ? raw.slice(1) : raw.slice(1, close);
  return /^https?:\/\/[^\s"'<>]+$/i.test(url) ? url : null;
}
