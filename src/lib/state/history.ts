/**
 * Local history of generated diagrams: newest first, at most HISTORY_LIMIT,
 * pure functions over arrays (the state module persists them).
 */
import { HISTORY_LIMIT } from '../../../common/limits.ts';
import { parseThread, type ThreadTurn } from './thread.ts';

export interface HistoryEntry {
  id: string;
  description: string;
  code: string;
  /** Date.now() when saved. */
  time: number;
  diagramType?: string | null;
  /** The refine thread that led to this diagram (its versions). */
  thread?: ThreadTurn[];
}

let seq = 0;
export function newId(now: number): string {
  seq = (seq + 1) % 1_000_000;
  return `${now.toString(36)}-${seq.toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Adds an entry at the top; an identical diagram moves to the top instead of repeating. */
export function addEntry(list: readonly HistoryEntry[], entry: HistoryEntry, limit = HISTORY_LIMIT): HistoryEntry[] {
  const rest = list.filter((e) => !(e.code === entry.code && e.description === entry.description));
  return [entry, ...rest].slice(0, limit);
}

export function removeEntry(list: readonly HistoryEntry[], id: string): HistoryEntry[] {
  return list.filter((e) => e.id !== id);
}

/** Keeps only well-formed entries from storage (it may hold anything). */
export function parseHistory(value: unknown, limit = HISTORY_LIMIT): HistoryEntry[] {
  if (!Array.isArray(value)) return [];
  const out: HistoryEntry[] = [];
  for (const v of value as Partial<HistoryEntry>[]) {
    if (!v || typeof v !== 'object') continue;
    if (typeof v.id !== 'string' || typeof v.code !== 'string' || typeof v.time !== 'number') continue;
    out.push({
      id: v.id,
      code: v.code,
      time: v.time,
      description: typeof v.description === 'string' ? v.description : '',
      diagramType: typeof v.diagramType === 'string' ? v.diagramType : null,
      ...(Array.isArray(v.thread) ? { thread: parseThread(v.thread) } : {}),
    });
    if (out.length >= limit) break;
  }
  return out;
}
