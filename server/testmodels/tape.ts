/**
 * Writes a tape model directory: greedy output = the tokens of `text`, then
 * `<|im_end|>`, whatever the prompt (see `tape-graph.ts` for how).
 *
 *   writeTapeModel(dir, text) → { tokens } (tape length, end of turn included)
 *
 * The ONNX file is `onnx/model.onnx` (fp32) with hard links under the names
 * transformers.js picks for other dtypes (`model_fp16.onnx`, `model_q4.onnx`,
 * `model_q4f16.onnx`, `model_quantized.onnx`), so the engine's default dtype
 * on any device loads it too; transformers.js sizes the empty cache from the
 * session's input types, so the fp32 cache is used whatever the file name.
 */
import { link, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeModel } from './onnx-builder.ts';
import { assertValid } from './check.ts';
import { buildTapeGraph } from './tape-graph.ts';
import { qwen3Config, writeModelFiles } from './model-dir.ts';
import { encodeText, IM_END, VOCAB_SIZE } from './tokenizer.ts';

export const TAPE_DTYPE_ALIASES = ['fp16', 'q4', 'q4f16', 'quantized'] as const;

export async function writeTapeModel(dir: string, text: string): Promise<{ tokens: number }> {
  const tape = [...encodeText(text), IM_END];
  const config = qwen3Config(
    {
      num_hidden_layers: 1,
      hidden_size: 1,
      num_attention_heads: 1,
      num_key_value_heads: 1,
      head_dim: 1,
      intermediate_size: 1,
      vocab_size: VOCAB_SIZE,
      rope_theta: 1_000_000,
      rms_norm_eps: 1e-6,
      max_position_embeddings: 262144,
    },
    { 'transformers.js_config': { dtype: 'fp32' }, test_model: { kind: 'tape', tokens: tape.length } },
  );
  await writeModelFiles(dir, config);
  const file = join(dir, 'onnx', 'model.onnx');
  const graph = buildTapeGraph({ tape, vocabSize: VOCAB_SIZE });
  assertValid(graph);
  await writeFile(file, encodeModel(graph));
  for (const alias of TAPE_DTYPE_ALIASES) {
    const aliasFile = join(dir, 'onnx', `model_${alias}.onnx`);
    await rm(aliasFile, { force: true }); // rewriting a directory in place
    await link(file, aliasFile);
  }
  return { tokens: tape.length };
}
