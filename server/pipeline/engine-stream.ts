/**
 * The engine as the pipeline reads it: one generation as an async iterable of
 * token chunks, ending with exactly one `end` chunk (the shape agreed with
 * the engine for `Engine.generate(request, signal)`, coordination board).
 *
 * TEMPORARY bridge: today's Engine still reports tokens through a callback
 * and resolves one promise; this adapts it here, in one place, until the
 * engine's own iterable lands, when `tokenStream` becomes
 * `engine.generate(request, signal)`.
 */
import type { StopReason } from '../../common/protocol.ts';
import type { ChatMessage, Engine } from '../engine/types.ts';

export interface GenerationRequest {
  messages: ChatMessage[];
  maxNewTokens: number;
  /** Date.now() ms after which generation stops: the budget. */
  deadline: number;
}

export type TokenChunk =
  | { type: 'text'; text: string; tokens: number }
  | { type: 'end'; text: string; tokens: number; promptTokens: number; stopReason: StopReason; firstTokenMs: number | null; generationMs: number };

export async function* tokenStream(engine: Engine, request: GenerationRequest, signal: AbortSignal): AsyncGenerator<TokenChunk> {
  // Pieces that arrived while the reader was busy are merged: a slow reader sees fewer, bigger chunks.
  // A holder: TypeScript does not see the callbacks' writes to plain locals.
  const s: {
    pending: { text: string; tokens: number } | null;
    settled: { ok: true; chunk: TokenChunk } | { ok: false; error: unknown } | null;
    wake: (() => void) | null;
  } = { pending: null, settled: null, wake: null };
  const notify = () => {
    const w = s.wake;
    s.wake = null;
    w?.();
  };
  // A reader that stops reading (return()) stops the generation too, and waits until it has.
  const stop = new AbortController();
  const finished = engine
    .generate(request.messages, {
      maxNewTokens: request.maxNewTokens,
      deadline: request.deadline,
      signal: AbortSignal.any([signal, stop.signal]),
      onToken: (text, tokens) => {
        s.pending = s.pending ? { text: s.pending.text + text, tokens } : { text, tokens };
        notify();
      },
    })
    .then(
      (out) => (s.settled = { ok: true, chunk: { type: 'end', ...out } }),
      (error: unknown) => (s.settled = { ok: false, error }),
    )
    .finally(notify);
  try {
    yield* read();
  } finally {
    stop.abort(new DOMException('The reader stopped', 'AbortError'));
    await finished;
  }

  async function* read(): AsyncGenerator<TokenChunk> {
    for (;;) {
      if (s.pending) {
        const { text, tokens } = s.pending;
        s.pending = null;
        yield { type: 'text', text, tokens };
        continue;
      }
      if (s.settled) {
        if (!s.settled.ok) throw s.settled.error;
        yield s.settled.chunk;
        return;
      }
      await new Promise<void>((resolve) => (s.wake = resolve));
    }
  }
}
