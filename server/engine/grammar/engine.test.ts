/**
 * CONSTRAINED end to end on the tiny random Qwen3: the engine loads the grammar
 * tables into the fused loop, prefills the header, and the pipeline's result is
 * valid as the model wrote it (no repair, no retry) and says `constrained`;
 * the transformers.js fallback with the host-side mask writes the same text.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagramResult, StreamEvent } from '../../../common/protocol.ts';
import { closeValidator, validate } from '../../mermaid/validate.ts';
import { normalizeRequest } from '../../../common/request.ts';
import { createPipeline, GenerationQueue } from '../../pipeline/index.ts';
import { ensureTestModel } from '../../testmodels/index.ts';
import { TransformersEngine } from '../model.ts';
import { collectGeneration } from '../stream.ts';
import { sampleDescriptions } from './sample.ts';
import { flowchartConstraint } from './types.ts';

let cacheDir: string;
let engine: TransformersEngine;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'grammar-engine-'));
  const dir = await ensureTestModel({ kind: 'tiny' });
  engine = new TransformersEngine({ modelPath: dir, device: 'cpu', dtype: 'fp32', fused: 'on', constrained: 'on', cacheDir });
  await engine.load();
}, 300_000);
afterAll(async () => {
  await engine?.dispose();
  await closeValidator();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('CONSTRAINED=on through the engine and the pipeline (tiny random Qwen3, fused)', () => {
  it('prefills the header, streams text that adds up to the answer, and says constrained', async () => {
    let streamed = '';
    const out = await collectGeneration(
      engine.generate({ messages: [{ role: 'user', content: 'A customer orders a book.' }], maxNewTokens: 30, constraint: flowchartConstraint('LR') }),
      (text) => (streamed += text),
    );
    expect(out.constrained).toBe(true);
    expect(out.text.startsWith('flowchart LR\n')).toBe(true);
    expect(streamed).toBe(out.text);
    expect((await validate(out.text)).ok).toBe(true);
    // the same engine, no constraint: the FREE state, no prefill
    const free = await collectGeneration(engine.generate({ messages: [{ role: 'user', content: 'A customer orders a book.' }], maxNewTokens: 5 }));
    expect(free.constrained).toBeFalsy();
  }, 120_000);

  it('gives valid results with no repair and no retry, cut at 10 and 50 tokens (6 runs)', async () => {
    const results: DiagramResult[] = [];
    const pipeline = createPipeline({ engine, queue: new GenerationQueue(), budgetMs: 600_000, constrain: true });
    for (const [i, description] of sampleDescriptions(6).entries()) {
      let done: DiagramResult | null = null;
      const events: StreamEvent[] = [];
      const checked = normalizeRequest({ description, direction: i % 2 ? 'LR' : 'TD', maxNewTokens: [10, 50][i % 2]! }, { maxNewTokens: 4000 });
      if (!checked.ok) throw new Error(checked.error.message);
      for await (const event of pipeline(checked.request, new AbortController().signal)) {
        events.push(event);
        if (event.type === 'done') done = event.result;
      }
      expect(done, JSON.stringify(events.at(-1))).not.toBeNull();
      results.push(done!);
    }
    for (const r of results) {
      expect(r).toMatchObject({ constrained: true, valid: true, repairs: [], retried: false });
      expect(r.code.startsWith('flowchart ')).toBe(true);
    }
    expect(results.some((r) => r.stopReason === 'max_tokens')).toBe(true);
  }, 300_000);

  it('the step-by-step fallback (transformers.js generate + the host-side mask) writes the same tokens as the fused loop', async () => {
    const dir = await ensureTestModel({ kind: 'tiny' });
    const stepwise = new TransformersEngine({ modelPath: dir, device: 'cpu', dtype: 'fp32', fused: 'off', constrained: 'on', cacheDir });
    try {
      for (const [i, description] of sampleDescriptions(3).entries()) {
        const request = { messages: [{ role: 'user' as const, content: description }], maxNewTokens: 25, constraint: flowchartConstraint(i % 2 ? 'LR' : 'TD') };
        const a = await collectGeneration(engine.generate(request));
        const b = await collectGeneration(stepwise.generate(request));
        expect(b.constrained).toBe(true);
        expect(b.text).toBe(a.text);
        expect(b.tokens).toBe(a.tokens);
        expect(b.stopReason).toBe(a.stopReason);
      }
    } finally {
      await stepwise.dispose();
    }
  }, 300_000);
});
