/**
 * The streaming generation call: POST /api/generate/stream, read the
 * server-sent events, yield each as a typed `StreamEvent`. The iterator ends
 * after `done` or `error`; a stream that closes before either throws
 * `StreamClosedError`, so a dropped connection is never mistaken for success.
 * Aborting `signal` (the Stop button) cancels the request and the iterator
 * rejects with the AbortError.
 */
import type { GenerateRequest, StreamEvent, StreamEventType } from '../../../common/protocol.ts';
import { getApiKey } from './apiKey.ts';
import { headers, toError, type CallOptions } from './http.ts';
import { readSse } from './sse.ts';

export class StreamClosedError extends Error {
  constructor() {
    super('The connection closed before the diagram was finished.');
    this.name = 'StreamClosedError';
  }
}

const TYPES: ReadonlySet<StreamEventType> = new Set([
  'queued',
  'loading',
  'started',
  'token',
  'candidate',
  'invalid',
  'repairing',
  'done',
  'error',
]);

/**
 * One SSE message → one StreamEvent, or null for messages we do not know
 * (newer servers may add types; heartbeats). The `type` comes from the JSON,
 * or from the SSE `event:` name when the JSON has none.
 */
export function decodeEvent(event: string, data: string): StreamEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const obj = value as Record<string, unknown>;
  const type = typeof obj.type === 'string' ? obj.type : event;
  if (!TYPES.has(type as StreamEventType)) return null;
  return { ...obj, type } as StreamEvent;
}

async function* readJsonLines(body: ReadableStream<Uint8Array>, signal?: AbortSignal) {
  // Same framing idea as SSE: keep the incomplete last line for the next chunk.
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let tail = '';
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      tail += decoder.decode(value, { stream: true });
      const lines = tail.split('\n');
      tail = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) yield { event: 'message', data: line };
    }
    tail += decoder.decode();
    if (tail.trim()) yield { event: 'message', data: tail };
  } finally {
    reader.cancel().catch(() => {});
  }
}

export async function* streamGenerate(req: GenerateRequest, opts: CallOptions = {}): AsyncGenerator<StreamEvent> {
  const f = opts.fetch ?? fetch;
  const res = await f(`${opts.baseUrl ?? ''}/api/generate/stream`, {
    method: 'POST',
    headers: headers(opts.apiKey === undefined ? getApiKey() : opts.apiKey, {
      'Content-Type': 'application/json',
      Accept: 'text/event-stream',
    }),
    body: JSON.stringify(req),
    signal: opts.signal,
  });
  if (!res.ok) throw await toError(res);
  if (!res.body) throw new StreamClosedError();
  const type = res.headers.get('Content-Type') ?? '';
  const messages = /json(l|-seq|lines)|ndjson/.test(type)
    ? readJsonLines(res.body, opts.signal)
    : readSse(res.body, opts.signal);
  for await (const m of messages) {
    const ev = decodeEvent(m.event, m.data);
    if (!ev) continue;
    yield ev;
    if (ev.type === 'done' || ev.type === 'error') return;
  }
  opts.signal?.throwIfAborted();
  throw new StreamClosedError();
}
