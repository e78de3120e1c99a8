/**
 * The per-token cost of the grammar's ops in ONNX Runtime (CPU), measured
 * without a decoder around them: a graph of exactly the nodes the fused loop
 * adds (mask-graph.ts) plus the ArgMax, against a graph with the ArgMax alone,
 * on one logits row of the vocabulary's width. Runs interleaved; medians.
 */
import '../../server/engine/float16.ts'; // first: hides Node 24's Float16Array from ONNX Runtime (see there)
import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { grammarMaskParts } from '../../server/engine/grammar/mask-graph.ts';
import type { GrammarTables } from '../../server/engine/grammar/tables.ts';

const onnx = onnxProto.onnx;

function vi(name: string, elemType: number, dims: number[]): onnxProto.onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } };
}

function model(t: GrammarTables, withMask: boolean): Uint8Array {
  const V = t.vocabSize;
  const argmax = { opType: 'ArgMax', input: [withMask ? 'masked' : 'logits'], output: ['token'], attribute: [{ name: 'axis', type: 2, i: 2 }, { name: 'keepdims', type: 2, i: 0 }] };
  const parts = withMask ? grammarMaskParts(t, { logits: 'logits', logitsType: 1, masked: 'masked', token: 'token', iter: 'iter', stateIn: 'state', stateOut: 'state_out' }) : null;
  const graph: onnxProto.onnx.IGraphProto = {
    name: 'mask',
    node: [...(parts?.outerNodes ?? []), ...(parts?.before ?? []), argmax, ...(parts?.after ?? [])],
    initializer: [...(parts?.initializers ?? []), ...(parts?.bodyConsts ?? [])],
    input: [vi('logits', 1, [1, 1, V]), ...(withMask ? [vi('state', 6, [1, 1]), vi('iter', 7, []), vi('grammar_remaining', 6, [])] : [])],
    output: [vi('token', 7, [1, 1]), ...(withMask ? [vi('state_out', 6, [1, 1])] : [])],
  };
  return onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph }).finish();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function maskOpsMs(t: GrammarTables, state: number, reps: number, opts: ort.InferenceSession.SessionOptions = {}): Promise<{ argmaxMs: number; maskedMs: number; overheadMs: number }> {
  const plain = await ort.InferenceSession.create(model(t, false), opts);
  const masked = await ort.InferenceSession.create(model(t, true), opts);
  const logits = new ort.Tensor('float32', Float32Array.from({ length: t.vocabSize }, (_, i) => Math.sin(i)), [1, 1, t.vocabSize]);
  const feeds = {
    logits,
    state: new ort.Tensor('int32', Int32Array.of(state), [1, 1]),
    iter: new ort.Tensor('int64', BigInt64Array.of(0n), []),
    grammar_remaining: new ort.Tensor('int32', Int32Array.of(100), []),
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now();
    await plain.run({ logits });
    a.push(performance.now() - t0);
    t0 = performance.now();
    await masked.run(feeds);
    b.push(performance.now() - t0);
  }
  await plain.release();
  await masked.release();
  const argmaxMs = median(a);
  const maskedMs = median(b);
  return { argmaxMs: +argmaxMs.toFixed(3), maskedMs: +maskedMs.toFixed(3), overheadMs: +(maskedMs - argmaxMs).toFixed(3) };
}
