/**
 * The model's comments through a lenient rewrite. The flowchart printer keeps
 * them in place; the sequence, state, class and ER readers read statements
 * only, so their comments would vanish silently. Mermaid takes `%%` on a line
 * of its own in every type (a trailing `%%` is a parse error in flowcharts
 * and ER diagrams, and message text in sequence diagrams), so a comment the
 * rewrite lost comes back as a `%%` line above the printed statement it
 * belonged to (its own statement for a trailing comment, the next one for a
 * comment line): the printed line sharing the most words with it.
 *
 *   const lost = lostComments('sequenceDiagram\n  A->>B: hi %% why', 'sequenceDiagram\n    A->>B: hi');
 *   withComments('sequenceDiagram\n    A->>B: hi', lost)  // 'sequenceDiagram\n    %% why\n    A->>B: hi'
 *
 * repair() validates the result and, if Mermaid refused it, reports the
 * comments as `removed-comment` instead. Pure; comments × lines word
 * comparisons, bounded by MAX_PLACED (past it, each goes after the one before).
 */
import { splitComment } from './lines.ts';

export interface Comment {
  /** The comment's text, without its marker. */
  text: string;
  /** The statement it belongs to, as the model wrote it ('' when none follows). */
  near: string;
}

/** Past this many comments, the rest are not placed by their words (each placement scans the output once). */
const MAX_PLACED = 200;

/** The model's comments: `%% x` and `// x` lines, and trailing `%%`/`//` comments after a statement. */
export function commentsOf(code: string): Comment[] {
  const lines = code.split('\n');
  const out: Comment[] = [];
  let waiting: string[] = [];
  for (const raw of lines) {
    const t = raw.trim();
    if (t === '' || t.startsWith('%%{') || t.startsWith('```')) continue;
    const { statement, comment } = splitComment(t);
    if (statement === '') {
      if (comment) waiting.push(comment);
      continue;
    }
    for (const w of waiting) out.push({ text: w, near: statement });
    waiting = [];
    if (comment) out.push({ text: comment, near: statement });
  }
  for (const w of waiting) out.push({ text: w, near: '' });
  return out;
}

/** The comments of `input` that `output` no longer has as a `%%` line. */
export function lostComments(input: string, output: string): Comment[] {
  const kept = new Set(commentsOf(output).map((c) => c.text));
  return commentsOf(input).filter((c) => !kept.has(c.text));
}

/** `output` with each comment as a `%%` line above the line that best matches its statement. */
export function withComments(output: string, comments: readonly Comment[]): string {
  if (comments.length === 0) return output;
  const lines = output.split('\n');
  let h = 0;
  if (lines[0]?.trim() === '---') {
    const close = lines.findIndex((l, k) => k > 0 && l.trim() === '---');
    if (close !== -1) h = close + 1;
  }
  const body = lines.slice(h + 1).map(words);
  /** Comment lines to print before body line k (k = body.length: at the end). */
  const before: string[][] = body.map(() => []);
  before.push([]);
  let cursor = 0;
  comments.forEach((c, n) => {
    // After the last statement: at the end. Past MAX_PLACED: after the one before.
    const at = c.near === '' ? body.length : n < MAX_PLACED ? place(c.near, body, cursor) : cursor;
    cursor = at;
    before[at]!.push(c.text);
  });
  const indentOf = (k: number) => {
    const l = lines[h + 1 + k] ?? lines[h + k] ?? '';
    return l.slice(0, l.length - l.trimStart().length) || '    ';
  };
  // A comment never closes or opens anything: `}%%`/`%%{` inside it would read as a directive.
  const out = lines.slice(0, h + 1);
  for (let k = 0; k <= body.length; k++) {
    for (const text of before[k]!) out.push(`${indentOf(k)}%% ${text.replace(/%%|[{}]/g, ' ').trim()}`);
    if (k < body.length) out.push(lines[h + 1 + k]!);
  }
  return out.join('\n');
}

/** The body line sharing the most words with `near`, at or after `cursor` if any shares one; else `cursor`. */
function place(near: string, body: ReadonlyArray<Set<string>>, cursor: number): number {
  const want = words(near);
  if (want.size === 0) return cursor;
  let best = -1;
  let bestScore = 0;
  for (let pass = 0; pass < 2 && best === -1; pass++) {
    for (let k = pass === 0 ? cursor : 0; k < (pass === 0 ? body.length : cursor); k++) {
      let score = 0;
      for (const w of want) if (body[k]!.has(w)) score++;
      if (score > bestScore) {
        best = k;
        bestScore = score;
      }
    }
  }
  return best === -1 ? cursor : best;
}

/** Runs of letters and digits (any script), lower-cased. */
function words(line: string): Set<string> {
  return new Set(line.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w !== ''));
}
