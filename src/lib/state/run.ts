/**
 * Runs: generate from the description, or refine the current diagram as one
 * turn of its thread; the stream's events applied in order; Stop; the retry
 * after an API key is given. A run that replaces hand-edited code leaves it
 * on the undo stack (with its first candidate, not before: a run that fails
 * or is stopped before any output replaced nothing).
 */
import { DEFAULT_MAX_NEW_TOKENS } from '../../../common/limits.ts';
import { normalizeRequest } from '../../../common/request.ts';
import type { DiagramResult, GenerateRequest, StreamEvent } from '../../../common/protocol.ts';
import { ApiKeyRequiredError, ApiRequestError } from '../api/http.ts';
import { getApiKey } from '../api/apiKey.ts';
import { StreamClosedError } from '../api/stream.ts';
import { freshRun, reduceEvent } from './events.ts';
import { deps, diagram, onReset, persistHistory, state, update } from './store.svelte.ts';
import { beginTurn, endTurn, startThread } from './thread.ts';
import type { RunState, UndoSnapshot } from './types.ts';
import { pushUndo, snapshot } from './undo.ts';
import { cancelValidation } from './validation.ts';

let controller: AbortController | null = null;
let lastRequest: { req: GenerateRequest; kind: RunState['kind'] } | null = null;
/** Hand-edited code a run is about to replace, kept for undo (see the file comment). */
let pendingUndo: UndoSnapshot | null = null;
/** The code a refine turn started from: what its "changes" are measured against. */
let turnBase = '';

onReset(() => {
  controller?.abort();
  controller = null;
  pendingUndo = null;
});

/** What the server's repair step changed (result.changes), as sentences for the thread. */
function notesOf(result: DiagramResult): string[] | undefined {
  // Older servers send no `changes`: nothing to say then.
  const notes = (result.changes ?? []).map((c) => c.message).filter((m) => typeof m === 'string');
  return notes.length ? notes : undefined;
}

/** Applies one stream event to the state. Exported for tests; `generate` feeds it. */
export function applyEvent(ev: StreamEvent): void {
  const replacesCode = ev.type === 'candidate' || ev.type === 'invalid' || (ev.type === 'done' && ev.result.code.trim() !== '');
  if (ev.type === 'candidate' || ev.type === 'invalid' || ev.type === 'done') cancelValidation();
  if (replacesCode && pendingUndo) {
    pushUndo(pendingUndo);
    pendingUndo = null;
  }
  update(
    (s) => {
      // The thread learns the outcome first, so the history entry `done` adds carries it.
      const kind = s.run?.kind ?? 'generate';
      if (ev.type === 'done') {
        const code = ev.result.code;
        if (kind === 'generate') {
          if (code.trim()) s.thread = startThread(code, deps.now());
        } else if (code.trim()) {
          const notes = notesOf(ev.result);
          s.thread = endTurn(s.thread, { code, before: turnBase, ...(notes ? { notes } : {}) });
          s.instruction = '';
        } else {
          s.thread = endTurn(s.thread, { status: 'failed', error: ev.result.error?.message ?? 'The model did not write a diagram.' });
        }
      } else if (ev.type === 'error' && kind === 'refine') {
        s.thread = endTurn(s.thread, { status: 'failed', error: ev.error.message });
      }
      reduceEvent(s, ev, deps.now());
    },
    // Tokens arrive many times a second; the draft is saved on the events that change it.
    { persist: ev.type !== 'token' && ev.type !== 'queued' && ev.type !== 'loading' },
  );
  if (ev.type === 'done' && ev.result.code.trim()) persistHistory();
}

async function run(raw: GenerateRequest, kind: RunState['kind']): Promise<void> {
  if (diagram.running) return;
  // The server's own rule book (common/request.ts): a request it would refuse is refused here, in the same
  // words, without a round trip (a pasted diagram over the limit, control characters…).
  const checked = normalizeRequest(raw, { maxNewTokens: DEFAULT_MAX_NEW_TOKENS });
  if (!checked.ok) {
    update((s) => {
      s.run = { ...freshRun(kind), phase: 'error', error: { code: checked.error.code, message: checked.error.message } };
    }, { persist: false });
    return;
  }
  const req: GenerateRequest = checked.request;
  const ctl = new AbortController();
  controller = ctl;
  lastRequest = { req, kind };
  const codeAtStart = state.code;
  const sentKey = getApiKey() !== null;
  // Code edited by hand may be replaced by the model's: keep it for undo (pushed with the first candidate).
  pendingUndo = state.code.trim() && state.code !== state.baseline.code ? snapshot(kind) : null;
  turnBase = req.currentDiagram ?? '';
  update(
    (s) => {
      s.run = freshRun(kind);
      s.needsApiKey = false;
      s.keyRejected = false;
      if (kind === 'refine') {
        // A diagram opened, pasted or typed by hand starts its thread as the first version.
        if (!s.thread.length || !s.thread.some((t) => t.code === codeAtStart)) s.thread = startThread(codeAtStart, deps.now());
        s.thread = beginTurn(s.thread, req.instruction ?? '', deps.now());
      }
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
        if (kind === 'refine') s.thread = endTurn(s.thread, { status: 'stopped' });
        // What the model wrote so far is not the user's edit: don't offer undo for it.
        // Stopped before any output: the code is still the user's, edits stay unsaved.
        if (s.code !== codeAtStart) s.baseline = { description: s.description, code: s.code };
      } else if (e instanceof ApiKeyRequiredError) {
        s.needsApiKey = true;
        // The request carried a key and still got 401: that key is wrong, and the dialog says so.
        s.keyRejected = sentKey;
        s.run = null;
        // The turn is asked again once the key is given (retry): it did not happen.
        if (kind === 'refine') s.thread = s.thread.filter((t) => t.status !== 'running');
      } else {
        r.phase = 'error';
        r.error =
          e instanceof ApiRequestError
            ? e.apiError
            : e instanceof StreamClosedError
              ? { code: 'stream_closed', message: e.message }
              : { code: 'network', message: `Could not reach the server (${e instanceof Error ? e.message : String(e)}).` };
        if (kind === 'refine') s.thread = endTurn(s.thread, { status: 'failed', error: r.error.message });
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

/** One turn of the thread: change the current diagram as the instruction says ("add a manager approval step"). */
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
    s.keyRejected = false;
  }, { persist: false });
}
