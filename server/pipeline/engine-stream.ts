/**
 * The engine as the pipeline reads it: one generation as an async iterable of
 * token chunks, ending with exactly one `end` chunk (`Engine.generate(request,
 * signal)`, server/engine/types.ts). A reader that stops reading (return())
 * stops the generation, and the iterator finishes only once the model has let
 * go (so the queue slot never frees under a running model).
 */
import type { Engine, EngineRequest, TokenChunk } from '../engine/types.ts';

export type { TokenChunk } from '../engine/types.ts';

export interface GenerationRequest extends EngineRequest {
  maxNewTokens: number;
  /** Date.now() ms after which generation stops: the budget. */
  deadline: number;
}

export function tokenStream(engine: Engine, request: GenerationRequest, signal: AbortSignal): AsyncIterable<TokenChunk> {
  return engine.generate(request, signal);
}
