/**
 * One request, from a description to a diagram a person can trust, as an
 * ordered stream of protocol events (common/protocol.ts):
 *
 *   [loading…] [queued…] started token… candidate… [invalid repairing(deterministic)
 *   [repairing(model) token…]] done        — or a single `error` event
 *
 *   for await (const event of describe({ description }, { engine, queue, budgetMs, maxNewTokens }, { signal })) …
 *
 * Order of work (docs/pipeline.md):
 * 1. refuse an empty description (`empty_description`);
 * 2. wait for the engine's shared load (`loading`; failure → `model_unavailable`);
 * 3. wait for the queue (`queued`; full → `queue_full`, abort → `cancelled`);
 * 4. holding the slot: `started`, the budget runs from here; generate with
 *    the deadline, streaming `token` and throttled `candidate` events;
 *    extract and validate; when invalid, repair deterministically *inside*
 *    the slot, because whether a model retry follows depends on it; if still
 *    invalid and at least `retryMinMs` of the budget is left, one retry
 *    with the parser's error, under the same deadline;
 * 5. slot released; then, CPU only: the final repairs of whichever output
 *    still needs them (the retry's, or the first one's when no retry was
 *    possible — when the budget is already too short after the first pass,
 *    the slot is released before any repair);
 * 6. `done` with the DiagramResult. Repairs never add nodes or edges; when
 *    neither pass validates, the first pass's (repaired) output is kept.
 *
 * Cancellation: the caller's signal, or the consumer leaving the loop
 * (`return()`), aborts an internal controller that stops generation and
 * frees the queue slot; the generator awaits that before it finishes.
 */
import { MAX_DESCRIPTION_CHARS } from '../../common/limits.ts';
import type {
  ApiError,
  DiagramResult,
  GenerateRequest,
  ParseError,
  RepairResult,
  StopReason,
  StreamEvent,
} from '../../common/protocol.ts';
import type { Job, EnqueueOptions } from '../engine/queue.ts';
import type { ChatMessage, Engine, GenerationOutput } from '../engine/types.ts';
import { EventChannel } from './channel.ts';
import { buildMessages, buildRetryMessages, isRefinement, type PromptPlan } from './prompt.ts';
import { typeOfHeader } from './types.ts';
import type { MermaidTools } from './tools.ts';

export interface DescribeDeps {
  engine: Engine;
  /** GenerationQueue, or anything with its `run`. */
  queue: { run<T>(job: Job<T>, options?: EnqueueOptions): Promise<T> };
  /** GPU budget per request (ms), counted from the moment the request holds the model. */
  budgetMs: number;
  /** Default and ceiling for new tokens per pass. */
  maxNewTokens: number;
  /** extract/validate/repair; defaults to server/mermaid/. */
  tools?: MermaidTools;
  /** Least budget (ms) that must be left for the model retry; default a quarter of budgetMs. */
  retryMinMs?: number;
  /** Least time between two `candidate` events (ms); default 150. */
  candidateIntervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export interface DescribeOptions {
  signal?: AbortSignal;
}

/** Why nothing was drawn, when extraction finds no diagram at all. */
export const NO_DIAGRAM_ERROR = 'The model did not write a Mermaid diagram.';

let defaultTools: Promise<MermaidTools> | null = null;
async function loadDefaultTools(): Promise<MermaidTools> {
  defaultTools ??= import('./mermaid-tools.ts').then((m) => m.mermaidTools);
  return defaultTools;
}

/** A pass's outcome after extraction, validation and (when needed) deterministic repair. */
interface Checked {
  /** Code as extracted ('' when none). */
  extracted: string;
  /** The first validation's error, when the extracted code was invalid. */
  firstError?: ParseError;
  /** After repair (or as extracted when it validated). */
  result: RepairResult;
}

function apiError(code: string, message: string, retryAfterSeconds?: number): StreamEvent {
  const error: ApiError = { code, message };
  if (retryAfterSeconds !== undefined) error.retryAfterSeconds = retryAfterSeconds;
  return { type: 'error', error };
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

export async function* describe(
  req: GenerateRequest,
  deps: DescribeDeps,
  options: DescribeOptions = {},
): AsyncGenerator<StreamEvent> {
  const refinement = isRefinement(req);
  if (!refinement && !req.description?.trim()) {
    yield apiError('empty_description', 'Describe the process to draw: the description is empty.');
    return;
  }
  if ((req.description?.length ?? 0) > MAX_DESCRIPTION_CHARS) {
    yield apiError('description_too_long', `Shorten the description to at most ${MAX_DESCRIPTION_CHARS} characters.`);
    return;
  }

  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onCallerAbort();
  else options.signal?.addEventListener('abort', onCallerAbort, { once: true });

  const channel = new EventChannel();
  const work = run(req, deps, controller.signal, (event) => channel.push(event)).then(
    (final) => {
      channel.push(final);
      channel.close();
    },
    (error: unknown) => {
      channel.push(apiError('internal', `The generation failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`));
      channel.close();
    },
  );
  try {
    for await (const event of channel) {
      yield event;
      if (event.type === 'done' || event.type === 'error') break;
    }
  } finally {
    options.signal?.removeEventListener('abort', onCallerAbort);
    if (!controller.signal.aborted) controller.abort(new DOMException('The consumer stopped reading', 'AbortError'));
    // The generation stops at its next token and the queue slot frees when it settles.
    await work;
  }
}

/** Everything after the cheap checks; resolves with the final `done` or `error` event. */
async function run(
  req: GenerateRequest,
  deps: DescribeDeps,
  signal: AbortSignal,
  emit: (event: StreamEvent) => void,
): Promise<StreamEvent> {
  const now = deps.now ?? Date.now;
  const t0 = now();
  const tools = deps.tools ?? (await loadDefaultTools());
  const { messages, plan } = buildMessages(req);
  const maxNewTokens = Math.max(1, Math.min(req.maxNewTokens ?? deps.maxNewTokens, deps.maxNewTokens));
  const retryMinMs = deps.retryMinMs ?? deps.budgetMs / 4;
  const interval = deps.candidateIntervalMs ?? 150;
  const cancelled = () => apiError('cancelled', 'The request was cancelled.');

  // 2. The model: one shared load, progress as `loading` events.
  const loadStart = now();
  const engine = deps.engine;
  if (engine.status().state !== 'ready') {
    const unsubscribe = engine.onStatus((status) => {
      if (status.state === 'loading' || status.state === 'warming') {
        emit({ type: 'loading', progress: status.progress, message: status.message });
      }
    });
    const initial = engine.status();
    emit({ type: 'loading', progress: initial.state === 'error' ? 0 : initial.progress, message: initial.message || 'Loading the model' });
    try {
      await abortable(engine.load(), signal);
    } catch (error) {
      if (signal.aborted) return cancelled();
      const reason = (error instanceof Error ? error.message : String(error)).trim().replace(/\.+$/, '');
      return apiError('model_unavailable', `The model could not be loaded: ${reason}. Try again later.`, 10);
    } finally {
      unsubscribe();
    }
  }
  const loadMs = now() - loadStart;

  // 3–4. The queue slot: generation, and what must stay with it.
  let queueMs = 0;
  let jobStart = 0;
  const passes: GenerationOutput[] = [];
  // Written inside the queue job; a holder, so TypeScript does not narrow them away.
  const held: { first: Checked | null; retryText: string | null } = { first: null, retryText: null };
  let repairMs = 0;
  const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
    const start = now();
    try {
      return await fn();
    } finally {
      repairMs += now() - start;
    }
  };

  try {
    await deps.queue.run(
      async (ctx) => {
        queueMs = ctx.waitedMs;
        jobStart = now();
        const deadline = jobStart + deps.budgetMs;
        emit({ type: 'started', budgetMs: deps.budgetMs });

        const out1 = await generatePass(engine, messages, { deadline, maxNewTokens, signal: ctx.signal, interval, tools, emit, now });
        passes.push(out1);
        const remaining = deadline - now();
        const mayRetry = out1.stopReason !== 'aborted' && !ctx.signal.aborted && remaining >= retryMinMs;
        if (!mayRetry) return; // release the slot first; the repairs below need no GPU
        const first = await timed(() => check(out1.text, tools, emit, plan.header));
        held.first = first;
        if (first.result.valid) return;

        const reason = first.result.error?.message ?? NO_DIAGRAM_ERROR;
        emit({ type: 'repairing', stage: 'model', reason: `Asking the model to fix: ${reason}` });
        const retryMessages = buildRetryMessages(
          messages,
          first.result.code || first.extracted,
          first.result.error ?? { message: NO_DIAGRAM_ERROR },
          plan,
          out1.text,
        );
        const out2 = await generatePass(engine, retryMessages, { deadline, maxNewTokens, signal: ctx.signal, interval, tools, emit, now, tokensBefore: out1.tokens });
        passes.push(out2);
        held.retryText = out2.text;
      },
      {
        signal,
        onPosition: (position, waiting) => emit({ type: 'queued', position, queueLength: waiting }),
      },
    );
  } catch (error) {
    if (isAbort(error, signal)) return cancelled();
    const e = error as { code?: string; retryAfterSeconds?: number; message?: string };
    if (e?.code === 'queue_full') {
      return apiError('queue_full', `The model is busy; try again in about ${e.retryAfterSeconds ?? 10} s.`, e.retryAfterSeconds ?? 10);
    }
    if (e?.code === 'shutting_down') return apiError('shutting_down', 'The server is shutting down; retry in a few seconds.', 10);
    throw error;
  }
  // A stopped run (Stop pressed, client gone) ends here: nobody waits for its diagram.
  if (signal.aborted || passes.length === 0) return cancelled();

  // 5. CPU only, the slot is free: the final repairs.
  const firstPass = passes[0]!;
  const first = held.first ?? (await timed(() => check(firstPass.text, tools, emit, plan.header)));
  let final = first;
  let finalPass = firstPass;
  const retryText = held.retryText;
  if (retryText !== null) {
    const second = await timed(() => check(retryText, tools, emit, plan.header));
    if (second.result.valid) {
      final = second;
      finalPass = passes[1]!;
    }
  }

  // 6. The result.
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
    stopReason: finalPass.stopReason as StopReason,
    tokens,
    tokensPerSecond: generationMs > 0 ? Math.round((tokens / (generationMs / 1000)) * 10) / 10 : 0,
    timings: {
      queueMs,
      loadMs,
      firstTokenMs: firstPass.firstTokenMs,
      generationMs,
      repairMs,
      totalMs: now() - t0,
    },
  };
  if (!final.result.valid) result.error = final.result.error ?? { message: NO_DIAGRAM_ERROR };
  if (status.device) result.device = status.dtype ? `${status.device} (${status.dtype})` : status.device;
  if (status.model) result.model = status.model;
  return { type: 'done', result };
}

interface PassOptions {
  deadline: number;
  maxNewTokens: number;
  signal: AbortSignal;
  interval: number;
  tools: MermaidTools;
  emit: (event: StreamEvent) => void;
  now: () => number;
  /** Tokens of earlier passes, so `token` events count across passes. */
  tokensBefore?: number;
}

/**
 * One generation, streaming `token` events and, at most every `interval` ms
 * and only when a line has completed, the partial diagram as a `candidate`,
 * validated in the background, one validation at a time. When the pass ends,
 * a validation still in flight gets a short grace (`CANDIDATE_GRACE_MS`, none
 * when aborted) and is dropped after it, so a candidate never follows the
 * pass's end and a cold parser never holds the GPU slot.
 */
async function generatePass(engine: Engine, messages: ChatMessage[], o: PassOptions): Promise<GenerationOutput> {
  let text = '';
  let lastCandidateAt = -Infinity;
  let lastCandidate = '';
  let inFlight: Promise<void> | null = null;
  let finished = false;
  const offset = o.tokensBefore ?? 0;

  const maybeCandidate = () => {
    if (inFlight || o.now() - lastCandidateAt < o.interval) return;
    // Complete lines only: a token may carry the newline and the start of the next line ("\n  B["),
    // and a half-written line would make every candidate fail to parse.
    const code = o.tools.extract(text.slice(0, text.lastIndexOf('\n') + 1), true);
    if (!code || code === lastCandidate) return;
    lastCandidate = code;
    lastCandidateAt = o.now();
    inFlight = o.tools.validate(code).then(
      (v) => {
        inFlight = null;
        if (finished) return;
        o.emit(v.ok ? { type: 'candidate', code, valid: true } : { type: 'candidate', code, valid: false, error: parseError(v) });
      },
      () => {
        inFlight = null;
      },
    );
  };

  try {
    return await engine.generate(messages, {
      maxNewTokens: o.maxNewTokens,
      deadline: o.deadline,
      signal: o.signal,
      onToken: (chunk, tokens) => {
        text += chunk;
        o.emit({ type: 'token', text: chunk, tokens: offset + tokens });
        if (chunk.includes('\n')) maybeCandidate();
      },
    });
  } finally {
    if (inFlight && !o.signal.aborted) await Promise.race([inFlight, sleep(CANDIDATE_GRACE_MS)]);
    finished = true;
  }
}

/** How long a finished pass waits for the candidate validation in flight (ms). */
export const CANDIDATE_GRACE_MS = 250;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}

function parseError(v: { line?: number; message: string }): ParseError {
  return v.line === undefined ? { message: v.message } : { line: v.line, message: v.message };
}

/** Reported when the requested type's header line was put in front of headerless code. */
export const ADD_HEADER = 'add-header';

/**
 * Extract, validate, and when invalid announce it and repair. Repair runs on
 * valid code too: it strips configuration/styling the model must not inject.
 * Code without a header line (the model started at the first node) gets the
 * requested type's header first: the request says which type it is, so
 * nothing is invented; kept only when that makes the diagram valid.
 */
async function check(text: string, tools: MermaidTools, emit: (event: StreamEvent) => void, header: string): Promise<Checked> {
  const extracted = tools.extract(text, false)?.trim() ?? '';
  if (!extracted) {
    return { extracted, result: { code: '', valid: false, diagramType: null, repairs: [], changes: [], error: { message: NO_DIAGRAM_ERROR } } };
  }
  const v = await tools.validate(extracted);
  if (v.ok) {
    const result = await tools.repair(extracted);
    return { extracted, result };
  }
  const firstError = parseError(v);
  emit({ type: 'invalid', code: extracted, error: firstError });
  emit({ type: 'repairing', stage: 'deterministic', reason: firstError.message });
  if (typeOfHeader(extracted) === null) {
    const withHeader = await tools.repair(`${header}\n${extracted}`);
    if (withHeader.valid) return { extracted, firstError, result: { ...withHeader, repairs: [ADD_HEADER, ...withHeader.repairs] } };
  }
  const result = await tools.repair(extracted);
  return { extracted, firstError, result };
}

/** Waits for `promise`, or rejects as soon as `signal` aborts (the promise itself goes on). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
