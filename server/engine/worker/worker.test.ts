/**
 * WorkerEngine: the real engine in its worker thread, on a tape model (CPU):
 * the same text and stop reasons as in-thread, status mirrored on this
 * thread, a load error carried back with its name and code, a reader that
 * leaves early stops the run and waits for it, dispose ends the thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadyStatus } from '../../../common/protocol.ts';
import { gen } from '../../testmodels/generate.ts';
import { ensureTestModel } from '../../testmodels/index.ts';
import { WorkerEngine } from './client.ts';

const TEXT = 'flowchart TD\n  A[Start] --> B{Valid?}\n  B -->|yes| C[Save 한국어 ✓]\n';
const LONG = 'flowchart TD\n' + Array.from({ length: 300 }, (_, i) => `  N${i}[Step ${i}] --> N${i + 1}\n`).join('');
const USER = [{ role: 'user' as const, content: 'Draw the order process.' }];

describe('WorkerEngine (the engine in a worker thread, tape model, CPU)', () => {
  let engine: WorkerEngine;
  const states: ReadyStatus['state'][] = [];
  beforeAll(async () => {
    engine = new WorkerEngine({ modelPath: await ensureTestModel({ kind: 'tape', text: TEXT }), device: 'cpu' });
    engine.onStatus((s) => states.push(s.state));
    expect(engine.status().state).toBe('idle');
    await engine.load();
  }, 120_000);
  afterAll(async () => {
    await engine?.dispose();
  });

  it('mirrors the load status on this thread and streams the tape back in pieces', async () => {
    expect(states[0]).toBe('loading');
    expect(states.at(-1)).toBe('ready');
    expect(engine.status()).toMatchObject({ state: 'ready', device: 'cpu' });
    const pieces: string[] = [];
    const out = await gen(engine, USER, { onToken: (t) => pieces.push(t) });
    expect(out).toMatchObject({ text: TEXT, stopReason: 'eos' });
    expect(pieces.join('')).toBe(TEXT);
    expect((await gen(engine, USER, { maxNewTokens: 3 })).stopReason).toBe('max_tokens');
    expect(await gen(engine, USER, { deadline: Date.now() - 1 })).toMatchObject({ stopReason: 'budget', tokens: 0 });
    expect(await gen(engine, USER, { signal: AbortSignal.abort() })).toMatchObject({ stopReason: 'aborted', tokens: 0 });
  });

  it('a reader that leaves early stops the run, and its iterator ends only after the worker let go', async () => {
    const long = new WorkerEngine({ modelPath: await ensureTestModel({ kind: 'tape', text: LONG }), device: 'cpu', fusedChunk: 4 });
    try {
      await long.load();
      let seen = 0;
      for await (const chunk of long.generate({ messages: USER })) {
        if (chunk.type === 'text' && ++seen === 2) break;
      }
      // the run ended in the worker before the loop above finished: the next run starts on a free engine
      const out = await gen(long, USER, { maxNewTokens: 5 });
      expect(out.stopReason).toBe('max_tokens');
    } finally {
      await long.dispose();
    }
  }, 120_000);

  it('a load error comes back with its message and code, and the status says error', async () => {
    const bad = new WorkerEngine({ modelPath: '/nonexistent/model-dir', device: 'cpu' });
    try {
      const error = (await bad.load().catch((e: unknown) => e)) as Error & { code?: string };
      expect(error.message).toMatch(/MODEL_PATH=model-dir does not exist/); // the folder name, never the absolute path
      expect(error).toMatchObject({ name: 'ModelLoadError', code: 'model_load_failed' });
      expect(bad.status()).toMatchObject({ state: 'error', model: 'model-dir' });
      expect(bad.status().error).toMatch(/MODEL_PATH=model-dir does not exist/);
      expect(bad.status().retryAt).toBeDefined();
    } finally {
      await bad.dispose();
    }
    expect(bad.status().state).toBe('idle');
  });
});
