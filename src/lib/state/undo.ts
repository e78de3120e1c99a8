/**
 * Overwrites that can be undone: an example, a history restore, a shared
 * link, a version of the refine thread. What they replace goes on the undo
 * stack only when it was the person's own unsaved work.
 */
import type { DiagramType, Direction } from '../../../common/limits.ts';
import { deps, isDirty, state, update } from './store.svelte.ts';
import { startThread } from './thread.ts';
import type { Draft, UndoSnapshot } from './types.ts';
import { revalidate } from './validation.ts';

const UNDO_LIMIT = 20;

/** The draft as it is now, for the undo stack. */
export function snapshot(reason: string): UndoSnapshot {
  return { description: state.description, diagramType: state.diagramType, direction: state.direction, code: state.code, reason };
}

export function pushUndo(snap: UndoSnapshot): void {
  update((s) => {
    s.undoStack = [...s.undoStack, snap].slice(-UNDO_LIMIT);
  }, { persist: false });
}

export function overwrite(next: Partial<Draft> & { thread?: typeof state.thread }, reason: string, asBaseline: boolean, dirty = isDirty()): void {
  if (dirty) pushUndo(snapshot(reason));
  update((s) => {
    Object.assign(s, next);
    if (asBaseline) s.baseline = { description: s.description, code: s.code };
  });
  if (next.code !== undefined) revalidate();
}

export function loadExample(ex: { description: string; diagramType: DiagramType; direction: Direction }): void {
  if (ex.description === state.description && ex.diagramType === state.diagramType && ex.direction === state.direction) return;
  // An example replaces the description, never the code: undo is for a description typed by hand
  // (not for the previous example, nor the last generated one).
  const typed = state.description.trim() !== '' && state.description !== state.baseline.description;
  overwrite({ description: ex.description, diagramType: ex.diagramType, direction: ex.direction }, 'example', false, typed);
  update((s) => {
    s.baseline = { ...s.baseline, description: s.description };
  });
}

/** Puts back what the last example/restore/link/run replaced. */
export function undo(): void {
  const snap = state.undoStack.at(-1);
  if (!snap) return;
  update((s) => {
    s.undoStack = s.undoStack.slice(0, -1);
    s.description = snap.description;
    s.diagramType = snap.diagramType;
    s.direction = snap.direction;
    s.code = snap.code;
  });
  revalidate();
}

export function dismissUndo(): void {
  update((s) => {
    s.undoStack = [];
  }, { persist: false });
}

/** Starts from a template: its code and type; what it replaces can be undone. */
export function loadTemplate(t: { type: DiagramType; code: string }): void {
  if (t.code === state.code) return;
  overwrite({ code: t.code, diagramType: t.type, thread: startThread(t.code, deps.now()) }, 'template', true);
}
