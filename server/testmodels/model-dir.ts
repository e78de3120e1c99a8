/**
 * Writes the non-ONNX files of a model directory in the layout transformers.js
 * loads from a local path:
 *
 *   DIR/config.json              model_type "qwen3" + shapes + transformers.js_config
 *   DIR/generation_config.json   greedy, eos = <|im_end|> (151645) and <|endoftext|> (151643)
 *   DIR/tokenizer.json, DIR/tokenizer_config.json   (chat template inside)
 *   DIR/onnx/…                   written by the graph writers
 *
 *   qwen3Config(shape, extra) → the config.json object
 *   writeModelFiles(dir, config) → writes the files above (not the ONNX)
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { END_OF_TEXT, IM_END, tokenizerFiles, VOCAB_SIZE } from './tokenizer.ts';

/** The shapes of a Qwen3 decoder (names as in Hugging Face's Qwen3Config). */
export interface Qwen3Shape {
  num_hidden_layers: number;
  hidden_size: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim: number;
  intermediate_size: number;
  vocab_size: number;
  rope_theta: number;
  rms_norm_eps: number;
  max_position_embeddings: number;
}

/** Qwen3-4B-Instruct-2507. */
export const QWEN3_4B: Qwen3Shape = {
  num_hidden_layers: 36,
  hidden_size: 2560,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  head_dim: 128,
  intermediate_size: 9728,
  vocab_size: VOCAB_SIZE,
  rope_theta: 5_000_000,
  rms_norm_eps: 1e-6,
  max_position_embeddings: 262144,
};

export type ModelConfig = Record<string, unknown>;

export function qwen3Config(shape: Qwen3Shape, extra: ModelConfig = {}): ModelConfig {
  return {
    architectures: ['Qwen3ForCausalLM'],
    model_type: 'qwen3',
    ...shape,
    hidden_act: 'silu',
    attention_bias: false,
    attention_dropout: 0,
    tie_word_embeddings: true,
    use_cache: true,
    torch_dtype: 'bfloat16',
    bos_token_id: END_OF_TEXT,
    eos_token_id: IM_END,
    ...extra,
  };
}

export const GENERATION_CONFIG = {
  bos_token_id: END_OF_TEXT,
  eos_token_id: [IM_END, END_OF_TEXT],
  pad_token_id: END_OF_TEXT,
  do_sample: false,
};

export async function writeModelFiles(dir: string, config: ModelConfig): Promise<void> {
  await mkdir(join(dir, 'onnx'), { recursive: true });
  const files = tokenizerFiles();
  await Promise.all([
    writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n'),
    writeFile(join(dir, 'generation_config.json'), JSON.stringify(GENERATION_CONFIG, null, 2) + '\n'),
    copyFile(files.tokenizerJson, join(dir, 'tokenizer.json')),
    copyFile(files.tokenizerConfig, join(dir, 'tokenizer_config.json')),
  ]);
}
