/**
 * The messages between the main thread (client.ts: HTTP, queue, pipeline)
 * and the engine's worker thread (thread.ts: ONNX Runtime sessions,
 * tokenizer, decoders). Plain data only: structured clone carries them.
 *
 * Aborts travel twice: as a message, and as a flag in a SharedArrayBuffer
 * the worker reads between prefill pieces and decode steps, because the
 * worker only reads messages when its model run ends.
 */
import type { ReadyStatus } from '../../../common/protocol.ts';
import type { TransformersEngineOptions } from '../model-options.ts';
import type { EngineRequest, TokenChunk } from '../types.ts';

export interface WorkerData {
  options: TransformersEngineOptions;
  /** pino level name of the main thread's logger. */
  logLevel: string;
}

export type ToWorker =
  | { type: 'load'; id: number }
  | { type: 'status'; id: number }
  | { type: 'generate'; id: number; request: EngineRequest; abortFlag: SharedArrayBuffer }
  | { type: 'abort'; id: number }
  | { type: 'dispose'; id: number };

export type FromWorker =
  | { type: 'status'; status: Omit<ReadyStatus, 'queueDepth'>; id?: number }
  | { type: 'loaded'; id: number; error?: WireError }
  | { type: 'chunk'; id: number; chunk: TokenChunk }
  | { type: 'failed'; id: number; error: WireError }
  | { type: 'disposed'; id: number }
  /** One pino JSON line from the worker's logger. */
  | { type: 'log'; line: string };

export interface WireError {
  name: string;
  message: string;
  code?: string;
}

export function toWire(error: unknown): WireError {
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as { code?: unknown }).code;
  return { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) };
}

/** An Error again on the main thread, with the worker's name and code (ModelLoadError → code model_load_failed). */
export function fromWire(w: WireError): Error {
  const e = new Error(w.message) as Error & { code?: string };
  e.name = w.name;
  if (w.code) e.code = w.code;
  return e;
}
