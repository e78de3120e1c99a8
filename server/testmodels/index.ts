/**
 * Test models for the real transformers.js + onnxruntime-node path.
 *
 *   ensureTestModel({ kind: 'tape', text })          → dir; greedy output = text + <|im_end|>
 *   ensureTestModel({ kind: 'tiny', seed?, dtype? }) → dir; random Qwen3 (2 layers, hidden 64)
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

/** Bump when any builder's output changes, so caches rebuild. */
export const BUILDER_VERSION = 1;

export type TestModelDtype = 'fp32' | 'fp16' | 'q4f16';

export type TestModelSpec =
  | { kind: 'tape'; text: string }
  | { kind: 'tiny'; seed?: number; dtype?: TestModelDtype };

export async function writeTestModel(spec: TestModelSpec, dir: string): Promise<void> {
  switch (spec.kind) {
    case 'tape':
      await writeTapeModel(dir, spec.text);
      return;
    default:
      throw new Error(`test model kind not implemented yet: ${(spec as { kind: string }).kind}`);
  }
}

export function testModelKey(spec: TestModelSpec): string {
  const hash = createHash('sha256').update(JSON.stringify({ v: BUILDER_VERSION, spec })).digest('hex').slice(0, 16);
  return `${spec.kind}-${hash}`;
}

export function ensureTestModel(spec: TestModelSpec): Promise<string> {
  return cachedDir(testModelKey(spec), (tmp) => writeTestModel(spec, tmp));
}
