/**
 * The step-by-step reference with the grammar applied on the host: the plain
 * decoder, one `session.run` per token, the constraint's mask on the last
 * logits, argmax (first index on ties, like ONNX ArgMax), then accept. What a
 * step-by-step decoder with a TokenConstraint does; tests and the benchmark
 * compare the fused loop with it token for token.
 *
 *   const out = await hostConstrainedGreedy(session, promptIds, { maxNewTokens, eosTokenIds, constraint })
 */
import '../float16.ts'; // first: hides Node 24's Float16Array from ONNX Runtime (see there)
import ort from 'onnxruntime-node';
import { halfToFloat } from '../../testmodels/stepwise.ts';
import type { TokenConstraint } from './constraint.ts';

export interface HostGreedyOptions {
  maxNewTokens: number;
  eosTokenIds: number[];
  constraint: TokenConstraint | null;
}

export async function hostConstrainedGreedy(session: ort.InferenceSession, promptIds: number[], opts: HostGreedyOptions): Promise<{ ids: number[]; maskMs: number }> {
  const meta = (session as unknown as { inputMetadata: { name: string; type?: string; shape?: (number | string)[] }[] }).inputMetadata;
  const kv = meta.find((m) => m.name === 'past_key_values.0.key')!;
  const kvType = kv.type === 'float16' ? 'float16' : 'float32';
  const [heads, dim] = [kv.shape![1] as number, kv.shape![3] as number];
  const layers = meta.filter((m) => /^past_key_values\.\d+\.key$/.test(m.name)).length;
  let cache: Record<string, ort.Tensor> = {};
  for (let i = 0; i < layers; i++) {
    for (const n of [`past_key_values.${i}.key`, `past_key_values.${i}.value`]) {
      cache[n] = new ort.Tensor(kvType, kvType === 'float16' ? new Uint16Array(0) : new Float32Array(0), [1, heads, 0, dim]);
    }
  }
  const ids: number[] = [];
  let feed = promptIds;
  let past = 0;
  let maskMs = 0;
  while (ids.length < opts.maxNewTokens) {
    const s = feed.length;
    const feeds: Record<string, ort.Tensor> = {
      ...cache,
      input_ids: new ort.Tensor('int64', BigInt64Array.from(feed, BigInt), [1, s]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(past + s).fill(1n), [1, past + s]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from({ length: s }, (_, i) => BigInt(past + i)), [1, s]),
    };
    if (session.inputNames.includes('num_logits_to_keep')) feeds.num_logits_to_keep = new ort.Tensor('int64', BigInt64Array.of(1n), []);
    const out = await session.run(feeds);
    const t = out.logits!;
    const V = t.dims[t.dims.length - 1]!;
    const data = t.data as Float32Array | Uint16Array;
    const start = data.length - V;
    const row = t.type === 'float16' ? Float32Array.from(data.subarray(start), halfToFloat) : Float32Array.from(data.subarray(start));
    const m0 = performance.now();
    opts.constraint?.mask(row, opts.maxNewTokens - ids.length);
    let next = 0;
    for (let i = 1; i < V; i++) if (row[i]! > row[next]!) next = i;
    opts.constraint?.accept(next);
    maskMs += performance.now() - m0;
    ids.push(next);
    cache = {};
    for (let i = 0; i < layers; i++) {
      cache[`past_key_values.${i}.key`] = out[`present.${i}.key`]!;
      cache[`past_key_values.${i}.value`] = out[`present.${i}.value`]!;
    }
    past += s;
    feed = [next];
    if (opts.eosTokenIds.includes(next)) break;
  }
  return { ids, maskMs };
}
