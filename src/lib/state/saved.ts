/**
 * What is kept and opened again: the history list (restore, delete, clear,
 * save by hand), shared links, and the versions of the refine thread.
 */
import { addEntry, newId, removeEntry } from './history.ts';
import { deps, persistHistory, state, update } from './store.svelte.ts';
import { startThread, type ThreadTurn } from './thread.ts';
import { overwrite } from './undo.ts';

export function restoreHistory(id: string): void {
  const e = state.history.find((h) => h.id === id);
  if (!e) return;
  const thread = e.thread?.length ? e.thread : startThread(e.code, deps.now());
  overwrite({ description: e.description, code: e.code, thread }, 'history', true);
}

export function deleteHistory(id: string): void {
  update((s) => {
    s.history = removeEntry(s.history, id);
  }, { persist: false });
  persistHistory();
}

export function clearHistory(): void {
  update((s) => {
    s.history = [];
  }, { persist: false });
  persistHistory();
}

/** Saves the current code to history by hand (after editing it). */
export function saveToHistory(): void {
  if (!state.code.trim()) return;
  update((s) => {
    s.history = addEntry(s.history, {
      id: newId(deps.now()),
      description: s.description,
      code: s.code,
      time: deps.now(),
      diagramType: s.validation.status === 'valid' ? s.validation.diagramType : null,
      thread: s.thread.filter((t) => t.status !== 'running'),
    });
    s.baseline = { description: s.description, code: s.code };
  });
  persistHistory();
}

/** Opens a shared diagram (from a link), with its thread when the link carries one. */
export function loadShared(p: { code: string; description: string; thread?: ThreadTurn[] }): void {
  if (p.code === state.code && p.description === state.description) return;
  const thread = p.thread?.length ? p.thread : startThread(p.code, deps.now());
  overwrite({ code: p.code, description: p.description, thread }, 'link', true);
}

/** Goes back to a version of the thread (its diagram becomes the current code; undo brings back unsaved edits). */
export function restoreVersion(id: string): void {
  const turn = state.thread.find((t) => t.id === id);
  if (!turn || turn.status !== 'done' || turn.code === state.code) return;
  overwrite({ code: turn.code }, 'version', true);
}
