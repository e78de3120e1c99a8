/**
 * The engine's one stream: display-safe text from token ids, linear in the
 * output, and the push → AsyncIterable bridge the decoders and the worker use.
 *
 * IncrementalText follows the "prefix offset / read offset" method of Hugging
 * Face's text-generation-inference: each push decodes only the ids since the
 * last flushed piece (plus the piece before, as context for tokenizers whose
 * decode depends on the neighbour), so the work per token is bounded and the
 * whole output costs O(n) decodes of a few ids, not the O(n²) of decoding
 * everything at each chunk. A token that ends inside a multi-byte character
 * decodes to U+FFFD until its continuation arrives: that text is held back.
 *
 *   const t = new IncrementalText((ids) => tokenizer.decode(ids, { skip_special_tokens: true }));
 *   for (const chunk of chunks) { const piece = t.push(chunk); if (piece) show(piece); }
 *   show(t.finish());
 */
import type { GenerationOutput, TokenChunk } from './types.ts';

export class IncrementalText {
  private readonly ids: number[] = [];
  private prefix = 0; // start of the context window
  private read = 0; // ids before this have been handed out as text
  /** Ids decoded so far, all calls together (tests check it stays linear). */
  decodedIds = 0;

  constructor(private readonly decodeIds: (ids: number[]) => string) {}

  private decode(from: number, to: number): string {
    if (to <= from) return '';
    this.decodedIds += to - from;
    return this.decodeIds(this.ids.slice(from, to));
  }

  get tokens(): number {
    return this.ids.length;
  }

  /** Adds ids; returns the new display-safe text ('' when it must wait for more ids). */
  push(ids: readonly number[]): string {
    for (const id of ids) this.ids.push(id);
    const before = this.decode(this.prefix, this.read);
    const now = this.decode(this.prefix, this.ids.length);
    if (now.length <= before.length || now.endsWith('\uFFFD')) return '';
    let piece = now.slice(before.length);
    // never end on half a surrogate pair
    if (/[\uD800-\uDBFF]$/.test(piece)) return '';
    this.prefix = this.read;
    this.read = this.ids.length;
    return piece;
  }

  /** The text still held back (an unfinished character shows as U+FFFD). */
  finish(): string {
    const before = this.decode(this.prefix, this.read);
    const now = this.decode(this.prefix, this.ids.length);
    this.prefix = this.read = this.ids.length;
    return now.slice(before.length);
  }
}

/**
 * A push-fed AsyncIterable of one consumer: the producer calls `push`, then
 * `close()` or `fail(error)`; the consumer's `for await` gets the items in
 * order. Leaving the loop early calls `onReturn` (the producer's abort), then
 * waits for `settled()` (the producer has really stopped: a queue slot must
 * not free while the model still runs).
 */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | null = null;
  private closed = false;
  private error: { e: unknown } | null = null;

  constructor(
    private readonly onReturn?: () => void,
    private readonly settled?: () => Promise<unknown>,
  ) {}

  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  fail(error: unknown): void {
    if (this.closed) return;
    this.error = { e: error };
    this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let finished = false;
    try {
      while (true) {
        if (this.items.length) {
          yield this.items.shift()!;
          continue;
        }
        if (this.closed) {
          if (this.error) throw this.error.e;
          finished = true;
          return;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
      }
    } finally {
      if (!finished && !this.error) {
        this.onReturn?.();
        await this.settled?.().catch(() => {});
      }
    }
  }
}

/** Drains a generation: `onText` per piece, the `end` chunk as the result. */
export async function collectGeneration(
  stream: AsyncIterable<TokenChunk>,
  onText?: (text: string, tokens: number) => void,
): Promise<GenerationOutput> {
  for await (const chunk of stream) {
    if (chunk.type === 'text') onText?.(chunk.text, chunk.tokens);
    else {
      const { type: _type, ...output } = chunk;
      return output;
    }
  }
  throw new Error('engine: the generation ended without its end chunk');
}
