/**
 * Code → parser → drawing: typed code is validated after a pause and drawn
 * only when it parses (`renderCode` moves only to code that parsed); the view
 * reports each drawing back. A stream that sets the code cancels a pending
 * check of older code.
 */
import type { ParseError, ValidateResult } from '../../../common/protocol.ts';
import { deps, onReset, state, update } from './store.svelte.ts';

let validateTimer: ReturnType<typeof setTimeout> | undefined;
let validateSeq = 0;
let validating: Promise<void> = Promise.resolve();

onReset(() => clearTimeout(validateTimer));

/** A stream is about to set the code: a pending check of older code must not land. */
export function cancelValidation(): void {
  clearTimeout(validateTimer);
  validateSeq++;
}

/** The user typed in the editor: validate after a pause, then draw if it parses. */
export function setCode(code: string): void {
  if (code === state.code) return;
  update((s) => {
    s.code = code;
    s.validation = code.trim() ? { status: 'pending' } : { status: 'empty' };
  });
  scheduleValidation(deps.debounceMs);
}

/** The code was replaced at once (restore, link, undo, a version): check it now. */
export function revalidate(): void {
  update((s) => {
    s.validation = s.code.trim() ? { status: 'pending' } : { status: 'empty' };
  }, { persist: false });
  scheduleValidation(0);
}

export function scheduleValidation(delay: number): void {
  clearTimeout(validateTimer);
  const seq = ++validateSeq;
  const code = state.code;
  if (!code.trim()) return;
  validating = new Promise((resolve) => {
    validateTimer = setTimeout(() => {
      deps
        .validate(code)
        .catch((e: unknown): ValidateResult => ({ ok: false, message: `Could not check the diagram: ${String(e)}` }))
        .then((r) => {
          // A newer edit (or a stream) has replaced this code: its result is moot.
          if (seq !== validateSeq || state.code !== code) return;
          update(
            (s) => {
              if (r.ok) {
                s.validation = { status: 'valid', diagramType: r.diagramType };
                s.renderCode = code;
                s.renderError = null;
              } else {
                s.validation = { status: 'invalid', error: r.line === undefined ? { message: r.message } : { line: r.line, message: r.message } };
              }
            },
            { persist: false },
          );
        })
        .finally(resolve);
    }, delay);
  });
}

/** Resolves when the pending validation (if any) has been applied. For tests and exports. */
export function settled(): Promise<void> {
  return validating;
}

/**
 * The view reports the outcome of drawing a code that was `renderCode` when
 * the drawing started: the sanitised SVG, or the error when Mermaid parsed the
 * code but could not draw it (the previous SVG stays). The view draws one
 * code at a time, in order, so a drawing that finishes after `renderCode`
 * moved on (a streaming run) is still newer than the one on screen and is
 * shown until the next is ready; an error for such a code is ignored.
 */
export function reportRender(code: string, outcome: { svg: string } | { error: ParseError }): void {
  if (code !== state.renderCode && !('svg' in outcome)) return;
  update(
    (s) => {
      if ('svg' in outcome) {
        s.svg = outcome.svg;
        s.renderError = null;
      } else s.renderError = outcome.error;
    },
    { persist: false },
  );
}
