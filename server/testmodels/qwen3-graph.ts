/**
 * A Qwen3 decoder as one ONNX graph, with the inputs and outputs of a
 * transformers.js Qwen3 export:
 *
 *   in:  input_ids, position_ids [batch, seq] int64; attention_mask [batch, past+seq] int64;
 *        past_key_values.{i}.key|value [batch, kv_heads, past, head_dim] (T);
 *        num_logits_to_keep (int64 scalar; unless numLogitsToKeep: false)
 *   out: logits [batch, kept, vocab] (T); present.{i}.key|value [batch, kv_heads, past+seq, head_dim] (T)
 *
 * T is float32 for dtype 'fp32', float16 for 'fp16' and 'q4f16'.
 *
 *   buildQwen3Graph({ shape, dtype, weights }) → GraphProto
 *
 * The architecture is Hugging Face's Qwen3ForCausalLM: embedding → per layer
 * [RMSNorm → q/k/v projections → per-head q/k RMSNorm → rotary embeddings
 * (rope_theta, positions from position_ids) → grouped-query attention over
 * past ++ new keys (causal + attention_mask) → o-proj → residual; RMSNorm →
 * SwiGLU MLP → residual] → final RMSNorm → lm head tied to the embedding
 * (Gemm with transB, so the embedding is stored once). RMSNorm, the rotary
 * angles and the softmax are computed in float32 (as HF does), the rest in T.
 *
 * 'q4f16' puts every projection (and the lm head, quantized separately, as
 * real q4f16 exports do) into `com.microsoft` MatMulNBits (4 bits, block 32,
 * symmetric: implicit zero point 8); the embedding stays float16.
 *
 * `attention: 'gqa'` (the default for q4f16) replaces the plain-op attention
 * with `com.microsoft` GroupQueryAttention as real exports use it: q/k RMSNorm
 * before it, rotary inside it (`do_rotary`, cos/sin caches of
 * min(max_position_embeddings, 65536) positions), positions taken from
 * seqlens_k = sum(attention_mask) - 1 (so position_ids is declared but unused,
 * and batches must be right-aligned, i.e. no left padding). 'plain' works
 * with any dtype and honours position_ids and left padding.
 *
 * Weights come from a `WeightWriter` (inline or streamed to external data),
 * named like the Hugging Face parameters (`model.layers.0.self_attn.q_proj.weight`);
 * float projection weights are stored [in, out] (MatMul layout).
 */
import { f, GraphBuilder, type DType, type GraphProto } from './onnx-builder.ts';
import type { Qwen3Shape } from './model-dir.ts';
import { toHalf, toHalves, type WeightWriter } from './weights.ts';

export type Qwen3Dtype = 'fp32' | 'fp16' | 'q4f16';
export type Qwen3Attention = 'plain' | 'gqa';

/** Attention kind used when the spec names none. */
export function defaultAttention(dtype: Qwen3Dtype): Qwen3Attention {
  return dtype === 'q4f16' ? 'gqa' : 'plain';
}

/** Rotary cache length of the GroupQueryAttention variant. */
export const GQA_MAX_POSITIONS = 65536;

export interface Qwen3GraphSpec {
  shape: Qwen3Shape;
  dtype: Qwen3Dtype;
  weights: WeightWriter;
  /** 'plain' ONNX ops or com.microsoft 'gqa' (default: see defaultAttention). */
  attention?: Qwen3Attention;
  /** Declare `num_logits_to_keep` (default true; transformers.js sends 1 while generating). */
  numLogitsToKeep?: boolean;
  /** Standard deviation of random projection weights (default 2/√fan_in: every layer matters, greedy output varies). */
  std?: number;
  /** Standard deviation of the (tied) embedding (default 0.5: clear greedy winners). */
  embedStd?: number;
  /** Called after each layer's weights are written (progress for big models). */
  onLayer?: (layer: number) => void;
}

const Q4_BLOCK = 32;
const FLOAT = 1;
const FLOAT16 = 10;

export function buildQwen3Graph(spec: Qwen3GraphSpec): GraphProto {
  const { shape: s, dtype, weights: w } = spec;
  const T: DType = dtype === 'fp32' ? 'float32' : 'float16';
  const TF: 'float32' | 'float16' = T === 'float32' ? 'float32' : 'float16';
  const H = s.hidden_size;
  const NH = s.num_attention_heads;
  const KV = s.num_key_value_heads;
  const D = s.head_dim;
  const REP = NH / KV;
  if (!Number.isInteger(REP)) throw new Error('num_attention_heads must be a multiple of num_key_value_heads');
  if (D % 2) throw new Error('head_dim must be even');

  const g = new GraphBuilder('qwen3');
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const am = g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  const pos = g.input('position_ids', 'int64', ['batch_size', 'sequence_length']);
  const past: Array<[string, string]> = [];
  for (let i = 0; i < s.num_hidden_layers; i++) {
    past.push([
      g.input(`past_key_values.${i}.key`, T, ['batch_size', KV, 'past_sequence_length', D]),
      g.input(`past_key_values.${i}.value`, T, ['batch_size', KV, 'past_sequence_length', D]),
    ]);
  }
  const keepIn = spec.numLogitsToKeep === false ? null : g.input('num_logits_to_keep', 'int64', []);

  const toF32 = (x: string) => (T === 'float32' ? x : g.op('Cast', [x], { to: FLOAT }));
  const toT = (x: string) => (T === 'float32' ? x : g.op('Cast', [x], { to: FLOAT16 }));

  /** RMSNorm over the last axis, in float32, times a weight of ones. */
  const rmsNorm = (x: string, name: string, size: number): string => {
    const weight = g.initializer(w.float(name, TF, [size], { constant: 1 }));
    const xf = toF32(x);
    const variance = g.op('ReduceMean', [g.op('Mul', [xf, xf])], { axes: [-1], keepdims: 1 });
    const inv = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [variance, g.f32s(s.rms_norm_eps)])])]);
    return g.op('Mul', [toT(g.op('Mul', [xf, inv])), weight]);
  };

  /** x [.., K] → [.., N]: MatMul with a [K, N] weight, or MatMulNBits in q4f16. */
  const linear = (x: string, name: string, K: number, N: number, out?: string): string => {
    const std = spec.std ?? 2 / Math.sqrt(K);
    const outputs = out ? { outputs: [out] } : {};
    if (dtype !== 'q4f16') return g.op('MatMul', [x, g.initializer(w.float(name, TF, [K, N], { std }))], {}, outputs);
    if (K % Q4_BLOCK) throw new Error(`${name}: K=${K} is not a multiple of ${Q4_BLOCK}`);
    const blocks = K / Q4_BLOCK;
    const q = g.initializer(w.randomBytes(name, 'uint8', [N, blocks, Q4_BLOCK / 2]));
    // uniform nibbles 0..15 minus 8 have a standard deviation of about 4.6
    const scales = g.initializer(w.float(`${name}.scales`, 'float16', [N * blocks], { constant: std / 4.6 }));
    return g.op('MatMulNBits', [x, q, scales], { K, N, bits: 4, block_size: Q4_BLOCK }, { domain: 'com.microsoft', ...outputs });
  };

  // shapes and positions
  const idsShape = g.op('Shape', [ids]);
  const seq = g.op('Gather', [idsShape, g.i64s(1)]);

  const attention = spec.attention ?? defaultAttention(dtype);
  const scale = 1 / Math.sqrt(D);
  const invFreq = Float32Array.from({ length: D / 2 }, (_, j) => s.rope_theta ** (-(2 * j) / D));

  // plain attention: rotary tables cos/sin [batch, 1, seq, D] in T from position_ids, and an
  // additive mask [batch, 1, 1, seq, total] in float32 (causal and attention_mask)
  let rope: (x: string) => string = () => {
    throw new Error('unreachable');
  };
  let mask: string | undefined;
  let gqa: { seqlensK: string; totalLen: string; cos: string; sin: string } | undefined;
  if (attention === 'plain') {
    const angles = g.op('Mul', [
      g.op('Unsqueeze', [g.op('Cast', [pos], { to: FLOAT }), g.i64([-1])]),
      g.constant('float32', [D / 2], invFreq),
    ]);
    const emb = g.op('Unsqueeze', [g.op('Concat', [angles, angles], { axis: -1 }), g.i64([1])]);
    const cos = toT(g.op('Cos', [emb]));
    const sin = toT(g.op('Sin', [emb]));
    const halves = g.i64([D / 2, D / 2]);
    rope = (x: string): string => {
      const [x1, x2] = g.node('Split', [x, halves], { axis: -1 }, { outputs: 2 });
      const rotated = g.op('Concat', [g.op('Neg', [x2!]), x1!], { axis: -1 });
      return g.op('Add', [g.op('Mul', [x, cos]), g.op('Mul', [rotated, sin])]);
    };
    const pastLen = g.op('Gather', [g.op('Shape', [past[0]![0]]), g.i64s(2)]);
    const total = g.op('Add', [pastLen, seq]);
    const keyIdx = g.op('Range', [g.i64s(0), total, g.i64s(1)]);
    const queryIdx = g.op('Range', [pastLen, total, g.i64s(1)]);
    const causal = g.op('LessOrEqual', [
      g.op('Unsqueeze', [keyIdx, g.i64([0])]),
      g.op('Unsqueeze', [queryIdx, g.i64([1])]),
    ]); // [seq, total]
    const padOk = g.op('Unsqueeze', [g.op('Cast', [am], { to: 9 }), g.i64([1, 2, 3])]); // [batch,1,1,1,total]
    mask = g.op('Where', [g.op('And', [causal, padOk]), g.f32s(0), g.f32s(-1e9)]);
  } else {
    const maxPos = Math.min(s.max_position_embeddings, GQA_MAX_POSITIONS);
    const table = (fn: (a: number) => number) => {
      const out = new Float32Array(maxPos * (D / 2));
      for (let t = 0; t < maxPos; t++) for (let j = 0; j < D / 2; j++) out[t * (D / 2) + j] = fn(t * invFreq[j]!);
      return T === 'float32' ? out : toHalves(out);
    };
    const INT32 = 6;
    gqa = {
      seqlensK: g.op('Cast', [g.op('Sub', [g.op('ReduceSum', [am, g.i64([1])], { keepdims: 0 }), g.i64s(1)])], { to: INT32 }),
      totalLen: g.op('Cast', [g.op('Gather', [g.op('Shape', [am]), g.i64s(1)])], { to: INT32 }),
      cos: g.constant(T, [maxPos, D / 2], table(Math.cos), 'rotary.cos_cache'),
      sin: g.constant(T, [maxPos, D / 2], table(Math.sin), 'rotary.sin_cache'),
    };
  }

  let x = g.op('Gather', [g.initializer(w.float('model.embed_tokens.weight', TF, [s.vocab_size, H], { std: spec.embedStd ?? 0.5 })), ids]);

  for (let i = 0; i < s.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    const h = rmsNorm(x, `${p}.input_layernorm.weight`, H);
    const heads = (y: string, n: number) => g.op('Reshape', [y, g.i64([0, 0, n, D])]); // [b, s, n, D]
    const q4 = heads(linear(h, `${p}.self_attn.q_proj.weight`, H, NH * D), NH);
    const k4 = heads(linear(h, `${p}.self_attn.k_proj.weight`, H, KV * D), KV);
    const qn = rmsNorm(q4, `${p}.self_attn.q_norm.weight`, D);
    const kn = rmsNorm(k4, `${p}.self_attn.k_norm.weight`, D);
    const vProj = linear(h, `${p}.self_attn.v_proj.weight`, H, KV * D);
    const [pk, pv] = past[i]!;
    let merged: string;
    if (gqa) {
      const flat = (y: string) => g.op('Reshape', [y, g.i64([0, 0, -1])]);
      [merged] = g.node(
        'GroupQueryAttention',
        [flat(qn), flat(kn), vProj, pk, pv, gqa.seqlensK, gqa.totalLen, gqa.cos, gqa.sin],
        { num_heads: NH, kv_num_heads: KV, do_rotary: 1, rotary_interleaved: 0, scale: f(scale) },
        { domain: 'com.microsoft', outputs: [g.fresh('attn'), `present.${i}.key`, `present.${i}.value`] },
      ) as [string];
    } else {
      const perm = { perm: [0, 2, 1, 3] };
      const q = rope(g.op('Transpose', [qn], perm)); // [b, NH, s, D]
      const k = rope(g.op('Transpose', [kn], perm)); // [b, KV, s, D]
      const v = g.op('Transpose', [heads(vProj, KV)], perm);
      const kAll = g.op('Concat', [pk, k], { axis: 2 }, { outputs: [`present.${i}.key`] });
      const vAll = g.op('Concat', [pv, v], { axis: 2 }, { outputs: [`present.${i}.value`] });

      // grouped-query attention: q as [b, KV, REP, s, D] against k/v [b, KV, 1, total, D]
      const scaleT = g.constant(T, [], T === 'float32' ? [scale] : new Uint16Array([toHalf(scale)]));
      const qg = g.op('Reshape', [g.op('Mul', [q, scaleT]), g.i64([0, KV, REP, -1, D])]);
      const kT = g.op('Unsqueeze', [g.op('Transpose', [kAll], { perm: [0, 1, 3, 2] }), g.i64([2])]);
      const scores = g.op('Add', [toF32(g.op('MatMul', [qg, kT])), mask!]);
      const probs = toT(g.op('Softmax', [scores], { axis: -1 }));
      const ctx = g.op('MatMul', [probs, g.op('Unsqueeze', [vAll, g.i64([2])])]); // [b, KV, REP, s, D]
      merged = g.op('Reshape', [
        g.op('Transpose', [g.op('Reshape', [ctx, g.i64([0, NH, -1, D])])], perm),
        g.i64([0, 0, NH * D]),
      ]);
    }
    x = g.op('Add', [x, linear(merged, `${p}.self_attn.o_proj.weight`, NH * D, H)]);

    const h2 = rmsNorm(x, `${p}.post_attention_layernorm.weight`, H);
    const gate = linear(h2, `${p}.mlp.gate_proj.weight`, H, s.intermediate_size);
    const up = linear(h2, `${p}.mlp.up_proj.weight`, H, s.intermediate_size);
    const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
    x = g.op('Add', [x, linear(act, `${p}.mlp.down_proj.weight`, s.intermediate_size, H)]);
    spec.onLayer?.(i);
  }

  // keep the last `num_logits_to_keep` positions (all when 0 or absent)
  if (keepIn) {
    const start = g.op('Where', [
      g.op('Equal', [keepIn, g.i64s(0)]),
      g.i64s(0),
      g.op('Max', [g.op('Sub', [seq, keepIn]), g.i64s(0)]),
    ]);
    x = g.op('Slice', [x, g.op('Unsqueeze', [start, g.i64([0])]), g.op('Unsqueeze', [seq, g.i64([0])]), g.i64([1])]);
  }
  const xn = rmsNorm(x, 'model.norm.weight', H);
  if (dtype === 'q4f16') {
    linear(xn, 'lm_head.weight', H, s.vocab_size, 'logits');
  } else {
    const flat = g.op('Reshape', [xn, g.i64([-1, H])]);
    const logits2 = g.op('Gemm', [flat, 'model.embed_tokens.weight'], { transB: 1 });
    const outShape = g.op('Concat', [g.op('Slice', [g.op('Shape', [xn]), g.i64([0]), g.i64([2])]), g.i64([s.vocab_size])], { axis: 0 });
    g.op('Reshape', [logits2, outShape], {}, { outputs: ['logits'] });
  }

  g.output('logits', T, ['batch_size', 'sequence_length', s.vocab_size]);
  for (let i = 0; i < s.num_hidden_layers; i++) {
    g.output(`present.${i}.key`, T, ['batch_size', KV, 'total_sequence_length', D]);
    g.output(`present.${i}.value`, T, ['batch_size', KV, 'total_sequence_length', D]);
  }
  return g.toGraph();
}

