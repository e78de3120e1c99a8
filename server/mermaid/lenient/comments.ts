/**
 * The model's comments through a lenient rewrite. The flowchart printer keeps
 * them in place; the sequence, state, class and ER readers read statements
 * only, so their comments would vanish silently. Mermaid takes `%%` on a line
 * of its own in every type (a trailing `%%` is a parse error in flowcharts
 * and ER diagrams, and message text in sequence diagrams), so a comment the
 * rewrite lost comes back as a `%%` line under the header:
 *
 *   keepComments('sequenceDiagram\n  A->>B: hi %% why', 'sequenceDiagram\n    A->>B: hi')
 *   // 'sequenceDiagram\n    %% why\n    A->>B: hi'
 *
 * Its place in the code moves (a comment draws nothing either way).
 * repair() validates the result and, if Mermaid refused it, reports the
 * comments as `removed-comment` instead. Linear: one pass per line.
 */
import { splitComment } from './lines.ts';

/** The model's comments: `%% x` and `// x` lines, and trailing `%%`/`//` comments after a statement. */
export function commentsOf(code: string): string[] {
  const out: string[] = [];
  for (const raw of code.split('\n')) {
    const t = raw.trim();
    if (t.startsWith('%%{') || t.startsWith('```')) continue;
    const { comment } = splitComment(t);
    if (comment !== null && comment !== '') out.push(comment);
  }
  return out;
}

/** The comments of `input` that `output` no longer has (their text nowhere in it). */
export function lostComments(input: string, output: string): string[] {
  return commentsOf(input).filter((c) => !output.includes(c));
}

/** `output` with `comments` as `%%` lines right under its header (after front matter), indented like its body. */
export function withComments(output: string, comments: readonly string[]): string {
  if (comments.length === 0) return output;
  const lines = output.split('\n');
  let h = 0;
  if (lines[0]?.trim() === '---') {
    const close = lines.findIndex((l, k) => k > 0 && l.trim() === '---');
    if (close !== -1) h = close + 1;
  }
  const body = lines[h + 1];
  const pad = body === undefined ? '    ' : body.slice(0, body.length - body.trimStart().length) || '    ';
  // A comment never closes or opens anything: `}%%`/`%%{` inside it would read as a directive.
  const added = comments.map((c) => `${pad}%% ${c.replace(/%%|[{}]/g, ' ').trim()}`);
  return [...lines.slice(0, h + 1), ...added, ...lines.slice(h + 1)].join('\n');
}
