/**
 * A small causal decoder with a real key/value cache, for the fused-path tests
 * (independent of the test-model builders): embeddings + learned positions,
 * `layers` attention blocks (causal + attention_mask, cache concat), tanh
 * residual, a vocabulary head. Same inputs/outputs as a transformers.js
 * Qwen3 export (fp32 cache and logits); optionally a `num_logits_to_keep`
 * input, GroupQueryAttention, and weights in one or several external files.
 *
 *   writeMiniDecoder(path, { seed, layers, vocab, weights: 'embedded' | 'external', dataFiles })
 */
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import onnxProto from 'onnx-proto';

const onnx = onnxProto.onnx;
type INodeProto = onnxProto.onnx.INodeProto;
type ITensorProto = onnxProto.onnx.ITensorProto;

export interface MiniDecoderSpec {
  seed?: number;
  layers?: number;
  vocab?: number;
  hidden?: number;
  heads?: number;
  headDim?: number;
  maxPos?: number;
  /** 'embedded' (default) or 'external': weights in `<file>_data`. */
  weights?: 'embedded' | 'external';
  /**
   * With 'external': spread the weights over this many files (default 1), named as
   * large exports name them (`<file>_data`, `<file>_data_1`, …); tensors go round robin.
   */
  dataFiles?: number;
  /** Declare a scalar `num_logits_to_keep` input (as the tape models do). */
  numLogitsToKeep?: boolean;
  /** Attention through the com.microsoft GroupQueryAttention contrib op (1 KV head), as real q4f16 exports do. */
  gqa?: boolean;
  opset?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000 - 0.5;
  };
}

export async function writeMiniDecoder(path: string, spec: MiniDecoderSpec = {}): Promise<void> {
  const { bytes, files } = buildMiniDecoder(spec, basename(path));
  for (const f of files) await writeFile(join(dirname(path), f.name), f.data);
  await writeFile(path, bytes);
}

/** External data file names for `files` files beside `<modelFile>` (transformers.js's naming). */
export function dataFileNames(modelFile: string, files: number): string[] {
  return Array.from({ length: files }, (_, i) => `${modelFile}_data${i === 0 ? '' : `_${i}`}`);
}

export function buildMiniDecoder(
  spec: MiniDecoderSpec,
  modelFile = 'model.onnx',
): { bytes: Uint8Array; files: { name: string; data: Uint8Array }[] } {
  const L = spec.layers ?? 2;
  const V = spec.vocab ?? 97;
  const C = spec.hidden ?? 32;
  const H = spec.heads ?? 2;
  const D = spec.headDim ?? 8;
  const maxPos = spec.maxPos ?? 512;
  const rand = rng(spec.seed ?? 1);
  const nodes: INodeProto[] = [];
  const inits: ITensorProto[] = [];
  const dataNames = spec.weights === 'external' ? dataFileNames(modelFile, Math.max(1, spec.dataFiles ?? 1)) : [];
  const ext = dataNames.map(() => ({ parts: [] as Uint8Array[], length: 0 }));
  let nWeights = 0;
  let n = 0;
  const fresh = (p: string) => `${p}_${n++}`;
  const op = (type: string, inputs: string[], attrs: onnxProto.onnx.IAttributeProto[] = [], out?: string): string => {
    const o = out ?? fresh(type.toLowerCase());
    nodes.push({ opType: type, input: inputs, output: [o], name: fresh('n'), attribute: attrs });
    return o;
  };
  const T = onnx.AttributeProto.AttributeType;
  const ai = (name: string, i: number) => ({ name, type: T.INT, i });
  const ais = (name: string, ints: number[]) => ({ name, type: T.INTS, ints });
  const i64 = (vals: number[], dims = [vals.length]) => {
    const name = fresh('c');
    inits.push({ name, dataType: 7, dims, rawData: new Uint8Array(BigInt64Array.from(vals.map(BigInt)).buffer) });
    return name;
  };
  const f32 = (vals: number[], dims = [vals.length]) => {
    const name = fresh('f');
    inits.push({ name, dataType: 1, dims, rawData: new Uint8Array(Float32Array.from(vals).buffer) });
    return name;
  };
  const weight = (dims: number[], scale: number) => {
    const name = fresh('w');
    const count = dims.reduce((a, b) => a * b, 1);
    const arr = new Float32Array(count);
    for (let i = 0; i < count; i++) arr[i] = rand() * 2 * scale;
    const raw = new Uint8Array(arr.buffer);
    if (spec.weights === 'external') {
      const f = nWeights++ % ext.length;
      const file = ext[f]!;
      inits.push({
        name,
        dataType: 1,
        dims,
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: 'location', value: dataNames[f]! },
          { key: 'offset', value: String(file.length) },
          { key: 'length', value: String(raw.byteLength) },
        ],
      });
      file.parts.push(raw);
      file.length += raw.byteLength;
    } else {
      inits.push({ name, dataType: 1, dims, rawData: raw });
    }
    return name;
  };

  const emb = weight([V, C], 1);
  const pemb = weight([maxPos, C], 0.5);
  let x = op('Add', [op('Gather', [emb, 'input_ids']), op('Gather', [pemb, 'position_ids'])]);
  // causal + padding bias [B, 1, S, T]
  const idsShape = op('Shape', ['input_ids']);
  const S = op('Gather', [idsShape, i64([1], [])]);
  const Tlen = op('Gather', [op('Shape', ['attention_mask']), i64([1], [])]);
  const P = op('Sub', [Tlen, S]);
  const tpos = op('Range', [i64([0], []), Tlen, i64([1], [])]);
  const qpos = op('Range', [P, Tlen, i64([1], [])]);
  const allowed = op('LessOrEqual', [op('Unsqueeze', [tpos, i64([0])]), op('Unsqueeze', [qpos, i64([1])])]); // [S, T]
  const maskB = op('Cast', [op('Unsqueeze', ['attention_mask', i64([1, 2])])], [ai('to', 9)]); // [B,1,1,T]
  const ok = op('And', [allowed, maskB]);
  const bias = op('Where', [ok, f32([0], []), f32([-1e9], [])]);
  const toHeads = (t: string) => op('Transpose', [op('Reshape', [t, i64([0, 0, H, D])])], [ais('perm', [0, 2, 1, 3])]);
  const KVH = spec.gqa ? 1 : H;
  const seqlensK = spec.gqa
    ? op('Cast', [op('Sub', [op('ReduceSum', ['attention_mask', i64([1])], [ai('keepdims', 0)]), i64([1], [])])], [ai('to', 6)])
    : '';
  const totalLen = spec.gqa ? op('Cast', [Tlen], [ai('to', 6)]) : '';
  for (let l = 0; l < L && spec.gqa; l++) {
    const q = op('MatMul', [x, weight([C, H * D], 0.5)]);
    const k = op('MatMul', [x, weight([C, KVH * D], 0.5)]);
    const v = op('MatMul', [x, weight([C, KVH * D], 0.5)]);
    const att = fresh('gqa');
    nodes.push({
      opType: 'GroupQueryAttention',
      domain: 'com.microsoft',
      name: fresh('n'),
      input: [q, k, v, `past_key_values.${l}.key`, `past_key_values.${l}.value`, seqlensK, totalLen],
      output: [att, `present.${l}.key`, `present.${l}.value`],
      attribute: [ai('num_heads', H), ai('kv_num_heads', KVH)],
    });
    x = op('Tanh', [op('Add', [x, op('MatMul', [att, weight([H * D, C], 0.8)])])]);
  }
  for (let l = 0; l < L && !spec.gqa; l++) {
    const q = toHeads(op('MatMul', [x, weight([C, H * D], 0.5)]));
    const k = toHeads(op('MatMul', [x, weight([C, H * D], 0.5)]));
    const v = toHeads(op('MatMul', [x, weight([C, H * D], 0.5)]));
    const pk = op('Concat', [`past_key_values.${l}.key`, k], [ai('axis', 2)], `present.${l}.key`);
    const pv = op('Concat', [`past_key_values.${l}.value`, v], [ai('axis', 2)], `present.${l}.value`);
    const scores = op('Add', [op('Mul', [op('MatMul', [q, op('Transpose', [pk], [ais('perm', [0, 1, 3, 2])])]), f32([1 / Math.sqrt(D)], [])]), bias]);
    const probs = op('Softmax', [scores], [ai('axis', -1)]);
    const att = op('Reshape', [op('Transpose', [op('MatMul', [probs, pv])], [ais('perm', [0, 2, 1, 3])]), i64([0, 0, H * D])]);
    x = op('Tanh', [op('Add', [x, op('MatMul', [att, weight([H * D, C], 0.8)])])]);
  }
  let logits = op('MatMul', [x, weight([C, V], 3)]);
  if (spec.numLogitsToKeep) {
    // keep the last n positions (n = num_logits_to_keep, 0 = all)
    const keep = op('Where', [op('Equal', ['num_logits_to_keep', i64([0], [])]), S, 'num_logits_to_keep']);
    logits = op('Slice', [logits, op('Unsqueeze', [op('Neg', [keep]), i64([0])]), i64([2 ** 53]), i64([1])]);
  }
  op('Identity', [logits], [], 'logits');

  const vi = (name: string, elemType: number, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  const inputs = [
    vi('input_ids', 7, ['batch_size', 'sequence_length']),
    vi('attention_mask', 7, ['batch_size', 'total_sequence_length']),
    vi('position_ids', 7, ['batch_size', 'sequence_length']),
  ];
  const outputs = [vi('logits', 1, ['batch_size', 'sequence_length', V])];
  for (let l = 0; l < L; l++) {
    for (const kv of ['key', 'value']) {
      inputs.push(vi(`past_key_values.${l}.${kv}`, 1, ['batch_size', KVH, 'past_sequence_length', D]));
      outputs.push(vi(`present.${l}.${kv}`, 1, ['batch_size', KVH, 'total_sequence_length', D]));
    }
  }
  if (spec.numLogitsToKeep) inputs.push(vi('num_logits_to_keep', 7, []));
  const model = {
    irVersion: 8,
    producerName: 'mini-decoder',
    opsetImport: [{ domain: '', version: spec.opset ?? 17 }, ...(spec.gqa ? [{ domain: 'com.microsoft', version: 1 }] : [])],
    graph: { name: 'mini', node: nodes, initializer: inits, input: inputs, output: outputs },
  };
  const bytes = onnx.ModelProto.encode(model).finish();
  const files = ext.map((e, i) => {
    const data = new Uint8Array(e.length);
    let o = 0;
    for (const part of e.parts) {
      data.set(part, o);
      o += part.byteLength;
    }
    return { name: dataNames[i]!, data };
  });
  return { bytes, files };
}
