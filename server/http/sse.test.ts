import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { formatFrame, sseResponse } from './sse.ts';

describe('formatFrame', () => {
  it.each([
    [{ data: '{"a":1}' }, 'data: {"a":1}\n\n'],
    [{ event: 'token', data: '{"type":"token"}' }, 'event: token\ndata: {"type":"token"}\n\n'],
    [{ data: 'one\ntwo\r\nthree' }, 'data: one\ndata: two\ndata: three\n\n'],
    [{ comment: 'keep-alive' }, ': keep-alive\n\n'],
  ])('%j', (frame, text) => {
    expect(formatFrame(frame)).toBe(text);
  });
});

describe('sseResponse', () => {
  it('writes frames in call order, keeps the connection alive while silent, and ends on close()', async () => {
    const app = new Hono();
    app.get('/', (c) =>
      sseResponse(c, { heartbeatMs: 30, heartbeat: { comment: 'ping' } }, async (out) => {
        void out.send({ data: '1' });
        void out.send({ data: '2' });
        await new Promise((r) => setTimeout(r, 100));
        await out.send({ event: 'end', data: '3' });
        out.close();
      }),
    );
    const res = await app.request('/');
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const blocks = (await res.text()).split('\n\n').filter(Boolean);
    expect(blocks.slice(0, 2)).toEqual(['data: 1', 'data: 2']);
    expect(blocks.at(-1)).toBe('event: end\ndata: 3');
    expect(blocks.slice(2, -1).length).toBeGreaterThanOrEqual(1);
    expect(blocks.slice(2, -1).every((b) => b === ': ping')).toBe(true);
  });

  it('tells onLeave when the client goes away, once', async () => {
    const app = new Hono();
    let left = 0;
    app.get('/', (c) => sseResponse(c, { heartbeatMs: 1_000, heartbeat: { comment: 'ping' }, onLeave: () => left++ }, (out) => void out.send({ data: 'hi' })));
    const res = await app.request('/');
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    await new Promise((r) => setTimeout(r, 20));
    expect(left).toBe(1);
  });
});
