/**
 * Test models for the real transformers.js + onnxruntime-node path.
 *
 *   ensureTestModel({ kind: 'tape', text })          → dir; greedy output = text + <|im_end|>
 *   ensureTestModel({ kind: 'tiny', seed?, dtype?, attention? }) → dir; random Qwen3 (2 layers, hidden 64);
 *                                                       attention 'plain' ops or com.microsoft 'gqa'
 *                                                       (default gqa for q4f16, plain otherwise)
 *   ensureTestModel({ kind: 'qwen3-4b', dtype? })     → dir; random weights, Qwen3-4B shapes (~8 GB fp16;
 *                                                       GPU machine / benchmarks only; external data)
 *   writeTestModel(spec, dir)                         → writes into dir (the CLI's path)
 *
 * `ensureTestModel` builds once into `.cache/test-models/<kind>-<hash>` (hash of
 * the spec and BUILDER_VERSION) and returns the absolute directory, which
 * `AutoModelForCausalLM.from_pretrained(dir, { dtype: 'fp32', device: 'cpu' })`
 * and `AutoTokenizer.from_pretrained(dir)` load (with env.allowLocalModels).
 */
import { createHash } from 'node:crypto';
import { cachedDir } from './cache.ts';
import { writeTapeModel } from './tape.ts';
import { writeQwen3Model } from './qwen3.ts';
import { QWEN3_4B, type Qwen3Shape } from './model-dir.ts';
import { VOCAB_SIZE } from './tokenizer.ts';
import type { Qwen3Attention } from './qwen3-graph.ts';

/** Bump when any builder's output changes, so caches rebuild. */
export const BUILDER_VERSION = 2;

export type TestModelDtype = 'fp32' | 'fp16' | 'q4f16';

export type TestModelSpec =
  | { kind: 'tape'; text: string }
  | { kind: 'tiny'; seed?: number; dtype?: TestModelDtype; attention?: Qwen3Attention }
  | {
      kind: 'qwen3-4b';
      seed?: number;
      dtype?: TestModelDtype;
      attention?: Qwen3Attention;
      /** Fewer layers than 36 (quick GPU smoke tests); every other shape stays Qwen3-4B's. */
      layers?: number;
      onProgress?: (message: string) => void;
    };

/** The tiny random Qwen3: 2 layers, hidden 64, 4 heads, 2 KV heads, head_dim 16, full vocabulary. */
export const TINY: Qwen3Shape = {
  num_hidden_layers: 2,
  hidden_size: 64,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  head_dim: 16,
  intermediate_size: 128,
  vocab_size: VOCAB_SIZE,
  rope_theta: 1_000_000,
  rms_norm_eps: 1e-6,
  max_position_embeddings: 40960,
};

export { QWEN3_4B };

export async function writeTestModel(spec: TestModelSpec, dir: string): Promise<void> {
  switch (spec.kind) {
    case 'tape':
      await writeTapeModel(dir, spec.text);
      return;
    case 'tiny':
      await writeQwen3Model(dir, { shape: TINY, dtype: spec.dtype ?? 'fp32', seed: spec.seed ?? 1, attention: spec.attention });
      return;
    case 'qwen3-4b':
      await writeQwen3Model(dir, {
        shape: { ...QWEN3_4B, num_hidden_layers: spec.layers ?? QWEN3_4B.num_hidden_layers },
        dtype: spec.dtype ?? 'fp16',
        seed: spec.seed ?? 1,
        attention: spec.attention,
        external: true,
        onProgress: spec.onProgress,
      });
      return;
  }
}

export function testModelKey(spec: TestModelSpec): string {
  const { onProgress: _, ...fields } = spec as TestModelSpec & { onProgress?: unknown };
  const hash = createHash('sha256').update(JSON.stringify({ v: BUILDER_VERSION, spec: fields })).digest('hex').slice(0, 16);
  return `${spec.kind}-${hash}`;
}

export function ensureTestModel(spec: TestModelSpec): Promise<string> {
  return cachedDir(testModelKey(spec), (tmp) => writeTestModel(spec, tmp));
}
