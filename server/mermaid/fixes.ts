/**
 * The line-local fixes of `repairs/`, as repair() applies them (its step 4):
 * each fix that changes something is validated at once: valid → done; still
 * invalid → kept only if the parser now fails no earlier than before
 * (parsing is sequential, so an earlier error means the fix broke
 * something). Fixes rejected or not applicable get a second pass, because
 * some only help once another has run (a cut last line hides an `end` id).
 * And `polish`: the fixes marked `whenValid`, tried on a valid diagram.
 */
import type { DiagramChange, RepairResult, ValidateResult } from '../../common/protocol.ts';
import { dropBrokenTail } from './repairs/dropBrokenTail.ts';
import { REPAIRS, type Repair } from './repairs/index.ts';
import { validate } from './validate.ts';

/** Runs the fixes on invalid `code`; returns the last state reached (valid or not). */
export async function applyFixes(input: string, repairsBefore: readonly string[], changesBefore: readonly DiagramChange[]): Promise<RepairResult> {
  const repairs = [...repairsBefore];
  const changes = [...changesBefore];
  let code = input;
  let result = await validate(code);
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
        changes.push(...changesOf(fix, code, next));
        return { code: next, valid: true, diagramType: nextResult.diagramType, repairs, changes };
      }
      if (notWorse(nextResult, next, result, code)) {
        changes.push(...changesOf(fix, code, next));
        code = next;
        result = nextResult;
        repairs.push(fix.name);
      } else {
        retry.push(fix);
      }
    }
    pending = retry;
  }
  const error = result.ok ? undefined : result.line === undefined ? { message: result.message } : { line: result.line, message: result.message };
  return { code, valid: false, diagramType: null, repairs, changes, ...(error ? { error } : {}) };
}

/** The `whenValid` fixes on a valid diagram; each kept only if it stays valid. */
export async function polish(code: string, diagramType: string, repairs: string[], changes: DiagramChange[]): Promise<RepairResult> {
  for (const fix of REPAIRS) {
    if (!fix.whenValid || repairs.includes(fix.name)) continue;
    const next = tidy(fix.apply(code));
    if (next === code) continue;
    const nextResult = await validate(next);
    if (!nextResult.ok) continue;
    if (fix.changes) changes = [...changes, ...fix.changes(code, next)];
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
  if (next.line >= previous.line) return true;
  return next.line === lineCount(nextCode) && previous.line === lineCount(previousCode);
}

function lineCount(code: string): number {
  return code.split('\n').length;
}

/** The content changes of a line-local fix: its own report, or the cut last line dropBrokenTail dropped. */
function changesOf(fix: Repair, before: string, after: string): DiagramChange[] {
  if (fix.changes) return fix.changes(before, after);
  if (fix.name !== dropBrokenTail.name) return [];
  const kept = new Set(after.split('\n'));
  const lines = before.split('\n');
  const index = lines.findIndex((l) => !kept.has(l));
  const dropped = index === -1 ? '' : lines[index]!.trim();
  return [{ kind: 'dropped-cut-line', message: `Dropped the unfinished last line: ${dropped}`, ...(index === -1 ? {} : { line: index + 1 }) }];
}

/**
 * Trailing spaces of every line, leading blank lines and trailing whitespace
 * go. A hand-written pass: `/[ \t]+$/gm` backtracks quadratically on long
 * runs of spaces inside a line.
 */
export function tidy(code: string): string {
  const lines = code.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k]!;
    let end = l.length;
    while (end > 0 && (l[end - 1] === ' ' || l[end - 1] === '\t')) end--;
    if (end !== l.length) lines[k] = l.slice(0, end);
  }
  let a = 0;
  while (a < lines.length - 1 && lines[a]!.trim() === '') a++;
  let b = lines.length;
  while (b > a && lines[b - 1]!.trim() === '') b--;
  return lines.slice(a, b).join('\n');
}
