/**
 * Makes a model's diagram valid without inventing anything, and says what
 * changed:
 *
 *   await repair('graph TB-LR\n  A[Pay (card)]; --> end')
 *   // { code: 'graph TB\n    A["Pay (card)"] --> end_["end"]', valid: true, diagramType: 'flowchart',
 *   //   repairs: ['lenient-flowchart'], changes: [] }
 *
 * 1. `sanitize()` always runs first (reported as "strip-directives", and as
 *    `removed-config` / `removed-interaction` changes): model output never
 *    configures Mermaid, even when it is valid.
 * 2. Valid input is returned as it is (byte for byte, after sanitising),
 *    except for mistakes Mermaid parses into something else than what was
 *    written: the lenient format's `misread` shapes and the `whenValid` fixes
 *    (step 5), each kept only if the diagram stays valid.
 * 3. Invalid input, first: the lenient reader + printer of its type
 *    (lenient/), one rewrite and one validation.
 * 4. Then, if that is not valid or lost content: the line-local fixes of
 *    `repairs/` in order, each validated at once (see fixes.ts).
 * 5. Every candidate goes through the content check (lenient/invariants.ts):
 *    a candidate that draws a word the model never wrote is refused; among
 *    valid ones the one that keeps the most words wins; words it does not
 *    draw are reported as a `lost-content` change.
 * 6. Never worse: when no candidate is valid, the model's own diagram is
 *    returned untouched (sanitised), with the parser's error, never a
 *    half-transformed one. The model retry, if any, is the pipeline's.
 */
import type { DiagramChange, RepairResult } from '../../common/protocol.ts';
import { applyFixes, polish, tidy } from './fixes.ts';
import { isDiagramHeader, isDirectiveOrComment } from './keywords.ts';
import { flowchartBody } from './lenient/flowchart/body.ts';
import { flowchartFormat } from './lenient/flowchart/index.ts';
import { lenientFormatFor } from './lenient/index.ts';
import { lostComments, withComments } from './lenient/comments.ts';
import { checkContent } from './lenient/invariants.ts';
import type { LenientFormat, Rewrite } from './lenient/types.ts';
import { isProseLine } from './prose.ts';
import { sanitize } from './sanitize.ts';
import { validate } from './validate.ts';

export const STRIP_DIRECTIVES = 'strip-directives';

interface Candidate {
  code: string;
  diagramType: string;
  repairs: string[];
  changes: DiagramChange[];
  missing: string[];
}

export async function repair(input: string): Promise<RepairResult> {
  const repairs: string[] = [];
  const clean = sanitize(input);
  if (clean.removed.length > 0) repairs.push(STRIP_DIRECTIVES);
  const changes = sanitizeChanges(clean.removed);
  const code = tidy(clean.code);
  const first = await validate(code);
  const format = lenientFormatFor(code);

  if (first.ok) {
    if (format?.misread?.(code)) {
      const fixed = await tryRewrite(format, code, repairs, changes);
      if (fixed && fixed.missing.length === 0) return polish(fixed.code, fixed.diagramType, fixed.repairs, fixed.changes);
    }
    return polish(code, first.diagramType, repairs, changes);
  }

  const error = first.line === undefined ? { message: first.message } : { line: first.line, message: first.message };
  const untouched: RepairResult = { code, valid: false, diagramType: null, repairs, changes, error };
  // Text that does not even start like a diagram (a list, prose) is not ours to rewrite.
  if (!startsWithHeader(code) && format === null) return untouched;
  // Over Mermaid's edge limit (500; a diagram cannot raise it): every rewrite draws the same edges, so none can pass (and each costs a parse).
  if (first.message.startsWith('Edge limit exceeded')) return untouched;

  const candidates: Candidate[] = [];
  const lenient = format ? await tryRewrite(format, code, repairs, changes) : null;
  if (lenient) {
    if (lenient.missing.length === 0) return finish(lenient);
    candidates.push(lenient);
  }
  // A flowchart body under another type's header (`sequenceDiagram` over `A[x] --> B`): drawn as the flowchart it is.
  const body = lenient ? null : flowchartBody(code);
  if (body !== null) {
    // Strict: lines it left out count as lost, so the other type's own fixes win when they keep them (`block-beta` with `A[x] B[y]`).
    const converted = await tryRewrite(flowchartFormat, body.code, repairs, changes, code, true);
    if (converted) {
      converted.changes.push({ kind: 'converted-type', message: `The ${body.header} header stood over flowchart statements: drawn as a flowchart.`, line: body.line });
      if (converted.missing.length === 0) return finish(converted);
      candidates.push(converted);
    }
  }
  const fixed = await applyFixes(code, repairs, changes);
  if (fixed.valid && fixed.diagramType !== null) {
    // The line-local fixes write syntax words of their own (`state`, `dateFormat`): only what they lose counts.
    const check = checkContent(code, fixed.code, skipFor(code, fixed));
    candidates.push({ ...fixed, diagramType: fixed.diagramType, missing: check.missing });
  }
  if (candidates.length === 0) return untouched;
  // The one that keeps the most words; on a tie the first (the lenient rewrite).
  const best = candidates.reduce((a, b) => (b.missing.length < a.missing.length ? b : a));
  return finish(best);
}

/** The lenient rewrite as a candidate: valid and inventing nothing, or null. */
async function tryRewrite(format: LenientFormat, code: string, repairs: string[], changes: DiagramChange[], original = code, strict = false): Promise<Candidate | null> {
  let rewrite: Rewrite | null;
  try {
    rewrite = format.rewrite(code);
  } catch {
    return null; // a reader bug must never cost the person their diagram
  }
  if (!rewrite || rewrite.code === code) return null;
  const kept = await keepComments(code, rewrite);
  if (!kept) return null;
  const reported = rewrite.changes.filter((c) => !(strict && c.kind === 'dropped-line'));
  const skip = new Set([...(rewrite.notDiagram ?? []), ...reported.flatMap((c) => (c.line === undefined ? [] : [c.line]))]);
  const check = checkContent(original, kept.code, skip, rewrite.undrawn);
  if (check.invented.length > 0) return null;
  return {
    code: kept.code,
    diagramType: kept.diagramType,
    repairs: [...repairs, `lenient-${format.name}`],
    changes: [...changes, ...rewrite.changes, ...kept.changes],
    missing: check.missing,
  };
}

/** The rewrite, valid, with the model's comments it lost put back (lenient/comments.ts); null when not valid. */
async function keepComments(code: string, rewrite: Rewrite): Promise<{ code: string; diagramType: string; changes: DiagramChange[] } | null> {
  const lost = lostComments(code, rewrite.code);
  if (lost.length > 0) {
    const withKept = withComments(rewrite.code, lost);
    const v = await validate(withKept);
    if (v.ok) return { code: withKept, diagramType: v.diagramType, changes: [] };
  }
  const v = await validate(rewrite.code);
  if (!v.ok) return null;
  const changes: DiagramChange[] = lost.length === 0 ? [] : [{ kind: 'removed-comment', message: `Left out the comments: ${lost.map((c) => `%% ${c}`).join('; ')}.` }];
  return { code: rewrite.code, diagramType: v.diagramType, changes };
}

/**
 * Lines the content check skips for the line-local fixes: the header,
 * comments, what follows a closing fence, lines a fix reported (a dropped cut
 * line is not also "lost"), and prose the fixes cut off the end.
 */
function skipFor(code: string, fixed: RepairResult): Set<number> {
  const skip = new Set<number>(fixed.changes.flatMap((c) => (c.line === undefined ? [] : [c.line])));
  const lines = code.split('\n');
  const kept = new Set(fixed.code.split('\n').map((l) => l.trim()));
  for (let k = lines.length - 1; k > 0; k--) {
    const t = lines[k]!.trim();
    if (t !== '' && (kept.has(t) || !isProseLine(lines[k]!))) break;
    skip.add(k + 1);
  }
  let fenceClosed = false;
  lines.forEach((l, k) => {
    const t = l.trim();
    if (k === 0 || fenceClosed || t.startsWith('```') || t.startsWith('%%')) skip.add(k + 1);
    if (k > 0 && t.startsWith('```')) fenceClosed = true;
  });
  return skip;
}

async function finish(c: Candidate): Promise<RepairResult> {
  const changes = [...c.changes];
  if (c.missing.length > 0) {
    const shown = c.missing.slice(0, 12).join(', ');
    changes.push({ kind: 'lost-content', message: `Not drawn: ${shown}${c.missing.length > 12 ? ', …' : ''}.` });
  }
  return polish(c.code, c.diagramType, c.repairs, changes);
}

/** sanitize()'s removals as content changes: configuration vs interaction/active HTML. */
function sanitizeChanges(removed: readonly string[]): DiagramChange[] {
  const config = removed.filter((r) => r.startsWith('directive') || r.startsWith('front matter'));
  const active = removed.length - config.length;
  const changes: DiagramChange[] = [];
  if (config.length > 0) changes.push({ kind: 'removed-config', message: 'Removed configuration the model wrote (directives, front matter config).' });
  if (active > 0) changes.push({ kind: 'removed-interaction', message: 'Removed interaction or active HTML the model wrote (click, links, scripts).' });
  return changes;
}

/** The first line that is not front matter, blank or a comment is a diagram header. */
function startsWithHeader(code: string): boolean {
  const lines = code.split('\n');
  let k = 0;
  while (k < lines.length && lines[k]!.trim() === '') k++;
  if (lines[k]?.trim() === '---') {
    const close = lines.findIndex((l, n) => n > k && l.trim() === '---');
    if (close !== -1) k = close + 1;
  }
  const first = lines.slice(k).find((l) => l.trim() !== '' && !isDirectiveOrComment(l));
  return first !== undefined && isDiagramHeader(first);
}
