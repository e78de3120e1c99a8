/**
 * Finds the Mermaid diagram in whatever a model wrote. Pure, no mermaid
 * import, safe on any prefix of a streamed answer (never throws).
 *
 *   extractDiagram('Sure!\n```mermaid\nflowchart TD\n  A --> B\n```\nHope it helps.')
 *   // { code: 'flowchart TD\n  A --> B', complete: true }
 *
 * Order of preference:
 * 1. the first closed code fence (``` or ~~~) tagged mermaid/mmd, or untagged
 *    and starting like a diagram;
 * 2. else an unclosed fence of that kind (the answer was cut, or is still
 *    streaming): `complete: false`;
 * 3. else an unfenced diagram: from the first diagram header (with any
 *    front matter / `%%` lines just above it) to the end, less trailing prose.
 * `<think>…</think>` is ignored (as is an unclosed `<think>` while streaming,
 * and text before a lone `</think>`); so is a `mermaid` line or a repeated
 * opening fence just inside the fence. No diagram (prose, a bullet list) → null.
 *
 * `partial: true` says the text is a stream prefix: an unfenced diagram may
 * still grow (complete: false), and a half-written closing fence is dropped.
 */
import { isDiagramHeader, isDirectiveOrComment } from './keywords.ts';
import { isProseLine } from './prose.ts';

export interface Extracted {
  code: string;
  /** False when the diagram's end was not seen: cut by the budget, or still streaming. */
  complete: boolean;
}

export interface ExtractOptions {
  /** The text is a prefix of a stream still in progress. */
  partial?: boolean;
}

export function extractDiagram(text: string, options: ExtractOptions = {}): Extracted | null {
  const found = extractFrom(String(text ?? ''), options);
  if (found !== null || options.partial === true) return found;
  // An answer sent as a JSON string (`"flowchart TD\n  A --> B"`) or object (`{"diagram": "…"}`).
  const decoded = fromJson(String(text ?? ''));
  return decoded === null ? null : extractFrom(decoded, options);
}

function extractFrom(text: string, options: ExtractOptions): Extracted | null {
  const partial = options.partial === true;
  const answer = withoutThinking(text.replace(/\r\n?/g, '\n'), partial);
  if (answer === null) return null;
  const lines = answer.split('\n').map(withoutMermaidWord);
  if (partial) dropHalfWrittenFence(lines);
  return fromFences(lines) ?? fromBareText(lines, partial);
}

/** `mermaid graph LR`: the language name written in front of the header line. */
function withoutMermaidWord(line: string): string {
  const m = /^(\s*)mermaid[ \t]+(\S.*)$/i.exec(line);
  return m && isDiagramHeader(m[2]!) ? m[1]! + m[2]! : line;
}

/** The text inside a JSON string, or the first string value of a JSON object that holds a diagram; else null. */
function fromJson(text: string): string | null {
  const t = text.trim();
  if (!t.includes('\\n') || (t[0] !== '"' && t[0] !== '{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    return t[0] === '"' ? t.slice(1, t.endsWith('"') ? -1 : undefined).replace(/\\n/g, '\n').replace(/\\"/g, '"') : null;
  }
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>)) {
      if (typeof v === 'string' && v.split('\n').some((l) => isDiagramHeader(l))) return v;
    }
  }
  return null;
}

/** Removes reasoning. Returns null while a stream is still inside `<think>`. */
function withoutThinking(text: string, partial: boolean): string | null {
  let out = withoutClosedThinkBlocks(text);
  // A chat template may open <think> itself: the answer then starts after a lone </think>.
  const lone = out.search(/<\/think>/i);
  if (lone >= 0) out = out.slice(lone + '</think>'.length).replace(/<\/think>/gi, '\n');
  const open = out.search(/<think>/i);
  if (open >= 0) {
    if (partial) return out.slice(0, open).trim() ? out.slice(0, open) : null;
    // Finished without closing it: the diagram, if any, may be inside.
    out = out.slice(0, open) + '\n' + out.slice(open + '<think>'.length);
  }
  return out;
}

/**
 * `text.replace(/<think>[\s\S]*?<\/think>/gi, '\n')` as a scan: that lazy
 * pattern is quadratic on many `<think>` without a `</think>` (each one
 * scans to the end). Once a `<think>` has no `</think>` after it, no later one has.
 */
function withoutClosedThinkBlocks(text: string): string {
  const open = /<think>/gi;
  const close = /<\/think>/gi;
  let out = '';
  let at = 0;
  for (;;) {
    open.lastIndex = at;
    const o = open.exec(text);
    if (!o) break;
    close.lastIndex = o.index + o[0].length;
    const c = close.exec(text);
    if (!c) break;
    out += text.slice(at, o.index) + '\n';
    at = c.index + c[0].length;
  }
  return out + text.slice(at);
}

/** While streaming, a last line such as "``" may become a closing fence: not diagram text. */
function dropHalfWrittenFence(lines: string[]): void {
  const last = lines[lines.length - 1] ?? '';
  if (/^\s*(?:`{1,2}|~{1,2})$/.test(last)) lines.pop();
}

interface Fence {
  lang: string;
  body: string[];
  closed: boolean;
}

/**
 * An opening fence: up to 3 spaces, ``` or ~~~ (or longer), then an info
 * string without backticks whose first word is the language. A scan rather
 * than one pattern: `~{3,}\s*([^\s`]*)[^`]*$` backtracks cubically.
 */
function fenceOpen(line: string): { indent: number; marker: string; lang: string; info: string } | null {
  const start = /^( {0,3})(`{3,}|~{3,})/.exec(line);
  if (!start) return null;
  const rest = line.slice(start[0].length);
  if (rest.includes('`')) return null;
  const lang = /^\s*(\S*)/.exec(rest)!;
  return { indent: start[1]!.length, marker: start[2]!, lang: lang[1]!, info: rest.slice(lang[0].length).trim() };
}

function scanFences(lines: string[]): Fence[] {
  const fences: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = fenceOpen(lines[i]!);
    if (!open) continue;
    const { marker, indent } = open;
    const fenceChar = marker[0] === '`' ? '`' : '~';
    const close = new RegExp(`^ {0,3}${fenceChar}{${marker.length},}\\s*$`);
    // Small models sometimes glue the closing fence to the last line: "C --> D```".
    const gluedClose = new RegExp(`^(.*\\S)${fenceChar}{${marker.length}}\\s*$`);
    const dedent = new RegExp(`^ {0,${indent}}`);
    const body: string[] = [];
    // …or put the header on the fence line: "```mermaid flowchart TD".
    if (open.info && isDiagramHeader(open.info)) body.push(open.info);
    let j = i + 1;
    let closed = false;
    for (; j < lines.length; j++) {
      if (close.test(lines[j]!)) {
        closed = true;
        break;
      }
      const glued = gluedClose.exec(lines[j]!);
      if (glued && !glued[1]!.includes(fenceChar.repeat(3))) {
        body.push(glued[1]!.replace(dedent, ''));
        closed = true;
        break;
      }
      body.push(lines[j]!.replace(dedent, ''));
    }
    fences.push({ lang: open.lang.toLowerCase(), body, closed });
    i = j;
  }
  return fences;
}

function fromFences(lines: string[]): Extracted | null {
  const candidates = scanFences(lines).filter((f) => isDiagramFence(f) && f.body.some((l) => l.trim() !== ''));
  const chosen = candidates.find((f) => f.closed) ?? candidates[0];
  if (!chosen) return null;
  const code = tidy(withoutLeadingNoise(chosen.body));
  return code ? { code, complete: chosen.closed } : null;
}

/**
 * Lines small models put above the header inside the fence: the language
 * name on a line of its own (```` ``` ```` then `mermaid`), or the opening
 * fence written twice (```` ```mermaid ```` on two lines).
 */
function withoutLeadingNoise(body: string[]): string[] {
  let i = 0;
  while (i < body.length && (body[i]!.trim() === '' || /^(?:mermaid|mmd|(?:`{3,}|~{3,})(?:\s*(?:mermaid|mmd))?)$/i.test(body[i]!.trim()))) i++;
  return i < body.length && isDiagramHeader(body[i]!) ? body.slice(i) : body;
}

function isDiagramFence(fence: Fence): boolean {
  const lang = fence.lang.replace(/[{}.]/g, '');
  if (lang === 'mermaid' || lang === 'mmd' || lang === 'mermaid-example') return true;
  if (lang !== '') return false;
  return startsLikeDiagram(fence.body);
}

/** First meaningful line is a header, or the block opens with front matter / a directive. */
function startsLikeDiagram(body: string[]): boolean {
  return headerIndex(body, 0) !== -1;
}

/**
 * Index of the first line of a diagram starting at or after `from`: its
 * header, or the front matter / `%%` lines directly above the header. -1 if none.
 */
function headerIndex(lines: string[], from: number): number {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (isDiagramHeader(line)) return startOfPreamble(lines, i);
    if (/^\s*---\s*$/.test(line)) {
      const end = lines.findIndex((l, k) => k > i && /^\s*---\s*$/.test(l));
      if (end > i) {
        const next = nextMeaningful(lines, end + 1);
        if (next !== -1 && isDiagramHeader(lines[next]!)) return i;
        i = end;
      }
    }
  }
  return -1;
}

function nextMeaningful(lines: string[], from: number): number {
  for (let i = from; i < lines.length; i++) {
    if (lines[i]!.trim() !== '' && !isDirectiveOrComment(lines[i]!)) return i;
  }
  return -1;
}

/** Walks up from a header over `%%` lines and a front-matter block directly above it. */
function startOfPreamble(lines: string[], header: number): number {
  let start = header;
  let i = header - 1;
  while (i >= 0 && (isDirectiveOrComment(lines[i]!) || lines[i]!.trim() === '')) {
    if (isDirectiveOrComment(lines[i]!)) start = i;
    i--;
  }
  if (i >= 0 && /^\s*---\s*$/.test(lines[i]!)) {
    for (let k = i - 1; k >= 0; k--) {
      if (/^\s*---\s*$/.test(lines[k]!)) return k;
    }
  }
  return start;
}

function fromBareText(lines: string[], partial: boolean): Extracted | null {
  const start = headerIndex(lines, 0);
  if (start === -1) return null;
  let end = lines.length;
  // The diagram ends where prose resumes after a blank line ("This diagram shows…").
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '' && i + 1 < lines.length && isProseLine(lines[i + 1]!)) {
      end = i;
      break;
    }
  }
  const code = tidy(lines.slice(start, end));
  return code ? { code, complete: !partial || end < lines.length } : null;
}

/** Drops surrounding blank lines and the indentation common to every line. */
function tidy(body: string[]): string {
  let from = 0;
  let to = body.length;
  while (from < to && body[from]!.trim() === '') from++;
  while (to > from && body[to - 1]!.trim() === '') to--;
  const kept = body.slice(from, to).map((l) => l.trimEnd());
  const indents = kept.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return kept.map((l) => l.slice(Math.min(common, /^[ \t]*/.exec(l)![0].length))).join('\n');
}
