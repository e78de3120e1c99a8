import { describe, expect, it } from 'vitest';
import { DEMO_OUTPUT, ScriptedEngine, splitTokens } from './scripted.ts';
import { GenerationQueue } from '../pipeline/queue.ts';
import { gen } from '../testmodels/generate.ts';

const USER = [{ role: 'user' as const, content: 'draw a login flow' }];

describe('splitTokens', () => {
  it.each(['', 'a', 'flowchart TD\n  A --> B\n', '  leading', 'trailing  ', '한국어 ✓ x'])('joins back to %j', (text) => {
    expect(splitTokens(text).join('')).toBe(text);
  });
});

describe('ScriptedEngine', () => {
  it('starts idle, loads through loading/warming to ready', async () => {
    const e = new ScriptedEngine();
    expect(e.status().state).toBe('idle');
    const states: string[] = [];
    e.onStatus((s) => states.push(s.state));
    await e.load();
    expect(states[0]).toBe('loading');
    expect(states).toContain('warming');
    expect(states.at(-1)).toBe('ready');
    expect(e.status()).toMatchObject({ state: 'ready', progress: 100, device: 'cpu' });
  });

  it('concurrent loads share one attempt', async () => {
    const e = new ScriptedEngine({ loadDelayMs: 20 });
    const seen: string[] = [];
    e.onStatus((s) => seen.push(s.state));
    await Promise.all([e.load(), e.load(), e.load()]);
    expect(seen.filter((s) => s === 'warming')).toHaveLength(1);
  });

  it('a failed load says why and the next call retries', async () => {
    const e = new ScriptedEngine({ failLoads: 1, loadErrorMessage: 'no model here' });
    await expect(e.load()).rejects.toThrow('no model here');
    expect(e.status()).toMatchObject({ state: 'error', error: 'no model here' });
    await e.load();
    expect(e.status().state).toBe('ready');
    expect(e.status().error).toBeUndefined();
  });

  it('generate() loads on demand and streams the text in order, ending with EOS', async () => {
    const e = new ScriptedEngine({ outputs: ['flowchart TD\n  A --> B\n'] });
    const pieces: [string, number][] = [];
    const out = await gen(e, USER, { onToken: (t, n) => pieces.push([t, n]) });
    expect(out.text).toBe('flowchart TD\n  A --> B\n');
    expect(pieces.map((p) => p[0]).join('')).toBe(out.text);
    expect(pieces.map((p) => p[1])).toEqual(pieces.map((_, i) => i + 1));
    expect(out.stopReason).toBe('eos');
    expect(out.tokens).toBe(splitTokens(out.text).length + 1);
    expect(out.promptTokens).toBeGreaterThan(0);
    expect(out.firstTokenMs).not.toBeNull();
    expect(e.received).toEqual([USER]);
  });

  it('uses the demo flowchart by default and cycles outputs', async () => {
    expect((await gen(new ScriptedEngine(), USER)).text).toBe(DEMO_OUTPUT);
    const e = new ScriptedEngine({ outputs: ['one', 'two'] });
    const texts = [];
    for (let i = 0; i < 3; i++) texts.push((await gen(e, USER)).text);
    expect(texts).toEqual(['one', 'two', 'one']);
  });

  it('takes a function of the messages', async () => {
    const e = new ScriptedEngine({ outputs: (m, call) => `${call}:${m[0]!.content}` });
    expect((await gen(e, USER)).text).toBe('0:draw a login flow');
  });

  it.each([
    [1, 'a', 'max_tokens'],
    [2, 'a b', 'max_tokens'],
    [3, 'a b c', 'max_tokens'],
    [4, 'a b c', 'eos'],
    [100, 'a b c', 'eos'],
  ])('maxNewTokens=%i → %j (%s)', async (max, text, reason) => {
    const e = new ScriptedEngine({ outputs: ['a b c'] });
    const out = await gen(e, USER, { maxNewTokens: max });
    expect(out.text).toBe(text);
    expect(out.stopReason).toBe(reason);
    expect(out.tokens).toBe(Math.min(max, 4));
  });

  it('a deadline cuts a long output and marks it budget', async () => {
    const e = new ScriptedEngine({ outputs: ['word '.repeat(1000)], tokenDelayMs: 2 });
    await e.load();
    const t0 = Date.now();
    const out = await gen(e, USER, { deadline: Date.now() + 60 });
    expect(out.stopReason).toBe('budget');
    expect(out.tokens).toBeGreaterThan(0);
    expect(out.tokens).toBeLessThan(1000);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect('word '.repeat(1000).startsWith(out.text)).toBe(true);
  });

  it('a deadline already past returns at once with nothing', async () => {
    const e = new ScriptedEngine();
    const out = await gen(e, USER, { deadline: Date.now() - 1 });
    expect(out).toMatchObject({ text: '', tokens: 0, stopReason: 'budget', firstTokenMs: null });
  });

  it('an abort stops generation at the next token and marks it aborted', async () => {
    const e = new ScriptedEngine({ outputs: ['word '.repeat(1000)], tokenDelayMs: 1 });
    const controller = new AbortController();
    let count = 0;
    const out = await gen(e, USER, {
      signal: controller.signal,
      onToken: () => {
        if (++count === 5) controller.abort();
      },
    });
    expect(out.stopReason).toBe('aborted');
    expect(out.tokens).toBe(5);
  });

  it('an already-aborted signal returns at once', async () => {
    const out = await gen(new ScriptedEngine(), USER, { signal: AbortSignal.abort() });
    expect(out).toMatchObject({ tokens: 0, stopReason: 'aborted' });
  });

  it('reports queue depth from the given source', async () => {
    const q = new GenerationQueue();
    const e = new ScriptedEngine({ queueDepth: () => q.depth });
    expect(e.status().queueDepth).toBe(0);
  });

  it('drives the queue end to end: order, positions, abort of the waiting job', async () => {
    const e = new ScriptedEngine({ outputs: (_m, call) => `job ${call} `.repeat(5), tokenDelayMs: 2 });
    const q = new GenerationQueue({ maxWaiting: 2 });
    const positions: number[] = [];
    const controller = new AbortController();
    const a = q.run(({ signal }) => gen(e, USER, { signal }));
    const b = q.run(({ signal }) => gen(e, USER, { signal }), { signal: controller.signal });
    const c = q.run(({ signal }) => gen(e, USER, { signal }), { onPosition: (p) => positions.push(p) });
    await expect(q.run(({ signal }) => gen(e, USER, { signal }))).rejects.toMatchObject({ code: 'queue_full' });
    controller.abort();
    await expect(b).rejects.toMatchObject({ name: 'AbortError' });
    const [ra, rc] = await Promise.all([a, c]);
    expect(ra.text).toContain('job 0');
    expect(rc.text).toContain('job 1');
    expect(positions).toEqual([2, 1]);
  });
});
