import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../common/protocol.ts';
import { ApiKeyRequiredError, ApiRequestError } from './http.ts';
import { diagramResult } from '../testing/result.ts';
import { decodeEvent, StreamClosedError, streamGenerate } from './stream.ts';

/** A fetch that answers with the given chunks, one per microtask, optionally never closing. */
function fakeFetch(chunks: string[], init: { status?: number; headers?: Record<string, string>; open?: boolean } = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const f = async (url: string | URL | Request, reqInit: RequestInit = {}) => {
    calls.push({ url: String(url), init: reqInit });
    const enc = new TextEncoder();
    const signal = reqInit.signal;
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        for (const ch of chunks) {
          await Promise.resolve();
          c.enqueue(enc.encode(ch));
        }
        if (!init.open) c.close();
        signal?.addEventListener('abort', () => c.error(signal.reason));
      },
    });
    return new Response(init.status && init.status >= 400 ? chunks.join('') : body, {
      status: init.status ?? 200,
      headers: init.headers ?? { 'Content-Type': 'text/event-stream' },
    });
  };
  return { fetch: f as typeof fetch, calls };
}

async function collect(it: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

const done: StreamEvent = { type: 'done', result: diagramResult({ diagramType: 'flowchart-v2' }) };

const sse = (e: StreamEvent) => `data: ${JSON.stringify(e)}\n\n`;

describe('streamGenerate', () => {
  it('posts the request with the key header and yields events split across chunks', async () => {
    const frames = [
      sse({ type: 'queued', position: 1, queueLength: 1 }),
      sse({ type: 'started', budgetMs: 60000 }),
      sse({ type: 'token', text: 'flowchart TD\n', tokens: 3 }),
      sse({ type: 'candidate', code: 'flowchart TD\n  A --> B', valid: true }),
      sse(done),
    ].join('');
    // Cut the wire at awkward places: every 7 characters.
    const chunks = frames.match(/[\s\S]{1,7}/g) ?? [];
    const { fetch, calls } = fakeFetch(chunks);
    const events = await collect(streamGenerate({ description: 'x' }, { fetch, apiKey: 'k1' }));
    expect(events.map((e) => e.type)).toEqual(['queued', 'started', 'token', 'candidate', 'done']);
    expect(events[2]).toEqual({ type: 'token', text: 'flowchart TD\n', tokens: 3 });
    expect(calls[0]!.url).toBe('/api/generate/stream');
    expect((calls[0]!.init.headers as Record<string, string>)['X-API-Key']).toBe('k1');
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({ description: 'x' });
  });

  it('takes the type from the SSE event name when the JSON has none, and skips unknown events', async () => {
    const { fetch } = fakeFetch([
      'event: queued\ndata: {"position":2,"queueLength":3}\n\n',
      'event: heartbeat\ndata: {}\n\n',
      'data: not json\n\n',
      sse(done),
    ]);
    const events = await collect(streamGenerate({ description: 'x' }, { fetch, apiKey: null }));
    expect(events).toEqual([{ type: 'queued', position: 2, queueLength: 3 }, done]);
  });

  it('reads multi-line data as one JSON document', async () => {
    const { fetch } = fakeFetch(['data: {"type":"token",\ndata: "text":"a","tokens":1}\n\n', sse(done)]);
    const events = await collect(streamGenerate({ description: 'x' }, { fetch, apiKey: null }));
    expect(events[0]).toEqual({ type: 'token', text: 'a', tokens: 1 });
  });

  it('ends after an error event', async () => {
    const error: StreamEvent = { type: 'error', error: { code: 'timeout', message: 'Out of time.' } };
    const { fetch } = fakeFetch([sse(error), sse(done)]);
    expect(await collect(streamGenerate({ description: 'x' }, { fetch, apiKey: null }))).toEqual([error]);
  });

  it('throws StreamClosedError when the stream ends before done', async () => {
    const { fetch } = fakeFetch([sse({ type: 'token', text: 'a', tokens: 1 }), 'data: {"type":"do']);
    const it = streamGenerate({ description: 'x' }, { fetch, apiKey: null });
    await expect(collect(it)).rejects.toBeInstanceOf(StreamClosedError);
  });

  it('stops with AbortError when aborted, and cancels the body', async () => {
    const { fetch } = fakeFetch([sse({ type: 'token', text: 'a', tokens: 1 })], { open: true });
    const ctl = new AbortController();
    const seen: string[] = [];
    const run = (async () => {
      for await (const e of streamGenerate({ description: 'x' }, { fetch, apiKey: null, signal: ctl.signal })) {
        seen.push(e.type);
        ctl.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual(['token']);
  });

  it('turns 401 into ApiKeyRequiredError and other statuses into ApiRequestError', async () => {
    await expect(
      collect(streamGenerate({ description: 'x' }, { fetch: fakeFetch(['{}'], { status: 401 }).fetch, apiKey: null })),
    ).rejects.toBeInstanceOf(ApiKeyRequiredError);
    const body = JSON.stringify({ code: 'queue_full', message: 'Busy, try again.', retryAfterSeconds: 5 });
    const err = await collect(
      streamGenerate({ description: 'x' }, { fetch: fakeFetch([body], { status: 503, headers: { 'Content-Type': 'application/json' } }).fetch, apiKey: null }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect((err as ApiRequestError).apiError).toEqual({ code: 'queue_full', message: 'Busy, try again.', retryAfterSeconds: 5 });
  });

  it('also reads JSON lines when the server sends them', async () => {
    const lines = [JSON.stringify({ type: 'token', text: 'a', tokens: 1 }), JSON.stringify(done)].join('\n');
    const { fetch } = fakeFetch([lines.slice(0, 10), lines.slice(10)], { headers: { 'Content-Type': 'application/jsonl' } });
    expect((await collect(streamGenerate({ description: 'x' }, { fetch, apiKey: null }))).map((e) => e.type)).toEqual(['token', 'done']);
  });
});

describe('decodeEvent', () => {
  it.each([
    ['[]', null],
    ['"x"', null],
    ['{"type":"nope"}', null],
    ['{', null],
  ])('rejects %s', (data, expected) => {
    expect(decodeEvent('message', data)).toBe(expected);
  });
});
