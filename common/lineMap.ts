/**
 * Mermaid reports parse errors against the text it actually parsed, not the
 * text it was given: before parsing, mermaid 11 drops front matter, `%%{…}%%`
 * directives, `%%` comment lines and leading blank lines. This module does
 * the same removals while remembering where every character came from, so a
 * parser line can be turned back into a line of the caller's code. It lives
 * in common/ because the UI (errors while editing) and the server
 * (validate) both need it.
 *
 * The patterns below describe those removals (server/mermaid/validate.test.ts
 * checks the mapped line against what the real parser reports); if a future mermaid
 * strips differently, the worst outcome is an error pointing at a nearby
 * line. Pure, no mermaid import.
 */

/**
 * A `---` fenced block at the very start (indentation allowed, the same on
 * both fences), and the blank lines after it: what mermaid's
 * `/^([^\S\n\r]*)-{3}\s*[\n\r](.*?)[\n\r]\1-{3}\s*[\n\r]+/s` matches, found by
 * a scan because that pattern is cubic on `---` and thousands of blank lines
 * (tests/redos). Returns the match as [start, end) or nothing.
 */
export function frontMatter(text: string): Array<[number, number]> {
  const open = /^([^\S\n\r]*)---/.exec(text);
  if (!open) return [];
  const fence = open[1]! + '---';
  const isSpace = (c: string) => /\s/.test(c);
  const isBreak = (c: string | undefined) => c === '\n' || c === '\r';
  /** After a fence at `from`: `\s*[\n\r]+` ends after the last line break of the whitespace run; -1 if it has none. */
  const afterRun = (from: number) => {
    let lastBreak = -1;
    for (let i = from; i < text.length && isSpace(text[i]!); i++) if (isBreak(text[i])) lastBreak = i;
    return lastBreak === -1 ? -1 : lastBreak + 1;
  };
  /** A closing fence: a line break at k, then the indented `---`, then whitespace holding a line break. */
  const closesAt = (k: number) => isBreak(text[k]) && text.startsWith(fence, k + 1) && afterRun(k + 1 + fence.length) !== -1;
  // `\s*[\n\r]` after the opening fence: greedy, so the body starts after the
  // run's last line break; the run holds no `---`, so a shorter `\s*` can only
  // win when that last break is itself the closing fence's line break.
  const breaks: number[] = [];
  for (let i = fence.length; i < text.length && isSpace(text[i]!); i++) if (isBreak(text[i])) breaks.push(i);
  if (breaks.length === 0) return [];
  const last = breaks[breaks.length - 1]!;
  for (let k = last + 1; k < text.length; k++) {
    if (closesAt(k)) return [[0, afterRun(k + 1 + fence.length)]];
  }
  if (breaks.length >= 2 && closesAt(last)) return [[0, afterRun(last + 1 + fence.length)]];
  return [];
}
/** `%%{` … `}%%`, possibly over several lines; an unclosed one runs to the end of the text. */
const DIRECTIVE = /%%\{(?:(?!\}%%)[\s\S])*(?:\}%%)?/g;
/**
 * `%%` comment lines (not directives), each with the blank lines before it
 * and its newline: the matches of `/^\s*%%(?!\{)[^\n]+\n?/gm`, found by a
 * scan because that pattern is quadratic on thousands of blank lines.
 */
export function commentLines(text: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  const isLineStart = (i: number) => i === 0 || /[\n\r\u2028\u2029]/.test(text[i - 1]!);
  let runStart = -1; // the first line start of the current whitespace run, at or after the last match
  for (let i = 0; i < text.length; i++) {
    if (runStart === -1 && isLineStart(i)) runStart = i;
    const c = text[i]!;
    if (runStart !== -1 && c === '%' && text[i + 1] === '%' && text[i + 2] !== '{' && i + 2 < text.length && text[i + 2] !== '\n') {
      const newline = text.indexOf('\n', i + 2);
      const end = newline === -1 ? text.length : newline + 1;
      found.push([runStart, end]);
      runStart = -1;
      i = end - 1;
      continue;
    }
    if (!/\s/.test(c)) runStart = -1;
  }
  return found;
}

/** Text plus, for each character, the 0-based source line it came from. */
interface Tracked {
  text: string;
  lines: number[];
}

function track(code: string): Tracked {
  const lines: number[] = new Array(code.length);
  let line = 0;
  for (let i = 0; i < code.length; i++) {
    lines[i] = line;
    if (code[i] === '\n') line++;
  }
  return { text: code, lines };
}

/** The matches of a global regex as [start, end) ranges. */
function matches(re: RegExp): (text: string) => Array<[number, number]> {
  return (text) => [...text.matchAll(re)].map((m) => [m.index, m.index + m[0].length]);
}

/** Like String.replace, but deletion only (what mermaid does), of the ranges `find` returns (in order, not overlapping). */
function remove(t: Tracked, find: (text: string) => Array<[number, number]>): Tracked {
  let text = '';
  let lines: number[] = [];
  let last = 0;
  for (const [start, end] of find(t.text)) {
    text += t.text.slice(last, start);
    lines = lines.concat(t.lines.slice(last, start));
    last = end;
  }
  text += t.text.slice(last);
  lines = lines.concat(t.lines.slice(last));
  return { text, lines };
}

/**
 * Maps a 1-based line of the text mermaid parsed back to a 1-based line of
 * `code`. Lines past the end are clamped to the last line of `code`.
 */
export function sourceLine(code: string, parsedLine: number): number {
  return sourceLineMap(code)(parsedLine);
}

/**
 * `sourceLine` for many lines of one text: the removals are done once (a
 * langium error lists every bad line, a thousand on a 20,000-character
 * diagram; mapping each from scratch took seconds).
 */
export function sourceLineMap(code: string): (parsedLine: number) => number {
  // mermaid turns \r\n and lone \r into \n first; so do we, so that "lines" agree.
  const normalized = code.replace(/\r\n?/g, '\n');
  const sourceLines = normalized.split('\n').length;
  let t = track(normalized);
  t = remove(t, frontMatter);
  t = remove(t, matches(DIRECTIVE));
  t = remove(t, commentLines);
  const lead = t.text.length - t.text.trimStart().length;
  t = { text: t.text.slice(lead), lines: t.lines.slice(lead) };
  // The source line of the start of each parsed line (index 0 = parsed line 1).
  const starts: number[] = [];
  if (t.text.length > 0) starts.push(Math.min((t.lines[0] ?? 0) + 1, sourceLines));
  for (let i = 0; i < t.text.length - 1; i++) {
    if (t.text[i] === '\n') starts.push(Math.min((t.lines[i + 1] ?? 0) + 1, sourceLines));
  }
  // The parser pointed past the end (unexpected end of input): the last line with text.
  const pastEnd = Math.max(1, Math.min(normalized.trimEnd().split('\n').length, sourceLines));
  return (parsedLine) => (Number.isInteger(parsedLine) && parsedLine >= 1 ? starts[parsedLine - 1] ?? pastEnd : pastEnd);
}
