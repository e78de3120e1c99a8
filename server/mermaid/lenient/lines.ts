/**
 * What the readers of sequence, state, class and ER diagrams share: the
 * statement part of a line as a small model writes it. Pure, linear-time
 * (hand scans; no pattern with two quantifiers that can take the same text).
 */
import { entity } from '../body.ts';
import { bracketsOnly, isUnfinished } from '../repairs/dropBrokenTail.ts';

export interface SourceLine {
  /** 1-based line number in the code given to rewrite(). */
  line: number;
  /** The statement: Markdown bullet, trailing `;`, trailing comment removed; trimmed. */
  text: string;
  /** Leading whitespace as written (hierarchy for blocks left open). */
  indent: number;
  /** A trailing comment (`%% x`, `// x`) cut off the statement, without its marker. */
  comment: string | null;
}

const BULLET = /^(?:[-*+•]|\d{1,3}[.)])[ \t]+/;

/** The statement lines after the header: blank lines and `%%` lines are skipped. */
export function sourceLines(code: string): { header: string; headerLine: number; lines: SourceLine[] } | null {
  const all = code.split('\n');
  let h = 0;
  let inFront = false;
  for (; h < all.length; h++) {
    const t = all[h]!.trim();
    if (t === '---' && (inFront || h === all.findIndex((l) => l.trim() !== ''))) {
      inFront = !inFront;
      continue;
    }
    if (inFront || t === '' || t.startsWith('%%')) continue;
    break;
  }
  if (h >= all.length) return null;
  const lines: SourceLine[] = [];
  for (let i = h + 1; i < all.length; i++) {
    const raw = all[i]!;
    const indent = raw.length - raw.trimStart().length;
    let text = raw.trim();
    if (text === '' || text.startsWith('%%')) continue;
    text = text.replace(BULLET, '');
    const { statement, comment } = splitComment(text);
    text = trimSemicolons(statement);
    if (text === '') continue;
    lines.push({ line: i + 1, text, indent, comment });
  }
  return { header: all[h]!.trim(), headerLine: h + 1, lines };
}

/**
 * `A->>B: hi %% why` / `A --> B // why`: the statement and its comment.
 * `//` right after `:` (a URL, `https://`) is text; so is `%%` inside quotes.
 */
export function splitComment(text: string): { statement: string; comment: string | null } {
  let quote = false;
  for (let i = 0; i < text.length - 1; i++) {
    const ch = text[i]!;
    if (ch === '"') quote = !quote;
    if (quote) continue;
    const two = text.slice(i, i + 2);
    const spaced = i === 0 || /\s/.test(text[i - 1]!);
    if ((two === '%%' || two === '//') && spaced) {
      return { statement: text.slice(0, i).trimEnd(), comment: text.slice(i + 2).trim() };
    }
  }
  return { statement: text, comment: null };
}

/**
 * Text that must not be read as syntax: `;` ends a statement, `#` starts a
 * comment; both become entity codes, drawn as the same characters. Entity
 * codes already there (`#9829;`, `#quot;`) are kept. `"` becomes a
 * typographic quote where the syntax has no room for it.
 */
export function escapeText(text: string, extra = ''): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '#') {
      const code = /^#[A-Za-z0-9]{1,10};/.exec(text.slice(i, i + 13));
      if (code && isEntity(code[0])) {
        out += code[0];
        i += code[0].length - 1;
        continue;
      }
      out += entity(ch);
    } else if (ch === ';' || extra.includes(ch)) out += entity(ch);
    else out += ch;
  }
  return out;
}

/**
 * Codes that are drawn as the character the writer meant: named ones
 * (`#quot;`), characters beyond ASCII (`#9829;`), and the ones repairs
 * write for syntax characters. `#42;` in "commit #42; open PR" is a number
 * and a `;`, not `*`.
 */
const OWN_CODES = new Set([34, 35, 38, 40, 41, 58, 59, 60, 62, 91, 93, 123, 124, 125]);
export function isEntity(code: string): boolean {
  const n = /^#(\d+);$/.exec(code);
  return n === null || Number(n[1]) >= 160 || OWN_CODES.has(Number(n[1]));
}

/** `"x"` / `'x'` / `“x”` → x. */
export function unquote(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && /^["'“„«]/.test(t) && /["'”»]$/.test(t)) return t.slice(1, -1).trim();
  return t;
}

/** Alternating typographic quotes for `"` inside text that sits between quotes. */
export function typographic(text: string): string {
  let open = true;
  return text.replace(/"/g, () => ((open = !open) ? '\u201d' : '\u201c'));
}

/** Trailing `;` (statement terminators, `;;` included) and the spaces between them. */
export function trimSemicolons(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === ';' || text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(0, end);
}

/**
 * The last statement, visibly cut by the token budget (an open bracket or
 * quote, a dangling arrow, colon or comma), and not the only one: the one
 * thing a reader may drop (reported as `dropped-cut-line`).
 */
export function isCutLast(code: string, lines: readonly SourceLine[], i: number): boolean {
  return i === lines.length - 1 && i > 0 && isUnfinished(bracketsOnly(code, lines[i]!.text));
}

/** `s` without the runs of `chars` (single characters) at both ends: `/^_+|_+$/g` backtracks over long runs. */
export function trimRuns(s: string, chars: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && chars.includes(s[start]!)) start++;
  while (end > start && chars.includes(s[end - 1]!)) end--;
  return s.slice(start, end);
}

/** An id made from a name: letters and digits of any script, `_` for the rest. */
export function slug(name: string, fallback: string): string {
  return trimRuns(name.replace(/[^\p{L}\p{N}_]+/gu, '_'), '_') || fallback;
}
