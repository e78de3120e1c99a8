/**
 * The UI's single source of truth: the description and options, the Mermaid
 * code, its validation, the last code known to draw (`renderCode`), the
 * current run (queue, loading, tokens, result), history and undo.
 *
 * Components read `diagram.state` and call the exported functions; they never
 * assign. Every write goes through `update`, the single mutation gateway, which
 * then persists the draft (so the text survives reloads). The stream client,
 * the validator and storage are injected (`configure`) so tests drive this
 * module with fakes, as mermaid-live-editor's state.svelte.test.ts does.
 *
 * Never blanking: `renderCode` only ever moves to code that parsed, so the
 * view keeps the last good drawing (dimmed, see `stale`) while the code in
 * the editor is partial or broken.
 */
import { DEFAULT_MAX_NEW_TOKENS, MAX_DESCRIPTION_CHARS, type DiagramType, type Direction } from '../../../common/limits.ts';
import type { GenerateRequest, ParseError, StreamEvent, ValidateResult } from '../../../common/protocol.ts';
import { ApiKeyRequiredError, ApiRequestError } from '../api/http.ts';
import { StreamClosedError, streamGenerate } from '../api/stream.ts';
import { parseDiagram } from '../diagram/mermaid.ts';
import { localStore, readJson, writeJson } from '../storage.ts';
import { freshRun, reduceEvent } from './events.ts';
import { addEntry, newId, parseHistory, removeEntry } from './history.ts';
import type { Deps, DiagramState, Draft, RunState, UndoSnapshot } from './types.ts';

export type { Deps, DiagramState, Draft, Phase, RunState, UndoSnapshot, Validation } from './types.ts';

const DRAFT_KEY = 'mfg:draft';
const HISTORY_KEY = 'mfg:history';
const UNDO_LIMIT = 20;

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

let deps: Deps = defaultDeps();

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
    history: [],
    undoStack: [],
    needsApiKey: false,
    baseline: { description: '', code: '' },
  };
}

const state = $state<DiagramState>(initialState());

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
// The single mutation gateway.

function update(mutate: (s: DiagramState) => void, opts: { persist?: boolean } = {}): void {
  mutate(state);
  if (opts.persist !== false) persistDraft();
}

function persistDraft(): void {
  // The baseline travels with the draft, so edits left unsaved stay "unsaved" after a reload.
  const draft: Draft & { baseline: DiagramState['baseline'] } = {
    description: state.description,
    diagramType: state.diagramType,
    direction: state.direction,
    code: state.code,
    baseline: state.baseline,
  };
  writeJson(deps.storage, DRAFT_KEY, draft);
}

function persistHistory(): void {
  // On a full quota, drop the oldest entries until it fits (or nothing is left).
  let list = state.history;
  while (!writeJson(deps.storage, HISTORY_KEY, list) && list.length > 0) list = list.slice(0, -1);
}

function isDirty(): boolean {
  const { description, code } = state;
  if (!description.trim() && !code.trim()) return false;
  return description !== state.baseline.description || code !== state.baseline.code;
}

// ---------------------------------------------------------------------------
// Setup

/** Replaces dependencies (tests) and resets the state. */
export function configure(overrides: Partial<Deps> = {}): void {
  controller?.abort();
  controller = null;
  pendingUndo = null;
  clearTimeout(validateTimer);
  deps = { ...defaultDeps(), ...overrides };
  update((s) => Object.assign(s, initialState()), { persist: false });
}

/** Loads the saved draft and history. Call once at startup. */
export function load(): void {
  const draft = readJson<Partial<Draft> & { baseline?: Partial<DiagramState['baseline']> }>(deps.storage, DRAFT_KEY);
  const history = parseHistory(readJson<unknown>(deps.storage, HISTORY_KEY));
  update(
    (s) => {
      s.history = history;
      if (draft) {
        if (typeof draft.description === 'string') s.description = draft.description.slice(0, MAX_DESCRIPTION_CHARS);
        if (typeof draft.diagramType === 'string') s.diagramType = draft.diagramType as DiagramType;
        if (draft.direction === 'TD' || draft.direction === 'LR') s.direction = draft.direction;
        if (typeof draft.code === 'string') s.code = draft.code;
      }
      const b = draft?.baseline;
      s.baseline =
        b && typeof b.description === 'string' && typeof b.code === 'string'
          ? { description: b.description, code: b.code }
          : { description: s.description, code: s.code };
    },
    { persist: false },
  );
  if (state.code.trim()) scheduleValidation(0);
}

/** The storage key of the history list, for the cross-tab `storage` event (App.svelte). */
export const HISTORY_STORAGE_KEY = HISTORY_KEY;

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
    s.description = text.slice(0, MAX_DESCRIPTION_CHARS);
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

// ---------------------------------------------------------------------------
// Code and validation

let validateTimer: ReturnType<typeof setTimeout> | undefined;
let validateSeq = 0;
let validating: Promise<void> = Promise.resolve();

/** A stream is about to set the code: a pending check of older code must not land. */
function cancelValidation(): void {
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

function scheduleValidation(delay: number): void {
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

// ---------------------------------------------------------------------------
// Runs

let controller: AbortController | null = null;
let lastRequest: { req: GenerateRequest; kind: RunState['kind'] } | null = null;
/**
 * Hand-edited code a run is about to replace, kept for undo. It goes on the
 * undo stack only when the model's code actually replaces it (the first
 * candidate): a run that fails, is refused or is stopped before any output
 * replaced nothing, and must not say it did.
 */
let pendingUndo: UndoSnapshot | null = null;

/** Applies one stream event to the state. Exported for tests; `generate` feeds it. */
export function applyEvent(ev: StreamEvent): void {
  const replacesCode = ev.type === 'candidate' || ev.type === 'invalid' || (ev.type === 'done' && ev.result.code.trim() !== '');
  if (ev.type === 'candidate' || ev.type === 'invalid' || ev.type === 'done') cancelValidation();
  update(
    (s) => {
      if (replacesCode && pendingUndo) {
        s.undoStack = [...s.undoStack, pendingUndo].slice(-UNDO_LIMIT);
        pendingUndo = null;
      }
      reduceEvent(s, ev, deps.now());
    },
    // Tokens arrive many times a second; the draft is saved on the events that change it.
    { persist: ev.type !== 'token' && ev.type !== 'queued' && ev.type !== 'loading' },
  );
  if (ev.type === 'done' && ev.result.code.trim()) persistHistory();
}

async function run(req: GenerateRequest, kind: RunState['kind']): Promise<void> {
  if (diagram.running) return;
  const ctl = new AbortController();
  controller = ctl;
  lastRequest = { req, kind };
  const codeAtStart = state.code;
  // Code edited by hand may be replaced by the model's: keep it for undo (pushed with the first candidate).
  pendingUndo =
    state.code.trim() && state.code !== state.baseline.code
      ? { description: state.description, diagramType: state.diagramType, direction: state.direction, code: state.code, reason: kind }
      : null;
  update(
    (s) => {
      s.run = freshRun(kind);
      s.needsApiKey = false;
    },
    { persist: false },
  );
  try {
    for await (const ev of deps.stream(req, { signal: ctl.signal })) {
      if (ctl.signal.aborted) break;
      applyEvent(ev);
      if (ev.type === 'done' || ev.type === 'error') break;
    }
    if (ctl.signal.aborted) throw ctl.signal.reason;
  } catch (e) {
    update((s) => {
      const r = (s.run ??= freshRun(kind));
      if (ctl.signal.aborted) {
        r.phase = 'aborted';
        // What the model wrote so far is not the user's edit: don't offer undo for it.
        // Stopped before any output: the code is still the user's, edits stay unsaved.
        if (s.code !== codeAtStart) s.baseline = { description: s.description, code: s.code };
      } else if (e instanceof ApiKeyRequiredError) {
        s.needsApiKey = true;
        s.run = null;
      } else {
        r.phase = 'error';
        r.error =
          e instanceof ApiRequestError
            ? e.apiError
            : e instanceof StreamClosedError
              ? { code: 'stream_closed', message: e.message }
              : { code: 'network', message: `Could not reach the server (${e instanceof Error ? e.message : String(e)}).` };
      }
    });
  } finally {
    if (controller === ctl) {
      controller = null;
      pendingUndo = null;
    }
  }
}

function baseRequest(): GenerateRequest {
  const req: GenerateRequest = { description: state.description.trim(), direction: state.direction, maxNewTokens: DEFAULT_MAX_NEW_TOKENS };
  if (state.diagramType !== 'auto') req.diagramType = state.diagramType;
  return req;
}

/** Generate from the description. No-op while running or with an empty description. */
export function generate(): Promise<void> {
  if (!state.description.trim()) return Promise.resolve();
  return run(baseRequest(), 'generate');
}

/** Change the current diagram as the instruction says ("add a manager approval step"). */
export function refine(): Promise<void> {
  const instruction = state.instruction.trim();
  if (!instruction || !state.code.trim()) return Promise.resolve();
  const req = { ...baseRequest(), currentDiagram: state.code, instruction };
  if (!req.description) req.description = instruction;
  return run(req, 'refine');
}

/** Runs the last request again (after the API key was given). */
export function retry(): Promise<void> {
  return lastRequest ? run(lastRequest.req, lastRequest.kind) : Promise.resolve();
}

/** Stop: cancels the request; the server frees the model when the connection closes. */
export function stop(): void {
  controller?.abort(new DOMException('Stopped by the user.', 'AbortError'));
}

export function dismissApiKeyPrompt(): void {
  update((s) => {
    s.needsApiKey = false;
  }, { persist: false });
}

// ---------------------------------------------------------------------------
// Overwrites with undo: examples, history restore, share links.

function overwrite(next: Partial<Draft>, reason: string, asBaseline: boolean, dirty = isDirty()): void {
  update((s) => {
    if (dirty) {
      s.undoStack = [
        ...s.undoStack,
        { description: s.description, diagramType: s.diagramType, direction: s.direction, code: s.code, reason },
      ].slice(-UNDO_LIMIT);
    }
    Object.assign(s, next);
    if (asBaseline) s.baseline = { description: s.description, code: s.code };
  });
  if (next.code !== undefined) {
    update((s) => {
      s.validation = s.code.trim() ? { status: 'pending' } : { status: 'empty' };
    }, { persist: false });
    scheduleValidation(0);
  }
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

export function restoreHistory(id: string): void {
  const e = state.history.find((h) => h.id === id);
  if (!e) return;
  overwrite({ description: e.description, code: e.code }, 'history', true);
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
    });
    s.baseline = { description: s.description, code: s.code };
  });
  persistHistory();
}

/** Opens a shared diagram (from a link). */
export function loadShared(p: { code: string; description: string }): void {
  if (p.code === state.code && p.description === state.description) return;
  overwrite({ code: p.code, description: p.description }, 'link', true);
}

/** Puts back what the last example/restore/link replaced. */
export function undo(): void {
  const snap = state.undoStack.at(-1);
  if (!snap) return;
  update((s) => {
    s.undoStack = s.undoStack.slice(0, -1);
    s.description = snap.description;
    s.diagramType = snap.diagramType;
    s.direction = snap.direction;
    s.code = snap.code;
    s.validation = snap.code.trim() ? { status: 'pending' } : { status: 'empty' };
  });
  scheduleValidation(0);
}

export function dismissUndo(): void {
  update((s) => {
    s.undoStack = [];
  }, { persist: false });
}
