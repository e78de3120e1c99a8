/**
 * The pipeline as everyone calls it: one function from a judged request and
 * a signal to a stream of events. HTTP (JSON, SSE, Gradio), the CLI, the
 * eval bench and the tests all use this same shape.
 *
 *   const pipeline = createPipeline({ engine, queue, budgetMs });
 *   const r = normalizeRequest(body, { maxNewTokens });             // common/request.ts
 *   if (r.ok) for await (const event of pipeline(r.request, signal)) …
 */
import type { StreamEvent } from '../../common/protocol.ts';
import type { ValidRequest } from '../../common/request.ts';
import { describe, type DescribeDeps } from './describe.ts';

export type Pipeline = (request: ValidRequest, signal: AbortSignal) => AsyncIterable<StreamEvent>;

export function createPipeline(deps: DescribeDeps): Pipeline {
  return (request, signal) => describe(request, deps, signal);
}

export type { DescribeDeps } from './describe.ts';
export { GenerationQueue, QueueClosedError, QueueFullError } from './queue.ts';
