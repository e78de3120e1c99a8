/**
 * Every generation the HTTP layer starts goes through `Runs.run()`: one place
 * that refuses new work while shutting down, links the client's abort signal
 * to the pipeline, records metrics and writes one log line per run, and lets
 * `drain()` finish or cancel what is running on SIGTERM. The three
 * transports (JSON, SSE, Gradio) only consume the events it yields.
 */
import { randomUUID } from 'node:crypto';
import type { DiagramResult, StreamEvent } from '../../common/protocol.ts';
import type { ValidRequest } from '../../common/request.ts';
import type { Pipeline } from '../pipeline/index.ts';
import { HttpError } from './errors.ts';
import type { Metrics } from './metrics.ts';
import type { Logger } from './types.ts';

export type Transport = 'json' | 'sse' | 'gradio' | 'gradio_call';

export interface RunOptions {
  /** Aborted when the client goes away (or cancels): stops the run at once. */
  signal?: AbortSignal;
  transport: Transport;
  log?: Logger;
}

export interface RunsDeps {
  pipeline: Pipeline;
  metrics: Metrics;
  logger: Logger;
  logInputs: boolean;
}

export class Runs {
  #draining = false;
  #active = new Set<AbortController>();
  #idle: Array<() => void> = [];

  constructor(private readonly deps: RunsDeps) {}

  get draining(): boolean {
    return this.#draining;
  }

  /** Generations in flight (queued or running) started through HTTP. */
  get active(): number {
    return this.#active.size;
  }

  /** Throws `shutting_down` once drain() has begun; call before answering 200. */
  assertAccepting(): void {
    if (this.#draining) {
      throw new HttpError('shutting_down', 'The server is shutting down; retry in a few seconds.', { retryAfterSeconds: 10 });
    }
  }

  /**
   * Runs one request through the pipeline, yielding its events (internal
   * errors reduced to an id). Aborting `signal` (the client left) or a
   * drain past its grace cancels the run: the two join in one signal.
   */
  async *run(req: ValidRequest, opts: RunOptions): AsyncGenerator<StreamEvent> {
    this.assertAccepting();
    const { metrics, logInputs } = this.deps;
    const log = opts.log ?? this.deps.logger;
    const ac = new AbortController(); // drain()'s handle on this run
    const signal = opts.signal ? AbortSignal.any([opts.signal, ac.signal]) : ac.signal;
    this.#active.add(ac);

    const started = Date.now();
    let outcome = 'aborted';
    let result: DiagramResult | undefined;
    let errorCode: string | undefined;
    try {
      for await (const raw of this.deps.pipeline(req, signal)) {
        const ev = raw.type === 'error' ? publicError(raw, signal, log) : raw;
        if (ev.type === 'done') {
          result = ev.result;
          outcome = ev.result.stopReason === 'aborted' ? 'aborted' : ev.result.valid ? 'valid' : 'invalid';
        } else if (ev.type === 'error') {
          errorCode = ev.error.code;
          outcome = ev.error.code;
        }
        yield ev;
        if (ev.type === 'done' || ev.type === 'error') break;
      }
      if (!result && !errorCode && !signal.aborted) outcome = 'no_result';
    } catch (err) {
      if (!signal.aborted) {
        outcome = (err as { code?: string })?.code ?? 'internal';
        throw err;
      }
    } finally {
      // A client that left (or a shutdown cancel) counts as aborted, however the pipeline said it.
      if (signal.aborted && !result && (!errorCode || errorCode === 'cancelled')) outcome = 'aborted';
      this.#active.delete(ac);
      if (this.#active.size === 0) for (const wake of this.#idle.splice(0)) wake();

      metrics.generations.inc({ outcome, transport: opts.transport });
      if (result) {
        metrics.generationTokens.observe(result.tokens);
        if (result.tokensPerSecond > 0) metrics.tokensPerSecond.observe(result.tokensPerSecond);
        if (result.budgetCut) metrics.budgetCuts.inc();
        for (const name of result.repairs) metrics.repairs.inc({ name });
      }
      log.info(
        {
          event: 'generation',
          transport: opts.transport,
          outcome,
          ms: Date.now() - started,
          descriptionChars: req.description.length,
          ...(logInputs ? { description: req.description, instruction: req.instruction } : {}),
          ...(result
            ? {
                tokens: result.tokens,
                tokensPerSecond: Math.round(result.tokensPerSecond * 10) / 10,
                budgetCut: result.budgetCut,
                stopReason: result.stopReason,
                valid: result.valid,
                repairs: result.repairs,
                retried: result.retried,
                queueMs: result.timings.queueMs,
              }
            : {}),
          ...(errorCode ? { errorCode } : {}),
        },
        'generation finished',
      );
    }
  }

  /**
   * Stop taking new work, let running generations finish for up to `graceMs`,
   * then cancel the rest and wait (briefly) for them to unwind.
   */
  async drain(graceMs: number): Promise<{ cancelled: number }> {
    this.#draining = true;
    if (this.#active.size === 0) return { cancelled: 0 };
    const idle = new Promise<void>((resolve) => this.#idle.push(resolve));
    const finished = await Promise.race([idle.then(() => true), sleep(graceMs).then(() => false)]);
    if (finished) return { cancelled: 0 };
    const cancelled = this.#active.size;
    for (const ac of this.#active) ac.abort(new HttpError('shutting_down', 'The server is shutting down.'));
    await Promise.race([idle, sleep(2_000)]);
    return { cancelled };
  }
}

/**
 * What a client may see of a pipeline error: a run stopped by the shutdown
 * says so (503 + retry hint, not "cancelled"), and an unexpected failure is
 * logged with an error id and reaches the client as that id only.
 */
function publicError(ev: Extract<StreamEvent, { type: 'error' }>, signal: AbortSignal, log: Logger): StreamEvent {
  const { code } = ev.error;
  if (code === 'cancelled' && signal.aborted && (signal.reason as { code?: unknown } | undefined)?.code === 'shutting_down') {
    return { type: 'error', error: new HttpError('shutting_down', 'The server is shutting down; retry in a few seconds.', { retryAfterSeconds: 10 }).toApiError() };
  }
  if (code === 'internal' && !(ev.error as { errorId?: string }).errorId) {
    const errorId = randomUUID();
    log.error({ errorId, err: ev.error.message }, 'internal error');
    return { type: 'error', error: new HttpError('internal', `Something went wrong on the server (error id ${errorId}).`, { errorId }).toApiError() };
  }
  return ev;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
