/**
 * Gradio jobs hold the model only for clients that read them (issue 13,
 * item 6): a `queue/join` (or curl `call`) whose reader does not attach
 * within `streamAttachMs` is cancelled and frees the queue; a session's
 * stream has one reader, so a second `queue/data` cannot take it over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GOOD, makeApp, readFrames, waitFor, type TestApp } from './helpers.ts';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.shutdown();
  t = null;
});

/** Long enough (≈ 400 tokens × 10 ms) to still run when the reader deadline passes. */
const LONG = { outputs: [GOOD.repeat(40)], tokenDelayMs: 10 };

const join = (app: TestApp, session: string) =>
  app.post('/gradio_api/queue/join', { data: ['Order, then ship.'], fn_index: 0, session_hash: session }).then((r) => r.json() as Promise<{ event_id: string }>);

const metric = async (app: TestApp, pattern: RegExp) => pattern.test(await (await app.app.request('/metrics')).text());

describe('Gradio reader deadline and one reader per stream', () => {
  it('a join whose client never opens queue/data is cancelled after streamAttachMs and frees the queue', async () => {
    t = await makeApp({ engine: LONG, config: { streamAttachMs: 150 } });
    const t0 = Date.now();
    await join(t, 'never-reads');
    await waitFor(() => t!.queue.depth === 1, 2_000, 'the run to start');
    await waitFor(() => t!.queue.depth === 0 && t!.runs.active === 0, 3_000, 'the orphaned run to be cancelled');
    expect(Date.now() - t0).toBeLessThan(3_000); // not the whole run, let alone the 60 s budget
    expect(await metric(t, /generations_total\{outcome="aborted",transport="gradio"\} 1/)).toBe(true);
    // A later reader learns what happened instead of hanging.
    const res = await t.app.request('/gradio_api/queue/data?session_hash=never-reads');
    const text = await res.text();
    expect(text).toContain('"msg":"process_completed"');
    expect(text).toContain('"success":false');
  });

  it('a curl call nobody reads is cancelled the same way', async () => {
    t = await makeApp({ engine: LONG, config: { streamAttachMs: 150 } });
    await t.post('/gradio_api/call/generate', { data: ['Order, then ship.'] });
    await waitFor(() => t!.queue.depth === 1, 2_000, 'the run to start');
    await waitFor(() => t!.queue.depth === 0 && t!.runs.active === 0, 3_000, 'the unread call to be cancelled');
    expect(await metric(t, /generations_total\{outcome="aborted",transport="gradio_call"\} 1/)).toBe(true);
  });

  it('a reader that attaches in time keeps its run', async () => {
    t = await makeApp({ engine: { outputs: [GOOD], tokenDelayMs: 5 }, config: { streamAttachMs: 150 } });
    const { event_id } = await join(t, 'reads');
    const text = await (await t.app.request('/gradio_api/queue/data?session_hash=reads')).text();
    expect(text).toContain(`"msg":"process_completed","event_id":"${event_id}","success":true`);
  });

  it('a second queue/data for the same session is refused; the first reader keeps the stream', async () => {
    t = await makeApp({ engine: { outputs: [GOOD.repeat(5)], tokenDelayMs: 5 } });
    const { event_id } = await join(t, 'one-reader');
    const first = await t.app.request('/gradio_api/queue/data?session_hash=one-reader');
    const frames = readFrames(first);
    const firstFrame = await frames.next(); // the first reader is attached and reading
    expect(firstFrame.done).toBe(false);

    const second = await (await t.app.request('/gradio_api/queue/data?session_hash=one-reader')).text();
    const [msg] = second.split('\n\n').filter(Boolean).map((b) => JSON.parse(b.slice(6)) as { msg: string; message: string; session_not_found?: boolean });
    expect(msg).toMatchObject({ msg: 'unexpected_error', success: false });
    expect(msg!.message).toMatch(/already has an open stream/);
    expect(msg!.session_not_found).toBeUndefined();

    const rest: string[] = [];
    for await (const f of frames) rest.push(f.data);
    expect(rest.some((d) => d.includes(`"msg":"process_completed","event_id":"${event_id}","success":true`))).toBe(true);
    expect(JSON.parse(rest.at(-1)!)).toEqual({ msg: 'close_stream', event_id: null });
  });

  it('cancel and reset bodies are bounded too (413 in Gradio\'s form)', async () => {
    t = await makeApp({ config: { maxBodyBytes: 1_000 } });
    for (const path of ['/gradio_api/cancel', '/gradio_api/reset']) {
      const res = await t.post(path, { event_id: 'x'.repeat(5_000) });
      expect(res.status, path).toBe(413);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/too large/);
    }
  });
});
