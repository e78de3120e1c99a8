/**
 * The UI state's public face: components and tests import from here. The
 * state and its mutation gateway live in `store.svelte.ts`; what changes it
 * lives beside it (see that file's comment).
 */
import { loadSaved } from './store.svelte.ts';
import { state } from './store.svelte.ts';
import { scheduleValidation } from './validation.ts';

export type { Deps, DiagramState, Draft, Phase, RunState, UndoSnapshot, Validation } from './types.ts';
export type { ThreadTurn } from './thread.ts';
export {
  configure,
  diagram,
  HISTORY_KEY as HISTORY_STORAGE_KEY,
  reloadHistory,
  setDescription,
  setDiagramType,
  setDirection,
  setInstruction,
} from './store.svelte.ts';
export { reportRender, setCode, settled } from './validation.ts';
export { applyEvent, dismissApiKeyPrompt, generate, refine, retry, stop } from './run.ts';
export { clearHistory, deleteHistory, loadShared, restoreHistory, restoreVersion, saveToHistory } from './saved.ts';
export { dismissUndo, loadExample, loadTemplate, undo } from './undo.ts';

/** Loads the saved draft and history, and checks the saved code. Call once at startup. */
export function load(): void {
  loadSaved();
  if (state.code.trim()) scheduleValidation(0);
}
