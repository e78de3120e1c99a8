import { describe, expect, it } from 'vitest';
import { readSse, SseParser, type SseMessage } from './sse.ts';

function feed(chunks: string[]): SseMessage[] {
  const p = new SseParser();
  const out = chunks.flatMap((c) => p.push(c));
  return [...out, ...p.end()];
}

function body(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(typeof ch === 'string' ? enc.encode(ch) : ch);
      c.close();
    },
  });
}

describe('SseParser', () => {
  it.each([
    ['one chunk', ['data: {"a":1}\n\n']],
    ['split inside the field name', ['da', 'ta: {"a":1}\n\n']],
    ['split inside the value', ['data: {"a', '":1}\n\n']],
    ['split between the two newlines', ['data: {"a":1}\n', '\n']],
    ['CRLF', ['data: {"a":1}\r\n\r\n']],
    ['CRLF split between CR and LF', ['data: {"a":1}\r', '\n\r', '\n']],
    ['bare CR', ['data: {"a":1}\r\r']],
    ['one character at a time', [...'data: {"a":1}\n\n']],
    ['no space after the colon', ['data:{"a":1}\n\n']],
    ['leading BOM', ['\uFEFFdata: {"a":1}\n\n']],
  ])('frames %s', (_name, chunks) => {
    expect(feed(chunks)).toEqual([{ event: 'message', data: '{"a":1}' }]);
  });

  it('joins multi-line data with newlines', () => {
    expect(feed(['data: line one\ndata: line two\ndata:\n\n'])).toEqual([{ event: 'message', data: 'line one\nline two\n' }]);
  });

  it('reads event names and ids, ignores comments and retry', () => {
    expect(feed([': keep-alive\n\nevent: token\nid: 7\nretry: 10\ndata: {}\n\n'])).toEqual([{ event: 'token', data: '{}', id: '7' }]);
  });

  it('resets the event name after each dispatch', () => {
    expect(feed(['event: a\ndata: 1\n\ndata: 2\n\n']).map((m) => m.event)).toEqual(['a', 'message']);
  });

  it('drops an event cut off by the end of the stream', () => {
    expect(feed(['data: 1\n\ndata: {"half'])).toEqual([{ event: 'message', data: '1' }]);
  });

  it('ignores blank lines without data', () => {
    expect(feed(['\n\n\nevent: x\n\n'])).toEqual([]);
  });
});

describe('readSse', () => {
  it('decodes UTF-8 characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: 결재 단계\n\n');
    const cut = 8; // inside the first Korean character (3 bytes from offset 6)
    const out: SseMessage[] = [];
    for await (const m of readSse(body([bytes.slice(0, cut), bytes.slice(cut)]))) out.push(m);
    expect(out).toEqual([{ event: 'message', data: '결재 단계' }]);
  });

  it('rejects with AbortError when aborted mid-stream', async () => {
    const ctl = new AbortController();
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('data: 1\n\n'));
        // Never closes: only the abort ends it.
      },
    });
    const seen: string[] = [];
    const run = (async () => {
      for await (const m of readSse(stream, ctl.signal)) {
        seen.push(m.data);
        ctl.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual(['1']);
  });
});
