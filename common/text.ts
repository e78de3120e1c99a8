/**
 * Small string helpers that replace patterns like `/\/+$/` and `/^-+|-+$/g`:
 * an end-anchored `x+$` is retried from every `x` of a long run, which is
 * quadratic (tests/redos). Pure; shared by UI and server.
 */

/** `s` without the run of `ch` (one character) at its end. */
export function trimEndChar(s: string, ch: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === ch) end--;
  return s.slice(0, end);
}

/** `s` without the runs of `ch` (one character) at both ends. */
export function trimChar(s: string, ch: string): string {
  let start = 0;
  while (start < s.length && s[start] === ch) start++;
  return trimEndChar(s.slice(start), ch);
}

/** `s.replace(/\s*;\s*$/, '')`: one `;` at the end, with the spaces around it. */
export function trimEndSemicolon(s: string): string {
  const t = s.trimEnd();
  return t.endsWith(';') ? t.slice(0, -1).trimEnd() : s;
}

/**
 * The matches of `\s*(?:core)\s*` (global, left to right) as ranges, found by
 * matching `core` alone and widening each match over the spaces around it
 * (never back into the previous match). Same matches, but linear: a leading
 * `\s*` is retried from every space of a long run.
 */
export function spacedMatches(s: string, core: RegExp): Array<{ start: number; end: number; match: RegExpExecArray }> {
  const re = new RegExp(core.source, core.flags.includes('g') ? core.flags : core.flags + 'g');
  const found: Array<{ start: number; end: number; match: RegExpExecArray }> = [];
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    let start = m.index;
    while (start > last && /\s/.test(s[start - 1]!)) start--;
    let end = m.index + m[0].length;
    while (end < s.length && /\s/.test(s[end]!)) end++;
    found.push({ start, end, match: m });
    last = end;
    re.lastIndex = m[0].length === 0 ? end + 1 : end;
  }
  return found;
}

/** Every match of `\s*(?:core)\s*` replaced (global), without its quadratic cost (see spacedMatches). */
export function replaceSpaced(s: string, core: RegExp, replace: (match: RegExpExecArray) => string): string {
  let out = '';
  let last = 0;
  for (const { start, end, match } of spacedMatches(s, core)) {
    out += s.slice(last, start) + replace(match);
    last = end;
  }
  return out + s.slice(last);
}

/** The first `X` (one character) with the spaces around it replaced, as `\s*X\s*` would: without quadratic runs of spaces. */
export function replaceFirstSpaced(s: string, ch: string, replacement: string): string {
  const at = s.indexOf(ch);
  if (at === -1) return s;
  let start = at;
  while (start > 0 && /\s/.test(s[start - 1]!)) start--;
  let end = at + 1;
  while (end < s.length && /\s/.test(s[end]!)) end++;
  return s.slice(0, start) + replacement + s.slice(end);
}

/**
 * The first `max` UTF-16 units of `s` (the unit every limit counts in), one
 * unit fewer when the cut would split a surrogate pair: half an emoji is a
 * lone surrogate, which the request rules refuse as invalid text.
 */
export function cutUtf16(s: string, max: number): string {
  if (s.length <= max) return s;
  const last = s.charCodeAt(max - 1);
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
