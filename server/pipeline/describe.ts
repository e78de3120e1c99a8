/**
 * One request, from a description to a diagram a person can trust, as an
 * ordered stream of protocol events (common/protocol.ts):
 *
 *   [loading…] [queued…] started token… candidate… [invalid repairing(deterministic)
 *   [repairing(model) token…]] done        — or a single `error` event
 *
 *   const pipeline = createPipeline({ engine, queue, budgetMs });      // index.ts
 *   for await (const event of pipeline(normalizedRequest, signal)) …
 *
 * Order of work (docs/pipeline.md); the request was judged by the rule book
 * (common/request.ts) before it got here, so nothing is checked again:
 * 1. wait for the engine's shared load (`loading`; failure → `model_unavailable`);
 * 2. wait for the queue (`queued`; full → `queue_full`, abort → `cancelled`);
 * 3. holding the slot: `started`, the budget runs from here; generate with
 *    the deadline, streaming `token` and throttled `candidate` events;
 *    extract and validate; when invalid, repair deterministically *inside*
 *    the slot, because whether a model retry follows depends on it; if still
 *    invalid and at least `retryMinMs` of the budget is left, one retry
 *    with the parser's error, under the same deadline;
 * 4. slot released; then, CPU only: the final repairs of whichever output
 *    still needs them (the retry's, or the first one's when no retry was
 *    possible — when the budget is already too short after the first pass,
 *    the slot is released before any repair);
 * 5. `done` with the DiagramResult. Repairs never add nodes or edges; when
 *    neither pass validates, the first pass's (repaired) output is kept.
 *
 * Cancellation: one signal. The caller's `signal` joins (AbortSignal.any)
 * the generator's own, which aborts when the reader leaves the loop; the
 * generation stops at its next token, the slot frees, and the generator
 * finishes only after both. Stop a run that is waiting (queue, load) by
 * aborting `signal`: a generator learns that its reader left only at its
 * next event.
 */
import type { ErrorCode } from '../../common/errors.ts';
import type { ApiError, DiagramResult, ReadyStatus, StreamEvent } from '../../common/protocol.ts';
import type { ValidRequest } from '../../common/request.ts';
import type { Engine } from '../engine/types.ts';
import { NO_DIAGRAM_ERROR, check, generatePass, type Checked, type PassOutput } from './pass.ts';
import { flowchartConstraint } from '../engine/grammar/types.ts';
import { buildMessages, buildRetryMessages } from './prompt.ts';
import type { GenerationQueue, Slot } from './queue.ts';
import type { MermaidTools } from './tools.ts';
import { Latest, abortable } from './wait.ts';
import { trimEndChar } from '../../common/text.ts';

export { ADD_HEADER, CANDIDATE_GRACE_MS, NO_DIAGRAM_ERROR } from './pass.ts';

export interface DescribeDeps {
  engine: Engine;
  /** GenerationQueue, or anything with its `acquire`. */
  queue: Pick<GenerationQueue, 'acquire'>;
  /** Budget per request (ms), counted from the moment the request holds the model. */
  budgetMs: number;
  /** extract/validate/repair; defaults to server/mermaid/. */
  tools?: MermaidTools;
  /** Least budget (ms) that must be left for the model retry; default a quarter of budgetMs. */
  retryMinMs?: number;
  /** Least time between two `candidate` events (ms); default 150. */
  candidateIntervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /**
   * Ask the engine for grammar-constrained flowcharts (CONSTRAINED ≠ off): the
   * prompt asks for the bare diagram and the answer is prefilled with its header.
   * The engine decides whether it can (result.constrained says whether it did).
   */
  constrain?: boolean;
}

let defaultTools: Promise<MermaidTools> | null = null;
async function loadDefaultTools(): Promise<MermaidTools> {
  defaultTools ??= import('./mermaid-tools.ts').then((m) => m.mermaidTools);
  return defaultTools;
}

function apiError(code: ErrorCode, message: string, retryAfterSeconds?: number): StreamEvent {
  const error: ApiError = { code, message };
  if (retryAfterSeconds !== undefined) error.retryAfterSeconds = retryAfterSeconds;
  return { type: 'error', error };
}
const cancelled = () => apiError('cancelled', 'The request was cancelled.');

export async function* describe(req: ValidRequest, deps: DescribeDeps, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
  const left = new AbortController();
  const run = signal ? AbortSignal.any([signal, left.signal]) : left.signal;
  try {
    yield* stages(req, deps, run);
  } catch (error) {
    if (run.aborted) yield cancelled();
    else yield apiError('internal', `The generation failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    left.abort(new DOMException('The reader stopped', 'AbortError'));
  }
}

/** Everything in order; ends with the `done` or `error` event. */
async function* stages(req: ValidRequest, deps: DescribeDeps, signal: AbortSignal): AsyncGenerator<StreamEvent> {
  const now = deps.now ?? Date.now;
  const t0 = now();
  const tools = deps.tools ?? (await loadDefaultTools());
  const { messages, plan } = buildMessages(req, { constrained: deps.constrain });
  const constraint = plan.constrained ? flowchartConstraint(plan.direction === 'LR' ? 'LR' : 'TD') : undefined;
  const { maxNewTokens } = req; // resolved and bounded by the rule book
  const retryMinMs = deps.retryMinMs ?? deps.budgetMs / 4;
  const interval = deps.candidateIntervalMs ?? 150;
  const { engine } = deps;

  // 1. The model: one shared load, progress as `loading` events.
  const loadStart = now();
  const loadFailure = yield* loadModel(engine, signal);
  if (loadFailure) return yield loadFailure;
  const loadMs = now() - loadStart;

  // 2. The queue.
  let slot: Slot;
  try {
    slot = yield* waitForSlot(deps.queue, signal);
  } catch (error) {
    return yield refusal(error, signal);
  }

  // 3. Holding the slot: generation, and what must stay with it.
  const passes: PassOutput[] = [];
  let first: Checked | null = null;
  let retryText: string | null = null;
  let repairMs = 0;
  const spent = (ms: number) => (repairMs += ms);
  try {
    const deadline = now() + deps.budgetMs;
    yield { type: 'started', budgetMs: deps.budgetMs };
    const pass = { deadline, maxNewTokens, signal: slot.signal, interval, tools, now, constraint };
    const out1 = yield* generatePass(engine, messages, pass);
    passes.push(out1);
    const mayRetry = out1.stopReason !== 'aborted' && !slot.signal.aborted && deadline - now() >= retryMinMs;
    if (mayRetry) {
      // Otherwise the slot is released first: the repairs below need no model.
      first = yield* check(out1.text, tools, plan.header, now, spent);
      if (!first.result.valid) {
        const error = first.result.error ?? { message: NO_DIAGRAM_ERROR };
        yield { type: 'repairing', stage: 'model', reason: `Asking the model to fix: ${error.message}` };
        const retryMessages = buildRetryMessages(messages, first.result.code || first.extracted, error, plan, out1.text);
        const out2 = yield* generatePass(engine, retryMessages, { ...pass, tokensBefore: out1.tokens });
        passes.push(out2);
        retryText = out2.text;
      }
    }
  } finally {
    slot.release();
  }
  // A stopped run (Stop pressed, client gone) ends here: nobody waits for its diagram.
  if (signal.aborted || passes.length === 0) return yield cancelled();

  // 4. CPU only, the slot is free: the final repairs.
  const firstPass = passes[0]!;
  first ??= yield* check(firstPass.text, tools, plan.header, now, spent);
  let final = first;
  let finalPass = firstPass;
  if (retryText !== null) {
    const second = yield* check(retryText, tools, plan.header, now, spent);
    if (second.result.valid) {
      final = second;
      finalPass = passes[1]!;
    }
  }

  // 5. The result.
  const tokens = passes.reduce((sum, pass) => sum + pass.tokens, 0);
  const generationMs = passes.reduce((sum, pass) => sum + pass.generationMs, 0);
  const status = engine.status();
  const result: DiagramResult = {
    code: final.result.code,
    diagramType: final.result.diagramType,
    valid: final.result.valid,
    repairs: final.result.repairs,
    changes: final.result.changes,
    retried: passes.length > 1,
    budgetCut: finalPass.stopReason === 'budget',
    constrained: finalPass.constrained === true,
    stopReason: finalPass.stopReason,
    tokens,
    tokensPerSecond: generationMs > 0 ? Math.round((tokens / (generationMs / 1000)) * 10) / 10 : 0,
    timings: { queueMs: slot.waitedMs, loadMs, firstTokenMs: firstPass.firstTokenMs, generationMs, repairMs, totalMs: now() - t0 },
  };
  if (!final.result.valid) result.error = final.result.error ?? { message: NO_DIAGRAM_ERROR };
  if (status.device) result.device = status.dtype ? `${status.device} (${status.dtype})` : status.device;
  if (status.model) result.model = status.model;
  yield { type: 'done', result };
}

/** Waits for the engine's shared load, as `loading` events; returns the failure event, or null when ready. */
async function* loadModel(engine: Engine, signal: AbortSignal): AsyncGenerator<StreamEvent, StreamEvent | null> {
  if (engine.status().state === 'ready') return null;
  const progress = new Latest<ReadyStatus>();
  const unsubscribe = engine.onStatus((status) => progress.put(status));
  const loaded = engine.load().then(
    () => ({ error: null }),
    (error: unknown) => ({ error: error ?? new Error('unknown') }),
  );
  try {
    const initial = engine.status();
    yield { type: 'loading', progress: initial.state === 'error' ? 0 : initial.progress, message: initial.message || 'Loading the model' };
    for (;;) {
      const next = await abortable(Promise.race([loaded, progress.next()]), signal);
      if ('state' in next) {
        if (next.state === 'loading' || next.state === 'warming') yield { type: 'loading', progress: next.progress, message: next.message };
        continue;
      }
      if (!next.error) return null;
      const reason = trimEndChar((next.error instanceof Error ? next.error.message : String(next.error)).trim(), '.');
      // Say when the engine tries again (its backoff), not "try again later": a wrong MODEL_PATH or no network
      // does not heal by waiting, and the reason already says what to change.
      const retryAt = Date.parse(engine.status().retryAt ?? '');
      const wait = Number.isFinite(retryAt) ? Math.max(1, Math.ceil((retryAt - Date.now()) / 1000)) : undefined;
      return apiError('model_unavailable', `The model could not be loaded: ${reason}.${wait === undefined ? '' : ` The server tries again in ${wait} s.`}`, wait);
    }
  } catch (error) {
    if (signal.aborted) return cancelled();
    throw error;
  } finally {
    unsubscribe();
  }
}

/** Waits for the model slot, as `queued` events; throws the queue's refusal. */
async function* waitForSlot(queue: DescribeDeps['queue'], signal: AbortSignal): AsyncGenerator<StreamEvent, Slot> {
  const position = new Latest<{ position: number; waiting: number }>();
  const granted = queue.acquire({ signal, onPosition: (p, waiting) => position.put({ position: p, waiting }) });
  let taken = false;
  try {
    for (;;) {
      const next = await Promise.race([granted, position.next()]);
      if ('release' in next) {
        taken = true;
        return next;
      }
      yield { type: 'queued', position: next.position, queueLength: next.waiting };
    }
  } finally {
    // The reader left while we waited: a slot granted later goes straight back.
    if (!taken) granted.then((slot) => slot.release(), () => undefined);
  }
}

/** The queue's refusal (or the caller's abort while waiting) as the run's last event. */
function refusal(error: unknown, signal: AbortSignal): StreamEvent {
  if (signal.aborted || (error instanceof Error && error.name === 'AbortError')) return cancelled();
  const e = error as { code?: string; retryAfterSeconds?: number };
  if (e?.code === 'queue_full') {
    return apiError('queue_full', `The model is busy; try again in about ${e.retryAfterSeconds ?? 10} s.`, e.retryAfterSeconds ?? 10);
  }
  if (e?.code === 'shutting_down') return apiError('shutting_down', 'The server is shutting down; retry in a few seconds.', 10);
  throw error;
}
