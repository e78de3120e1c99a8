/**
 * The server stays responsive while the model works (issue 13): the engine
 * runs in a worker thread and its prefill goes in pieces. On the slowest
 * model the CPU can run here (one layer of Qwen3-4B's width, random weights,
 * q4f16, built by server/testmodels), through the real server process:
 *
 * - /api/health answers fast during a generation whose prefill alone used to
 *   block the event loop for seconds;
 * - SIGTERM during a long prefill ends the process within about one prefill
 *   piece, not after the whole prefill;
 * - a budget that runs out during the prefill stops the run there.
 *
 * Bounds are generous (the CI machine is shared and busy): they are set
 * against the old behaviour measured in the same run (the whole prefill as
 * one block), not against absolute speeds. bench/engine/responsive.ts
 * measures the same things, before and after, for BENCHMARKS.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DESCRIPTION_CHARS } from '../../common/limits.ts';
import type { DiagramResult } from '../../common/protocol.ts';
import { collectGeneration } from '../../server/engine/stream.ts';
import { WorkerEngine } from '../../server/engine/worker/client.ts';
import { ensureTestModel } from '../../server/testmodels/index.ts';
import { percentile, probeHealth, startServer, waitReady, type ServerProcess } from '../support/server-process.ts';

/** A long process description, just under the limit: about 1,600 prompt tokens, several prefill pieces. */
const LONG = 'The customer places an order, then the warehouse checks the stock and ships it. '.repeat(200).slice(0, MAX_DESCRIPTION_CHARS - 100);

const post = (url: string, path: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal });

describe('a responsive server on a one-layer Qwen3-4B-width model (CPU, worker thread, prefill in pieces)', () => {
  let modelDir: string;
  let proc: ServerProcess | null = null;
  let prefillMs = 0;

  beforeAll(async () => {
    modelDir = await ensureTestModel({ kind: 'qwen3-4b', layers: 1, dtype: 'q4f16' });
  }, 300_000);
  afterAll(() => {
    if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
  });

  it('GET /api/health answers fast during a generation whose prefill is seconds long', async () => {
    proc = await startServer({ MODEL_PATH: modelDir, SHUTDOWN_GRACE_MS: '0' });
    await waitReady(proc.url);
    const run = post(proc.url, '/api/generate', { description: LONG, maxNewTokens: 8 }).then((r) => r.json() as Promise<DiagramResult>);
    const { ms: latencies, failed } = await probeHealth(proc.url, run);
    const result = await run;
    prefillMs = result.timings.firstTokenMs ?? 0;
    const p99 = percentile(latencies, 99);
    console.log(`health during generation: ${latencies.length} probes, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; prefill ${prefillMs} ms`);
    expect(result.tokens).toBeGreaterThan(0);
    // the old engine held the event loop for the whole prefill in one session.run
    expect(prefillMs).toBeGreaterThan(1_000);
    expect(latencies.length).toBeGreaterThan(10);
    expect(failed).toBe(0);
    expect(p99).toBeLessThan(Math.min(1_000, prefillMs / 2));
  }, 300_000);

  it('SIGTERM during a long prefill: the process exits 0 within about one prefill piece', async () => {
    expect(proc).not.toBeNull();
    const p = proc!;
    const ac = new AbortController();
    const res = await post(p.url, '/api/generate/stream', { description: LONG, maxNewTokens: 8 }, ac.signal);
    // read until the run holds the model ('started'), then give the prefill a moment to be under way
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('"type":"started"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain('"type":"started"');
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    p.child.kill('SIGTERM');
    const code = await p.exited;
    const exitMs = performance.now() - t0;
    ac.abort();
    console.log(`SIGTERM during prefill: exit ${code} after ${exitMs.toFixed(0)} ms (whole prefill: ${prefillMs} ms)`);
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(Math.max(prefillMs * 0.75, 1_500));
  }, 300_000);

  it('a budget that runs out during the prefill stops the run there (budget, no tokens), through the worker', async () => {
    const engine = new WorkerEngine({ modelPath: modelDir, device: 'cpu' });
    try {
      await engine.load();
      const messages = [{ role: 'user' as const, content: LONG }];
      // A fixed 300 ms, not a share of the prefill measured earlier: the machine's load changes between
      // tests, and a prefill of over 1,000 tokens at this width takes seconds on any CPU, so 300 ms is
      // always inside it (a share of a slow earlier measurement once outlasted a faster prefill here).
      const budgetMs = 300;
      const t0 = Date.now();
      const out = await collectGeneration(engine.generate({ messages, maxNewTokens: 8, deadline: t0 + budgetMs }));
      const ms = Date.now() - t0;
      console.log(`budget ${budgetMs} ms during a ${prefillMs} ms prefill: stopped after ${ms} ms (${out.stopReason}, ${out.tokens} tokens)`);
      expect(out).toMatchObject({ stopReason: 'budget', tokens: 0, text: '' });
      expect(out.promptTokens).toBeGreaterThan(1_000);
      expect(ms).toBeLessThan(Math.max(prefillMs * 0.75, budgetMs + 1_500));
      // an abort through the worker (the shared flag) acts the same way
      const ac = new AbortController();
      setTimeout(() => ac.abort(), budgetMs);
      const cut = await collectGeneration(engine.generate({ messages, maxNewTokens: 8 }, ac.signal));
      expect(cut).toMatchObject({ stopReason: 'aborted', tokens: 0 });
    } finally {
      await engine.dispose();
    }
  }, 300_000);
});
