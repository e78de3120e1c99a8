/**
 * The UI's single source of truth: the description and options, the Mermaid
 * code, its validation, the last code known to draw (`renderCode`), the
 * current run, the refine thread, history and undo. This file holds the state,
 * its one mutation gateway (`update`) and persistence; what changes it lives
 * beside it: `validation.ts` (typing → parser → drawing), `run.ts` (streamed
 * runs and the refine thread), `saved.ts` (history), `undo.ts` (overwrites
 * that can be undone). `diagram.svelte.ts` re-exports all of it.
 *
 * Components read `diagram.state` and call the exported functions; they never
 * assign. Every write goes through `update`, which then persists the draft (so
 * the text survives reloads). The stream client, the validator and storage are
 * injected (`configure`) so tests drive the modules with fakes, as
 * mermaid-live-editor's state.svelte.test.ts does.
 *
 * Never blanking: `renderCode` only ever moves to code that parsed, so the
 * view keeps the last good drawing (dimmed, see `stale`) while the code in
 * the editor is partial or broken.
 */
import { MAX_DESCRIPTION_CHARS, type DiagramType, type Direction } from '../../../common/limits.ts';
import { cutUtf16 } from '../../../common/text.ts';
import type { ParseError } from '../../../common/protocol.ts';
import { streamGenerate } from '../api/stream.ts';
import { parseDiagram } from '../diagram/mermaid.ts';
import { localStore, readJson, writeJson } from '../storage.ts';
import { parseHistory } from './history.ts';
import { parseThread } from './thread.ts';
import type { Deps, DiagramState, Draft } from './types.ts';

const DRAFT_KEY = 'mfg:draft';
export const HISTORY_KEY = 'mfg:history';

function defaultDeps(): Deps {
  return {
    stream: (req, opts) => streamGenerate(req, opts),
    // mermaid.ts loads Mermaid itself lazily, on the first call.
    validate: (code) => parseDiagram(code),
    storage: localStore(),
    now: () => Date.now(),
    debounceMs: 300,
  };
}

export let deps: Deps = defaultDeps();

function initialState(): DiagramState {
  return {
    description: '',
    diagramType: 'auto',
    direction: 'TD',
    code: '',
    instruction: '',
    validation: { status: 'empty' },
    renderCode: '',
    renderError: null,
    svg: '',
    run: null,
    thread: [],
    history: [],
    undoStack: [],
    needsApiKey: false,
    keyRejected: false,
    baseline: { description: '', code: '' },
  };
}

export const state = $state<DiagramState>(initialState());

/** Read-only view for components: `diagram.state.code`, `diagram.stale`, … */
export const diagram = {
  get state(): Readonly<DiagramState> {
    return state;
  },
  /** A run is in flight (Stop is available, inputs are locked). */
  get running(): boolean {
    const p = state.run?.phase;
    return p === 'connecting' || p === 'queued' || p === 'loading' || p === 'generating' || p === 'repairing';
  },
  /** The view shows an older drawing than the code says: dim it. */
  get stale(): boolean {
    if (!state.code.trim() || !state.renderCode) return false;
    return state.code !== state.renderCode || state.renderError !== null;
  },
  /** The description or code differ from what was last generated, restored or saved. */
  get dirty(): boolean {
    return isDirty();
  },
  /** The error to show under the editor: parser first, then renderer. */
  get error(): ParseError | null {
    if (state.validation.status === 'invalid') return state.validation.error;
    return state.code === state.renderCode ? state.renderError : null;
  },
};

// ---------------------------------------------------------------------------
// The single mutation gateway, and persistence.

export function update(mutate: (s: DiagramState) => void, opts: { persist?: boolean } = {}): void {
  mutate(state);
  if (opts.persist !== false) persistDraft();
}

function persistDraft(): void {
  // The baseline travels with the draft, so edits left unsaved stay "unsaved" after a reload.
  const draft: Draft & { baseline: DiagramState['baseline']; thread: DiagramState['thread'] } = {
    description: state.description,
    diagramType: state.diagramType,
    direction: state.direction,
    code: state.code,
    baseline: state.baseline,
    thread: state.thread,
  };
  writeJson(deps.storage, DRAFT_KEY, draft);
}

export function persistHistory(): void {
  // On a full quota, drop the oldest entries until it fits (or nothing is left).
  let list = state.history;
  while (!writeJson(deps.storage, HISTORY_KEY, list) && list.length > 0) list = list.slice(0, -1);
}

export function isDirty(): boolean {
  const { description, code } = state;
  if (!description.trim() && !code.trim()) return false;
  return description !== state.baseline.description || code !== state.baseline.code;
}

// ---------------------------------------------------------------------------
// Setup

const resets: (() => void)[] = [];
/** The modules beside this one drop their timers and in-flight work on `configure`. */
export function onReset(fn: () => void): void {
  resets.push(fn);
}

/** Replaces dependencies (tests) and resets the state. */
export function configure(overrides: Partial<Deps> = {}): void {
  for (const reset of resets) reset();
  deps = { ...defaultDeps(), ...overrides };
  update((s) => Object.assign(s, initialState()), { persist: false });
}

/** Loads the saved draft and history (no validation: `load()` in diagram.svelte.ts adds it). */
export function loadSaved(): void {
  const draft = readJson<Partial<Draft> & { baseline?: Partial<DiagramState['baseline']>; thread?: unknown }>(deps.storage, DRAFT_KEY);
  const history = parseHistory(readJson<unknown>(deps.storage, HISTORY_KEY));
  update(
    (s) => {
      s.history = history;
      if (draft) {
        if (typeof draft.description === 'string') s.description = cutUtf16(draft.description, MAX_DESCRIPTION_CHARS);
        if (typeof draft.diagramType === 'string') s.diagramType = draft.diagramType as DiagramType;
        if (draft.direction === 'TD' || draft.direction === 'LR') s.direction = draft.direction;
        if (typeof draft.code === 'string') s.code = draft.code;
        s.thread = parseThread(draft.thread);
      }
      const b = draft?.baseline;
      s.baseline =
        b && typeof b.description === 'string' && typeof b.code === 'string'
          ? { description: b.description, code: b.code }
          : { description: s.description, code: s.code };
    },
    { persist: false },
  );
}

/**
 * Another tab wrote the history: take its list, so the next save here adds to
 * it instead of writing this tab's older list over it (which lost that tab's
 * diagrams and brought back the ones it deleted).
 */
export function reloadHistory(): void {
  const history = parseHistory(readJson<unknown>(deps.storage, HISTORY_KEY));
  update((s) => {
    s.history = history;
  }, { persist: false });
}

// ---------------------------------------------------------------------------
// Inputs

export function setDescription(text: string): void {
  update((s) => {
    s.description = cutUtf16(text, MAX_DESCRIPTION_CHARS);
  });
}

export function setDiagramType(t: DiagramType): void {
  update((s) => {
    s.diagramType = t;
  });
}

export function setDirection(d: Direction): void {
  update((s) => {
    s.direction = d;
  });
}

export function setInstruction(text: string): void {
  update((s) => {
    s.instruction = text;
  }, { persist: false });
}
