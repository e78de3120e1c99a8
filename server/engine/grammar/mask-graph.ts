/**
 * The grammar inside the fused Loop (transform.ts splices these in when it is
 * given tables): the automaton state is carried from step to step like the
 * cache, and each step
 *
 *   rows     = Gather(next[S, C], state[B, 1])                 → [B, 1, C]  next state per token class
 *   classOk  = Less(Gather(dist, rows), remaining - iter)     → [B, 1, C]  the closing rule (constraint.ts), per class
 *   ok       = Gather(classOk, tokenClass[V], axis 2)         → [B, 1, V]  per token
 *   masked   = Where(ok, logits, -inf);  token = ArgMax(masked)
 *   state'   = Gather(nextFlat, state * C + tokenClass[token])
 *
 * Per step that is one gather of booleans and a Where over the vocabulary
 * (the rule itself runs on the few hundred classes), next to a forward pass
 * (BENCHMARKS.md has the measured cost). The tables are
 * initializers of the outer graph (a few MB), read by the body from outer scope.
 *
 * Inputs of the fused model: `grammar_state` (int32 [batch, 1], FREE_STATE = 1
 * for an unconstrained row) and `grammar_remaining` (int32 scalar: tokens the
 * closing rule may count on at this call's first step). Output:
 * `grammar_state_out` (int32 [batch, 1], the state after the call's last token).
 */
import type onnxProto from 'onnx-proto';
import type { GrammarTables } from './tables.ts';

type INodeProto = onnxProto.onnx.INodeProto;
type ITensorProto = onnxProto.onnx.ITensorProto;

export const GRAMMAR_INPUT_STATE = 'grammar_state';
export const GRAMMAR_INPUT_REMAINING = 'grammar_remaining';
export const GRAMMAR_OUTPUT_STATE = 'grammar_state_out';

const INT32 = 6;

export interface MaskParts {
  /** Outer-graph initializers (the tables). */
  initializers: ITensorProto[];
  /** Outer-graph nodes (the flat view of the next-state table). */
  outerNodes: INodeProto[];
  /** Body nodes that turn `logits` into `masked` (before the ArgMax). */
  before: INodeProto[];
  /** Body nodes that compute the next state from the chosen token (after the ArgMax). */
  after: INodeProto[];
  /** Body-local constants. */
  bodyConsts: ITensorProto[];
}

function i32(name: string, data: Int32Array, dims: number[]): ITensorProto {
  return { name, dataType: INT32, dims, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

const node = (opType: string, input: string[], output: string[], attribute: onnxProto.onnx.IAttributeProto[] = []): INodeProto => ({
  opType,
  input,
  output,
  name: `grammar/${output[0]}`,
  domain: '',
  attribute,
});

/**
 * @param logits  body value [B, 1, V] (the last position's logits), of `logitsType` (1 float32, 10 float16)
 * @param masked  name to give the masked logits (the ArgMax reads it)
 * @param token   the ArgMax output, int64 [B, 1]
 * @param iter    the Loop's iteration counter (int64 scalar)
 * @param stateIn / stateOut  the carried state's body input / output names
 */
export function grammarMaskParts(
  t: GrammarTables,
  names: { logits: string; logitsType: number; masked: string; token: string; iter: string; stateIn: string; stateOut: string },
): MaskParts {
  const negInf = names.logitsType === 10
    ? { name: 'grammar/neg_inf', dataType: 10, dims: [], rawData: new Uint8Array(new Uint16Array([0xfc00]).buffer) }
    : { name: 'grammar/neg_inf', dataType: 1, dims: [], rawData: new Uint8Array(new Float32Array([-Infinity]).buffer) };
  if (names.logitsType !== 1 && names.logitsType !== 10) throw new Error(`grammar: unsupported logits type ${names.logitsType}`);
  return {
    initializers: [
      i32('grammar/next', t.next, [t.states, t.classes]),
      i32('grammar/token_class', t.tokenClass, [t.vocabSize]),
      i32('grammar/dist', t.dist, [t.states]),
      i32('grammar/classes', Int32Array.of(t.classes), []),
      { name: 'grammar/flat_shape', dataType: 7, dims: [1], rawData: new Uint8Array(BigInt64Array.of(-1n).buffer) },
    ],
    outerNodes: [node('Reshape', ['grammar/next', 'grammar/flat_shape'], ['grammar/next_flat'])],
    bodyConsts: [negInf],
    before: [
      node('Gather', ['grammar/next', names.stateIn], ['grammar/rows'], [{ name: 'axis', type: 2, i: 0 }]),
      node('Gather', ['grammar/dist', 'grammar/rows'], ['grammar/class_dist'], [{ name: 'axis', type: 2, i: 0 }]),
      node('Cast', [names.iter], ['grammar/iter32'], [{ name: 'to', type: 2, i: INT32 }]),
      node('Sub', [GRAMMAR_INPUT_REMAINING, 'grammar/iter32'], ['grammar/left']),
      node('Less', ['grammar/class_dist', 'grammar/left'], ['grammar/class_ok']),
      node('Gather', ['grammar/class_ok', 'grammar/token_class'], ['grammar/ok'], [{ name: 'axis', type: 2, i: 2 }]),
      node('Where', ['grammar/ok', names.logits, 'grammar/neg_inf'], [names.masked]),
    ],
    after: [
      node('Gather', ['grammar/token_class', names.token], ['grammar/chosen_class'], [{ name: 'axis', type: 2, i: 0 }]),
      node('Mul', [names.stateIn, 'grammar/classes'], ['grammar/row_start']),
      node('Add', ['grammar/row_start', 'grammar/chosen_class'], ['grammar/flat_index']),
      node('Gather', ['grammar/next_flat', 'grammar/flat_index'], [names.stateOut], [{ name: 'axis', type: 2, i: 0 }]),
    ],
  };
}
