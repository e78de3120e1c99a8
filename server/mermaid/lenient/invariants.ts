/**
 * The content check run on every repair output: is every word the model
 * wrote still drawn, and is nothing drawn that the model did not write?
 *
 *   checkContent('flowchart TD\n  A[Pay] --> B[Ship', 'flowchart TD\n  A["Pay"]', new Set([3]))
 *   // { missing: [], invented: [] }  (line 3 was dropped as a cut line, and said so)
 *
 * Words, not syntax: the text is cut into runs of letters and digits
 * (any script), lower-cased; diagram keywords, directions, styling lines,
 * comments and the ids the printer generates (`n3`, `sg1`) do not count.
 * A word of the model's diagram that the output lacks is *missing* (repair()
 * reports it as a `lost-content` change); a word of the output that the
 * model never wrote is *invented* (repair() refuses such a candidate).
 * Lines the repair dropped and said so, or that are not diagram (prose,
 * fences), are passed in `skip` and do not count. Linear: one pass per line.
 */
import { isDiagramHeader } from '../keywords.ts';
import { decodeEntityCodes } from './text.ts';

export interface ContentCheck {
  missing: string[];
  invented: string[];
}

const SYNTAX = new Set([
  'flowchart', 'graph', 'subgraph', 'end', 'direction', 'td', 'tb', 'bt', 'lr', 'rl',
  'elk', 'v2', 'beta', 'default', 'br',
  // Words other notations use for what Mermaid draws as a symbol (`extends` → `<|--`, `primary key` → PK).
  'extends', 'implements', 'primary', 'foreign', 'key', 'unique', 'pk', 'fk', 'uk',
  // Keywords the sequence, state and class printers write (`Note over A`, `state "x" as y`, `class A["x"]`).
  'over', 'of', 'as', 'state', 'note', 'participant', 'actor', 'class', 'namespace',
]);
const STYLING = /^\s*(?:style|classDef|class|linkStyle|click|%%)\b/;
/** In a class diagram `class X` declares a class (its label and members are content), it styles nothing. */
const CLASS_STYLING = /^\s*(?:style|classDef|cssClass|linkStyle|click|%%)\b/;

export function contentWords(code: string, skip: ReadonlySet<number> = new Set()): Set<string> {
  const words = new Set<string>();
  const lines = code.split('\n');
  const styling = lines.some((l) => /^\s*classDiagram/.test(l)) ? CLASS_STYLING : STYLING;
  for (let k = 0; k < lines.length; k++) {
    if (skip.has(k + 1)) continue;
    const line = lines[k]!;
    if (styling.test(line) || isDiagramHeader(line)) continue;
    for (const w of wordsOf(stripComment(decodeEntityCodes(line)))) words.add(w);
  }
  return words;
}

export function checkContent(before: string, after: string, skip: ReadonlySet<number> = new Set(), undrawn: readonly string[] = []): ContentCheck {
  const had = contentWords(before, skip);
  const ids = new Set(undrawn.flatMap((t) => wordsOf(t)));
  // An id's words count only if they are drawn somewhere else too (as a label).
  if (ids.size > 0) {
    const labels = labelWords(before);
    for (const w of ids) if (!labels.has(w)) had.delete(w);
  }
  const has = contentWords(after);
  const missing = [...had].filter((w) => !has.has(w));
  // Skipped lines may not be required, but what they say is not invented (a split node's label).
  const all = skip.size > 0 ? contentWords(before) : had;
  const invented = [...has].filter((w) => !all.has(w) && !had.has(w) && !isGenerated(w));
  return { missing, invented };
}

/** Runs of letters/digits/marks, lower-cased; one-letter ASCII words and numbers alone are syntax-like. */
function wordsOf(line: string): string[] {
  const out: string[] = [];
  let word = '';
  const flush = () => {
    const w = word.toLowerCase();
    word = '';
    if (w === '' || SYNTAX.has(w)) return;
    if (/^[a-z]$/.test(w) || /^\d+$/.test(w)) return;
    out.push(w);
  };
  for (const ch of line) {
    if (/[\p{L}\p{N}\p{M}]/u.test(ch)) word += ch;
    else flush();
  }
  flush();
  return out;
}

/** The words inside bracket, quote and pipe labels of the input. */
function labelWords(code: string): Set<string> {
  const labels: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of code) {
    if (ch === '[' || ch === '(' || ch === '{' || ch === '|' || ch === '"') {
      if (depth > 0) labels.push(cur);
      cur = '';
      depth = ch === '|' || ch === '"' ? (depth > 0 ? 0 : 1) : depth + 1;
      continue;
    }
    if (ch === ']' || ch === ')' || ch === '}') {
      labels.push(cur);
      cur = '';
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (depth > 0) cur += ch;
  }
  return new Set(labels.flatMap((l) => wordsOf(l)));
}

/** Ids the printer makes up (`n12`, `sg3`) and the shapes' `_2` suffix parts. */
function isGenerated(w: string): boolean {
  return /^(?:n|sg|p)\d+$/.test(w);
}

/** A trailing `%% …` or ` // …` comment is not drawn. */
function stripComment(line: string): string {
  const pct = line.indexOf('%%');
  let s = pct === -1 ? line : line.slice(0, pct);
  const slashes = s.indexOf(' //');
  if (slashes !== -1 && !s.slice(slashes).includes('"')) s = s.slice(0, slashes);
  return s;
}
