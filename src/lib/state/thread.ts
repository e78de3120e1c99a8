/**
 * The refine thread: a diagram's conversation, one turn per instruction. The
 * first turn is the diagram as generated (or opened); every refine adds a turn
 * holding its instruction, the diagram it produced and what changed. Each
 * turn is a version one can go back to. Pure functions over arrays; the state
 * module keeps the thread, saves it with the draft and the history, and share
 * links carry it.
 */
import { MAX_DIAGRAM_CHARS, MAX_INSTRUCTION_CHARS } from '../../../common/limits.ts';
import { diffUnits, type UnitChanges } from '../diagram/units.ts';

/** Turns kept per diagram; older refinements fall off (the first version stays). */
export const THREAD_LIMIT = 20;

export interface ThreadTurn {
  id: string;
  /** '' for the first version: the diagram as generated or opened. */
  instruction: string;
  /** The diagram this turn produced ('' while it runs or when it failed). */
  code: string;
  status: 'running' | 'done' | 'failed' | 'stopped';
  /** What changed against the code the turn started from. */
  changes: UnitChanges | null;
  /** The server's own list of changes, when it sends one (result.changes). */
  notes?: string[];
  /** Why the turn produced no diagram. */
  error?: string;
  time: number;
}

let seq = 0;
export function turnId(now: number): string {
  seq = (seq + 1) % 1_000_000;
  return `t${now.toString(36)}${seq.toString(36)}`;
}

/** A new thread whose first version is `code`. */
export function startThread(code: string, now: number): ThreadTurn[] {
  return code.trim() ? [{ id: turnId(now), instruction: '', code, status: 'done', changes: null, time: now }] : [];
}

/** Appends a running turn; the thread keeps its first version and the newest turns. */
export function beginTurn(thread: readonly ThreadTurn[], instruction: string, now: number): ThreadTurn[] {
  const turn: ThreadTurn = { id: turnId(now), instruction, code: '', status: 'running', changes: null, time: now };
  const next = [...thread, turn];
  return next.length > THREAD_LIMIT ? [next[0]!, ...next.slice(next.length - THREAD_LIMIT + 1)] : next;
}

/** Ends the running turn: its diagram and what changed from `before`, or why it failed. */
export function endTurn(
  thread: readonly ThreadTurn[],
  outcome: { code: string; before: string; notes?: string[] } | { status: 'failed' | 'stopped'; error?: string },
): ThreadTurn[] {
  const i = thread.findLastIndex((t) => t.status === 'running');
  if (i < 0) return [...thread];
  const t = { ...thread[i]! };
  if ('code' in outcome) {
    t.status = 'done';
    t.code = outcome.code;
    t.changes = diffUnits(outcome.before, outcome.code);
    if (outcome.notes?.length) t.notes = outcome.notes;
  } else {
    t.status = outcome.status;
    if (outcome.error) t.error = outcome.error;
  }
  return thread.map((x, j) => (j === i ? t : x));
}

function isChanges(v: unknown): v is UnitChanges {
  const c = v as UnitChanges;
  return (
    !!c &&
    Array.isArray(c.added) &&
    Array.isArray(c.removed) &&
    Array.isArray(c.renamed) &&
    typeof c.linksAdded === 'number' &&
    typeof c.linksRemoved === 'number' &&
    [...c.added, ...c.removed].every((x) => typeof x === 'string') &&
    c.renamed.every((r) => r && typeof r.from === 'string' && typeof r.to === 'string')
  );
}

/**
 * Keeps the well-formed turns of a thread read from storage or a link (it may
 * hold anything). A turn still "running" when saved was cut off: it is stopped.
 */
export function parseThread(value: unknown): ThreadTurn[] {
  if (!Array.isArray(value)) return [];
  const out: ThreadTurn[] = [];
  for (const v of value.slice(0, THREAD_LIMIT) as Partial<ThreadTurn>[]) {
    if (!v || typeof v !== 'object' || typeof v.code !== 'string' || typeof v.instruction !== 'string') continue;
    if (v.code.length > MAX_DIAGRAM_CHARS || v.instruction.length > MAX_INSTRUCTION_CHARS) continue;
    const status = v.status === 'done' || v.status === 'failed' || v.status === 'stopped' ? v.status : 'stopped';
    const turn: ThreadTurn = {
      id: typeof v.id === 'string' && /^[\w-]{1,40}$/.test(v.id) ? v.id : turnId(0),
      instruction: v.instruction,
      code: v.code,
      status: status === 'done' && !v.code.trim() ? 'failed' : status,
      changes: isChanges(v.changes) ? v.changes : null,
      time: typeof v.time === 'number' ? v.time : 0,
    };
    if (Array.isArray(v.notes)) turn.notes = v.notes.filter((n): n is string => typeof n === 'string').slice(0, 50);
    if (typeof v.error === 'string') turn.error = v.error.slice(0, 500);
    out.push(turn);
  }
  return out;
}

/** The thread in a share link: instructions and diagrams only (changes are recomputed on open). */
export function compactThread(thread: readonly ThreadTurn[]): { i: string; c: string }[] {
  return thread.filter((t) => t.status === 'done').map((t) => ({ i: t.instruction, c: t.code }));
}

/** A thread from a share link's compact form; changes recomputed turn by turn. */
export function expandThread(value: unknown, now: number): ThreadTurn[] {
  if (!Array.isArray(value)) return [];
  const out: ThreadTurn[] = [];
  for (const v of value.slice(0, THREAD_LIMIT) as { i?: unknown; c?: unknown }[]) {
    if (!v || typeof v.i !== 'string' || typeof v.c !== 'string' || !v.c.trim()) continue;
    if (v.c.length > MAX_DIAGRAM_CHARS || v.i.length > MAX_INSTRUCTION_CHARS) continue;
    const before = out.at(-1)?.code;
    out.push({
      id: turnId(now),
      instruction: v.i,
      code: v.c,
      status: 'done',
      changes: before === undefined ? null : diffUnits(before, v.c),
      time: now,
    });
  }
  return out;
}
