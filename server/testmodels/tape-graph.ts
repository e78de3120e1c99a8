/**
 * The "tape" decoder: an ONNX graph with a Qwen3 export's inputs and outputs
 * whose greedy output is a fixed token sequence, whatever the prompt.
 *
 *   buildTapeGraph({ tape: [ids…, IM_END], vocabSize }) → GraphProto
 *
 * Inputs (as transformers.js feeds a Qwen3 export): `input_ids`,
 * `attention_mask`, `position_ids` (int64 [batch, seq] / [batch, total]),
 * `past_key_values.0.key|value` (float32 [batch, 1, past, 1]) and, unless
 * `numLogitsToKeep: false`, the scalar `num_logits_to_keep` (transformers.js
 * sends 1 while generating). Outputs: `logits` [batch, kept, vocab],
 * `present.0.key|value` [batch, 1, past + seq, 1].
 *
 * How it counts: the cache carries one flag per position: 0 for positions fed
 * in a prefill (several tokens, or the first call with an empty cache), 1 for
 * positions fed one at a time on top of a cache (decode steps). The number of
 * tokens already emitted by this generation is k = sum of flags (past +
 * current), and the logits are one-hot (value `ON`) at tape[min(k, last)].
 * So: a fresh `generate` call (new prefill) restarts the tape; a one-token
 * prompt or a warm-up run of any length works; each row of a batch counts on
 * its own; after the tape's last entry (`<|im_end|>`) it repeats that entry.
 * Every kept position gets the same row (only the last one matters to greedy).
 */
import { GraphBuilder, type GraphProto } from './onnx-builder.ts';

/** Logit of the chosen token; all others are 0. */
export const ON = 100;

export interface TapeGraphSpec {
  /** Token ids to emit, in order; the last one (end of turn) repeats forever. */
  tape: number[];
  vocabSize: number;
  /** Declare `num_logits_to_keep` (default true). */
  numLogitsToKeep?: boolean;
}

export function buildTapeGraph(spec: TapeGraphSpec): GraphProto {
  if (spec.tape.length === 0) throw new Error('tape must hold at least the end-of-turn token');
  const g = new GraphBuilder('tape');
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  g.input('position_ids', 'int64', ['batch_size', 'sequence_length']);
  const pastK = g.input('past_key_values.0.key', 'float32', ['batch_size', 1, 'past_sequence_length', 1]);
  const pastV = g.input('past_key_values.0.value', 'float32', ['batch_size', 1, 'past_sequence_length', 1]);
  const keepIn = spec.numLogitsToKeep === false ? null : g.input('num_logits_to_keep', 'int64', []);

  const idsShape = g.op('Shape', [ids]);
  const batch = g.op('Gather', [idsShape, g.i64s(0)]);
  const seq = g.op('Gather', [idsShape, g.i64s(1)]);
  const pastLen = g.op('Gather', [g.op('Shape', [pastK]), g.i64s(2)]);

  // flag = 1 for a single token fed on top of a non-empty cache (a decode step)
  const isStep = g.op('And', [g.op('Equal', [seq, g.i64s(1)]), g.op('Greater', [pastLen, g.i64s(0)])]);
  const flag = g.op('Cast', [isStep], { to: 1 });
  const one = g.i64([1]);
  const flagShape = g.op('Concat', [g.op('Unsqueeze', [batch, g.i64([0])]), one, g.op('Unsqueeze', [seq, g.i64([0])]), one], {
    axis: 0,
  });
  const newFlags = g.op('Expand', [flag, flagShape]);
  const presentK = g.op('Concat', [pastK, newFlags], { axis: 2 }, { outputs: ['present.0.key'] });
  g.op('Concat', [pastV, newFlags], { axis: 2 }, { outputs: ['present.0.value'] });

  // k = emitted so far (per row); token = tape[min(k, last)]
  const k = g.op('Cast', [g.op('ReduceSum', [presentK, g.i64([1, 2, 3])], { keepdims: 0 })], { to: 7 });
  const idx = g.op('Min', [k, g.i64s(spec.tape.length - 1)]);
  const token = g.op('Gather', [g.constant('int64', undefined, spec.tape), idx]);
  const hot = g.op('OneHot', [token, g.i64([spec.vocabSize]), g.constant('float32', undefined, [0, ON])], { axis: -1 });
  const hot3 = g.op('Unsqueeze', [hot, g.i64([1])]);

  // kept positions: all when num_logits_to_keep is 0 (or absent), else min(n, seq)
  const kept = keepIn
    ? g.op('Where', [g.op('Equal', [keepIn, g.i64s(0)]), seq, g.op('Min', [keepIn, seq])])
    : seq;
  const outShape = g.op('Concat', [
    g.op('Unsqueeze', [batch, g.i64([0])]),
    g.op('Unsqueeze', [kept, g.i64([0])]),
    g.i64([spec.vocabSize]),
  ], { axis: 0 });
  g.op('Expand', [hot3, outShape], {}, { outputs: ['logits'] });

  g.output('logits', 'float32', ['batch_size', 'sequence_length', spec.vocabSize]);
  g.output('present.0.key', 'float32', ['batch_size', 1, 'total_sequence_length', 1]);
  g.output('present.0.value', 'float32', ['batch_size', 1, 'total_sequence_length', 1]);
  return g.toGraph();
}
