/**
 * Server-sent events framing, per the WHATWG spec: lines end in LF, CRLF or
 * CR; `data:` lines of one event are joined with "\n"; a blank line
 * dispatches; `:` lines are comments. Chunks may split anywhere (inside a
 * line, between CR and LF, inside a UTF-8 character), so the parser keeps
 * the incomplete tail until the next chunk. An event not closed by a blank
 * line when the stream ends is dropped, as the spec says: it was cut short.
 */

export interface SseMessage {
  /** The `event:` field, or "message" when absent. */
  event: string;
  data: string;
  id?: string;
}

export class SseParser {
  private tail = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private first = true;

  /** Feeds decoded text; returns the events it completed. */
  push(chunk: string): SseMessage[] {
    let text = this.tail + chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const lf = text.indexOf('\n', start);
      const cr = text.indexOf('\r', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      let next = end + 1;
      if (text[end] === '\r') {
        // A CR at the very end may be the first half of a CRLF: wait for more.
        if (end + 1 === text.length) break;
        if (text[end + 1] === '\n') next = end + 2;
      }
      this.line(text.slice(start, end), out);
      start = next;
    }
    this.tail = text.slice(start);
    return out;
  }

  /** End of stream: a lone trailing CR still ends its line; an unfinished event is dropped. */
  end(): SseMessage[] {
    const out: SseMessage[] = [];
    if (this.tail.endsWith('\r')) this.line(this.tail.slice(0, -1), out);
    this.tail = '';
    this.data = [];
    this.event = '';
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.data.length > 0) {
        const message: SseMessage = { event: this.event || 'message', data: this.data.join('\n') };
        if (this.id !== undefined) message.id = this.id;
        out.push(message);
      }
      this.data = [];
      this.event = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    // `retry` and unknown fields are ignored: we never reconnect a generation.
  }
}

/**
 * Reads a response body as SSE messages. Stops (without throwing) when the
 * body ends; rejects with the fetch's AbortError when `signal` aborts.
 */
export async function* readSse(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const onAbort = () => void reader.cancel().catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    yield* parser.push(decoder.decode());
    yield* parser.end();
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Stops the download when the consumer leaves early (Stop, done, error).
    reader.cancel().catch(() => {});
  }
}
