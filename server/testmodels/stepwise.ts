/**
 * The reference path: the plain decoder, one `session.run` per token, greedy
 * argmax on the host (what transformers.js's `generate` does, minus its
 * plumbing). The fused path must match it token for token; benchmarks use it
 * as "step-by-step ORT".
 *
 *   const s = await ort.InferenceSession.create('DIR/onnx/model.onnx');
 *   const { ids, stopReason } = await stepwiseGenerate(s, promptIds, { maxNewTokens, eosTokenIds });
 */
import '../engine/float16.ts'; // first: hides Node 24's Float16Array from ONNX Runtime (see there)
import ort from 'onnxruntime-node';

export interface StepwiseOptions {
  maxNewTokens: number;
  eosTokenIds: number[];
  ignoreEos?: boolean;
  onToken?: (id: number, index: number) => void;
  /**
   * Chooses the next token from the step's logits ([1, S, V]; the last row counts), given how many
   * tokens may still come. Default: argmaxLast. The grammar's host reference masks here (grammar/reference.ts).
   */
  pick?: (logits: ort.Tensor, remaining: number) => number;
}

export interface StepwiseResult {
  ids: number[];
  stopReason: 'eos' | 'max_tokens';
  firstTokenMs: number;
  generationMs: number;
}

/** float16 bits → number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Index of the largest of the last row of logits [1, S, V] (first on ties, like ONNX ArgMax). */
export function argmaxLast(logits: ort.Tensor): number {
  const v = logits.dims[logits.dims.length - 1]!;
  const data = logits.data as Float32Array | Uint16Array;
  const start = data.length - v;
  const half = logits.type === 'float16';
  let best = -Infinity;
  let idx = 0;
  for (let i = 0; i < v; i++) {
    const x = half ? halfToFloat(data[start + i]!) : data[start + i]!;
    if (x > best) {
      best = x;
      idx = i;
    }
  }
  return idx;
}

interface DecoderLayout {
  layers: { key: string; value: string; presentKey: string; presentValue: string }[];
  kvType: 'float32' | 'float16';
  kvHeads: number;
  headDim: number;
  hasPositionIds: boolean;
  keepInputs: { name: string; rank: number }[];
}

/** Reads the cache layout from the session's input metadata. */
export function decoderLayout(session: ort.InferenceSession): DecoderLayout {
  const meta = (session as unknown as { inputMetadata?: { name: string; isTensor: boolean; type?: string; shape?: (number | string)[] }[] })
    .inputMetadata;
  const layers: DecoderLayout['layers'] = [];
  for (let i = 0; session.inputNames.includes(`past_key_values.${i}.key`); i++) {
    layers.push({ key: `past_key_values.${i}.key`, value: `past_key_values.${i}.value`, presentKey: `present.${i}.key`, presentValue: `present.${i}.value` });
  }
  const kvMeta = meta?.find((m) => m.name === 'past_key_values.0.key');
  if (!kvMeta?.shape || typeof kvMeta.shape[1] !== 'number' || typeof kvMeta.shape[3] !== 'number') {
    throw new Error('decoder input past_key_values.0.key: need numeric heads and head_dim in its shape');
  }
  return {
    layers,
    kvType: kvMeta.type === 'float16' ? 'float16' : 'float32',
    kvHeads: kvMeta.shape[1],
    headDim: kvMeta.shape[3],
    hasPositionIds: session.inputNames.includes('position_ids'),
    keepInputs: (meta ?? [])
      .filter((m) => /^(num_)?logits_to_keep$/.test(m.name))
      .map((m) => ({ name: m.name, rank: m.shape?.length ?? 0 })),
  };
}

export async function stepwiseGenerate(session: ort.InferenceSession, promptIds: number[], opts: StepwiseOptions): Promise<StepwiseResult> {
  const t0 = performance.now();
  const L = decoderLayout(session);
  const eos = new Set(opts.ignoreEos ? [] : opts.eosTokenIds);
  let cache: Record<string, ort.Tensor> = {};
  for (const l of L.layers) {
    for (const n of [l.key, l.value]) {
      cache[n] = new ort.Tensor(L.kvType, L.kvType === 'float16' ? new Uint16Array(0) : new Float32Array(0), [1, L.kvHeads, 0, L.headDim]);
    }
  }
  const ids: number[] = [];
  let feed = promptIds;
  let past = 0;
  let firstTokenMs = 0;
  let stopReason: StepwiseResult['stopReason'] = 'max_tokens';
  while (ids.length < opts.maxNewTokens) {
    const s = feed.length;
    const feeds: Record<string, ort.Tensor> = {
      ...cache,
      input_ids: new ort.Tensor('int64', BigInt64Array.from(feed, BigInt), [1, s]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(past + s).fill(1n), [1, past + s]),
    };
    if (L.hasPositionIds) feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from({ length: s }, (_, i) => BigInt(past + i)), [1, s]);
    for (const k of L.keepInputs) feeds[k.name] = new ort.Tensor('int64', BigInt64Array.from([1n]), k.rank === 0 ? [] : [1]);
    const out = await session.run(feeds);
    const next = opts.pick ? opts.pick(out.logits!, opts.maxNewTokens - ids.length) : argmaxLast(out.logits!);
    if (ids.length === 0) firstTokenMs = performance.now() - t0;
    ids.push(next);
    opts.onToken?.(next, ids.length - 1);
    cache = {};
    for (const l of L.layers) {
      cache[l.key] = out[l.presentKey]!;
      cache[l.value] = out[l.presentValue]!;
    }
    past += s;
    feed = [next];
    if (eos.has(next)) {
      stopReason = 'eos';
      break;
    }
  }
  return { ids, stopReason, firstTokenMs, generationMs: performance.now() - t0 };
}
