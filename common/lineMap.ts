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

/** A `---` fenced block at the very start (indentation allowed, the same on both fences), and the blank lines after it. */
const FRONT_MATTER = /^([^\S\n\r]*)---\s*[\n\r]([\s\S]*?)[\n\r]\1---\s*[\n\r]+/;
/** `%%{` … `}%%`, possibly over several lines; an unclosed one runs to the end of the text. */
const DIRECTIVE = /%%\{(?:(?!\}%%)[\s\S])*(?:\}%%)?/g;
/** A `%%` comment line (not a directive), with the blank lines before it and its newline. */
const COMMENT_LINE = /^\s*%%(?!\{)[^\n]+\n?/gm;

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

/** Like String.replace with a regex, but deletion only (what mermaid does). */
function remove(t: Tracked, re: RegExp): Tracked {
  let text = '';
  const lines: number[] = [];
  let last = 0;
  const global = re.flags.includes('g');
  re.lastIndex = 0;
  for (let m = re.exec(t.text); m; m = global ? re.exec(t.text) : null) {
    text += t.text.slice(last, m.index);
    lines.push(...t.lines.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  text += t.text.slice(last);
  lines.push(...t.lines.slice(last));
  return { text, lines };
}

/**
 * Maps a 1-based line of the text mermaid parsed back to a 1-based line of
 * `code`. Lines past the end are clamped to the last line of `code`.
 */
export function sourceLine(code: string, parsedLine: number): number {
  // mermaid turns \r\n and lone \r into \n first; so do we, so that "lines" agree.
  const normalized = code.replace(/\r\n?/g, '\n');
  const sourceLines = normalized.split('\n').length;
  let t = track(normalized);
  t = remove(t, FRONT_MATTER);
  t = remove(t, DIRECTIVE);
  t = remove(t, COMMENT_LINE);
  const lead = t.text.length - t.text.trimStart().length;
  t = { text: t.text.slice(lead), lines: t.lines.slice(lead) };

  let line = 1;
  for (let i = 0; i < t.text.length; i++) {
    if (line === parsedLine) return Math.min((t.lines[i] ?? 0) + 1, sourceLines);
    if (t.text[i] === '\n') line++;
  }
  // The parser pointed past the end (unexpected end of input): the last line with text.
  const trimmed = normalized.trimEnd();
  return Math.max(1, Math.min(trimmed.split('\n').length, sourceLines));
}
