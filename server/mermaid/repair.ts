/**
 * Makes a model's diagram valid without inventing anything:
 *
 *   await repair('flowchart TD\n  A[Pay (card)] --> end')
 *   // { code: 'flowchart TD\n  A["Pay (card)"] --> end_[end]', valid: true,
 *   //   diagramType: 'flowchart', repairs: ['quote-labels', 'rename-reserved-ids'] }
 *
 * 1. `sanitize()` always runs first (reported as "strip-directives"): model
 *    output never configures Mermaid, even when it is valid.
 * 2. If Mermaid does not accept it, each deterministic fix of `repairs/` is
 *    tried in order; a fix that changes nothing costs nothing, a fix that
 *    changes something is validated at once: valid → go to 3; still
 *    invalid → kept only if the parser now fails no earlier than before
 *    (parsing is sequential, so an earlier error means the fix broke
 *    something). Fixes rejected or not applicable get a second pass, because
 *    some only help once another has run (a cut last line hides an `end` id).
 * 3. On a valid diagram, the fixes marked `whenValid` not yet applied are
 *    tried: mistakes Mermaid parses into something else than what was
 *    written (a state named `Waiting for payment` drawn as three states).
 *    Each is kept only if the diagram stays valid.
 *
 * Every fix keeps the nodes, edges and texts the model wrote; the only things
 * ever removed are configuration, prose around the diagram, syntax that
 * carries no content (a stray `end`, an unmatched `deactivate`) and a last
 * line cut in the middle by the token budget. The model retry, if any, is the
 * pipeline's.
 */
import type { DiagramChange, ParseError, RepairResult, ValidateResult } from '../../common/protocol.ts';
import { isDiagramHeader, isDirectiveOrComment } from './keywords.ts';
import { dropBrokenTail } from './repairs/dropBrokenTail.ts';
import { REPAIRS } from './repairs/index.ts';
import { sanitize } from './sanitize.ts';
import { validate } from './validate.ts';

export const STRIP_DIRECTIVES = 'strip-directives';

export async function repair(input: string): Promise<RepairResult> {
  const repairs: string[] = [];
  const clean = sanitize(input);
  if (clean.removed.length > 0) repairs.push(STRIP_DIRECTIVES);
  const changes = sanitizeChanges(clean.removed);
  let code = tidy(clean.code);
  let result = await validate(code);
  if (result.ok) return polish(code, result.diagramType, repairs, changes);

  // Text that does not even start like a diagram (a list, prose) is not ours to rewrite.
  if (!startsWithHeader(code)) return { code, valid: false, diagramType: null, repairs, changes, error: toParseError(result) };

  let pending = [...REPAIRS];
  for (let pass = 0; pass < 2 && pending.length > 0; pass++) {
    const retry = [];
    for (const fix of pending) {
      const next = tidy(fix.apply(code));
      if (next === code) {
        retry.push(fix);
        continue;
      }
      const nextResult = await validate(next);
      if (nextResult.ok) {
        repairs.push(fix.name);
        changes.push(...changesOf(fix.name, code, next));
        return polish(next, nextResult.diagramType, repairs, changes);
      }
      if (notWorse(nextResult, next, result, code)) {
        changes.push(...changesOf(fix.name, code, next));
        code = next;
        result = nextResult;
        repairs.push(fix.name);
      } else {
        retry.push(fix);
      }
    }
    pending = retry;
  }
  return { code, valid: false, diagramType: null, repairs, changes, error: toParseError(result) };
}

/** Step 3: the `whenValid` fixes on a valid diagram; each kept only if it stays valid. */
async function polish(code: string, diagramType: string, repairs: string[], changes: DiagramChange[]): Promise<RepairResult> {
  for (const fix of REPAIRS) {
    if (!fix.whenValid || repairs.includes(fix.name)) continue;
    const next = tidy(fix.apply(code));
    if (next === code) continue;
    const nextResult = await validate(next);
    if (!nextResult.ok) continue;
    code = next;
    diagramType = nextResult.diagramType;
    repairs.push(fix.name);
  }
  return { code, valid: true, diagramType, repairs, changes };
}

/**
 * Parsing is sequential: an error on a later line means more of the diagram
 * parses. An error on the last line before and after (the parser reached the
 * end both times, e.g. once a cut last line was dropped) is no worse either.
 */
function notWorse(next: ValidateResult, nextCode: string, previous: ValidateResult, previousCode: string): boolean {
  if (next.ok) return true;
  if (previous.ok) return false;
  // Without a line (no diagram type, a semantic error) progress cannot be told: only valid counts.
  if (next.line === undefined || previous.line === undefined) return false;
  const nextLine = next.line;
  const previousLine = previous.line;
  if (nextLine >= previousLine) return true;
  return nextLine === lineCount(nextCode) && previousLine === lineCount(previousCode);
}

function lineCount(code: string): number {
  return code.split('\n').length;
}

/** The content changes of a line-local fix: only dropping a cut last line changes content. */
function changesOf(fixName: string, before: string, after: string): DiagramChange[] {
  if (fixName !== dropBrokenTail.name) return [];
  const kept = new Set(after.split('\n'));
  const lines = before.split('\n');
  const index = lines.findIndex((l) => !kept.has(l));
  const dropped = index === -1 ? '' : lines[index]!.trim();
  return [{ kind: 'dropped-cut-line', message: `Dropped the unfinished last line: ${dropped}`, ...(index === -1 ? {} : { line: index + 1 }) }];
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

function toParseError(result: ValidateResult): ParseError | undefined {
  if (result.ok) return undefined;
  return result.line === undefined ? { message: result.message } : { line: result.line, message: result.message };
}

function startsWithHeader(code: string): boolean {
  const body = code.replace(/^\s*---\n[\s\S]*?\n---\s*\n/, '');
  const first = body.split('\n').find((l) => l.trim() !== '' && !isDirectiveOrComment(l));
  return first !== undefined && isDiagramHeader(first);
}

function tidy(code: string): string {
  return code.replace(/[ \t]+$/gm, '').replace(/^\s*\n/, '').replace(/\s+$/, '');
}
