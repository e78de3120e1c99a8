/**
 * The engine's lifecycle on both decoders: dispose() during a load and during
 * a generation, the fused warm-up fallback (a model whose fused graph builds
 * and loads but cannot run), and that every ONNX Runtime session a failed
 * load created is released. Sessions are counted by wrapping
 * `InferenceSession.create` / `release`, which transformers.js and the fused
 * path share (one onnxruntime-node).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureTestModel } from '../testmodels/index.ts';
import { extraInput, symbolicCacheDims, variantDir } from '../testmodels/variants.ts';
import { ModelLoadError, TransformersEngine } from './model.ts';
import { gen } from '../testmodels/generate.ts';

const SHORT = 'flowchart TD\n  A[Start] --> B[Done]\n';
const LONG_TEXT = `flowchart TD\n${Array.from({ length: 150 }, (_, i) => `  N${i}[Step ${i}] --> N${i + 1}\n`).join('')}`;
const USER = [{ role: 'user' as const, content: 'Draw the order process.' }];

/** Sessions created and released from now on (both decoders go through the same onnxruntime-node). */
function trackSessions() {
  const created: ort.InferenceSession[] = [];
  const released = new Set<ort.InferenceSession>();
  const create = ort.InferenceSession.create.bind(ort.InferenceSession) as (...a: unknown[]) => Promise<ort.InferenceSession>;
  // typed as a factory; at run time it is the class every session is an instance of
  const proto = (ort.InferenceSession as unknown as { prototype: ort.InferenceSession }).prototype;
  const release = proto.release;
  vi.spyOn(ort.InferenceSession, 'create').mockImplementation((async (...args: unknown[]) => {
    const s = await create(...args);
    created.push(s);
    return s;
  }) as typeof ort.InferenceSession.create);
  vi.spyOn(proto, 'release').mockImplementation(async function (this: ort.InferenceSession) {
    released.add(this);
    return release.call(this);
  });
  return { created, live: () => created.filter((s) => !released.has(s)).length, released: () => released.size };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'engine-life-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

for (const fused of ['on', 'off'] as const) {
  describe(`dispose() with work in flight (${fused === 'on' ? 'fused' : 'transformers'} decoder)`, () => {
    it('during a generation: the generation stops as aborted with what it has; the sessions are released after it', async () => {
      const dir = await ensureTestModel({ kind: 'tape', text: LONG_TEXT });
      const engine = new TransformersEngine({ modelPath: dir, device: 'cpu', dtype: 'fp32', fused, fusedChunk: 8 });
      await engine.load();
      const sessions = trackSessions();
      let disposing: Promise<void> | null = null;
      const out = await gen(engine, USER, {
        onToken: (_text, tokens) => {
          if (tokens >= 10) disposing ??= engine.dispose();
        },
      });
      await disposing;
      expect(out.stopReason).toBe('aborted');
      expect(out.tokens).toBeGreaterThanOrEqual(10);
      expect(out.tokens).toBeLessThan(100);
      expect(LONG_TEXT.startsWith(out.text)).toBe(true);
      expect(engine.status().state).toBe('idle');
      expect(engine.info).toBeNull();
      expect(sessions.released()).toBe(1); // the decoder's one session, released once the generation settled
    });

    it('during the load: a generation waiting for it returns aborted without running; everything loaded is released; the next call loads again', async () => {
      const dir = await ensureTestModel({ kind: 'tape', text: SHORT });
      const sessions = trackSessions();
      const engine = new TransformersEngine({ modelPath: dir, device: 'cpu', dtype: 'fp32', fused });
      const pending = gen(engine, USER);
      const disposed = engine.dispose();
      const out = await pending;
      await disposed;
      expect(out).toMatchObject({ stopReason: 'aborted', tokens: 0, text: '' });
      expect(engine.status().state).toBe('idle');
      expect(sessions.created.length).toBeGreaterThan(0);
      expect(sessions.live()).toBe(0);
      expect(await gen(engine, USER)).toMatchObject({ text: SHORT, stopReason: 'eos' });
      await engine.dispose();
      expect(sessions.live()).toBe(0);
    });
  });
}

describe('the fused warm-up fallback', () => {
  it('FUSED=auto: a fused graph that builds and loads but cannot run (symbolic cache dims) falls back to transformers.js generate; the fused session is released', async () => {
    const dir = await variantDir(await ensureTestModel({ kind: 'tape', text: SHORT }), path.join(tmp, 'symbolic'), symbolicCacheDims);
    const sessions = trackSessions();
    const engine = new TransformersEngine({ modelPath: dir, device: 'cpu', dtype: 'fp32', fused: 'auto' });
    await engine.load();
    expect(engine.info).toMatchObject({ decoder: 'transformers' });
    expect(engine.status().message).toMatch(/transformers\.js generate/);
    expect(sessions.created).toHaveLength(2); // the fused session, then transformers.js's
    expect(sessions.live()).toBe(1);
    expect(await gen(engine, USER)).toMatchObject({ text: SHORT, stopReason: 'eos' });
    await engine.dispose();
    expect(sessions.live()).toBe(0);
  });

  it('FUSED=on: the same model fails to load, saying so and what to do; nothing stays loaded', async () => {
    const dir = await variantDir(await ensureTestModel({ kind: 'tape', text: SHORT }), path.join(tmp, 'symbolic-on'), symbolicCacheDims);
    const sessions = trackSessions();
    const engine = new TransformersEngine({ modelPath: dir, device: 'cpu', dtype: 'fp32', fused: 'on' });
    const error = await engine.load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(
      /^FUSED=on, but the fused greedy loop failed its warm-up \(fused model: cache heads\/head_dim are symbolic in this export\)\. Set FUSED=auto \(or off\)/,
    );
    expect(engine.status()).toMatchObject({ state: 'error' });
    expect(sessions.live()).toBe(0);
  });

  it('FUSED=auto: when transformers.js cannot run the model either, the load fails with its error and every session it created is released', async () => {
    const dir = await variantDir(await ensureTestModel({ kind: 'tape', text: SHORT }), path.join(tmp, 'extra-input'), extraInput('token_type_ids'));
    const sessions = trackSessions();
    // no backoff: the retry below is a real second attempt
    const engine = new TransformersEngine({ modelPath: dir, device: 'cpu', dtype: 'fp32', fused: 'auto', retryBackoffMs: 0 });
    const error = await engine.load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/token_type_ids/);
    expect(sessions.created).toHaveLength(2);
    expect(sessions.live()).toBe(0);
    // a retry fails the same way and still leaks nothing
    await expect(gen(engine, USER)).rejects.toThrow(/token_type_ids/);
    expect(sessions.created).toHaveLength(4);
    expect(sessions.live()).toBe(0);
  });
});
