/**
 * Over a real socket (127.0.0.1): a client that aborts its fetch mid-stream
 * cancels its run and the next request starts at once; the JSON route too.
 */
import { afterEach, expect, it } from 'vitest';
import { GOOD, listen, makeApp, readFrames, waitFor, type Listening, type TestApp } from './helpers.ts';

let t: TestApp | null = null;
let srv: Listening | null = null;
afterEach(async () => {
  await t?.shutdown();
  await srv?.close();
});

const post = (url: string, path: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal });

it('aborting the fetch mid-stream frees the queue; a waiting request then starts', async () => {
  t = await makeApp({ engine: { outputs: [GOOD.repeat(50)], tokenDelayMs: 10 } });
  srv = await listen(t.app);
  const ac = new AbortController();
  const res = await post(srv.url, '/api/generate/stream', { description: 'long' }, ac.signal);
  const frames = readFrames(res);
  for (let tokens = 0; tokens < 3; ) if ((await frames.next()).value?.event === 'token') tokens++;
  // A second client waits behind it.
  const waiting = post(srv.url, '/api/generate/stream', { description: 'next' });
  await waitFor(() => t!.queue.waiting === 1, 2_000, 'second request to queue');
  ac.abort();
  await frames.return(undefined).catch(() => undefined);
  const t0 = Date.now();
  await waitFor(() => t!.queue.waiting === 0 && t!.engine.received.length === 2, 2_000, 'the waiting request to start');
  expect(Date.now() - t0).toBeLessThan(1_000);
  (await waiting).body?.cancel();
  await waitFor(() => t!.queue.running === 0 && t!.runs.active === 0, 2_000, 'queue to empty');
});

it('closing the connection of a JSON /api/generate cancels it too', async () => {
  t = await makeApp({ engine: { outputs: [GOOD.repeat(50)], tokenDelayMs: 10 } });
  srv = await listen(t.app);
  const ac = new AbortController();
  const pending = post(srv.url, '/api/generate', { description: 'long' }, ac.signal).catch((e: Error) => e);
  await waitFor(() => t!.queue.running === 1, 2_000, 'run to start');
  ac.abort();
  expect(await pending).toBeInstanceOf(Error);
  await waitFor(() => t!.queue.running === 0 && t!.runs.active === 0, 2_000, 'queue to free');
  const m = await (await fetch(`${srv.url}/metrics`)).text();
  expect(m).toMatch(/generations_total\{outcome="aborted",transport="json"\} 1/);
});
