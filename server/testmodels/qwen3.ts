/**
 * Writes a random-weight Qwen3 model directory that transformers.js loads.
 *
 *   writeQwen3Model(dir, { shape, dtype, seed, external?, onProgress? })
 *     → { file, dataFile, bytes }
 *
 * Files: `onnx/model.onnx` (fp32), `onnx/model_fp16.onnx`, `onnx/model_q4f16.onnx`
 * (the names transformers.js 4.3.1 derives from the dtype). With `external`
 * (default: when the weights exceed 1 GiB) the weights are streamed to
 * `onnx/<name>.onnx_data` beside the graph, and config.json says
 * `transformers.js_config.use_external_data_format: { "<name>.onnx": 1 }` so
 * transformers.js resolves that file (onnxruntime reads it through the
 * tensors' `location`, relative to the .onnx file). Memory stays at one
 * chunk of weights plus the graph's metadata.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeModel } from './onnx-builder.ts';
import { assertValid } from './check.ts';
import { qwen3Config, writeModelFiles, type Qwen3Shape } from './model-dir.ts';
import { buildQwen3Graph, defaultAttention, type Qwen3Attention, type Qwen3Dtype } from './qwen3-graph.ts';
import { WeightWriter } from './weights.ts';

export const DTYPE_SUFFIX: Record<Qwen3Dtype, string> = { fp32: '', fp16: '_fp16', q4f16: '_q4f16' };

export interface Qwen3ModelOptions {
  shape: Qwen3Shape;
  dtype: Qwen3Dtype;
  seed: number;
  /** Attention ops (default: GroupQueryAttention for q4f16, plain ops otherwise). */
  attention?: Qwen3Attention;
  /** Stream weights to external data (default: when they exceed 1 GiB). */
  external?: boolean;
  onProgress?: (message: string) => void;
}

/** Bytes of weights for a shape and dtype (estimate used to pick external data). */
export function weightBytes(s: Qwen3Shape, dtype: Qwen3Dtype): number {
  const proj = s.hidden_size * (s.num_attention_heads + 2 * s.num_key_value_heads) * s.head_dim
    + s.num_attention_heads * s.head_dim * s.hidden_size
    + 3 * s.hidden_size * s.intermediate_size;
  const embed = s.vocab_size * s.hidden_size;
  if (dtype === 'q4f16') return embed * 2 + (proj * s.num_hidden_layers + embed) * (0.5 + 2 / 32);
  return (embed + proj * s.num_hidden_layers) * (dtype === 'fp32' ? 4 : 2);
}

export async function writeQwen3Model(
  dir: string,
  opts: Qwen3ModelOptions,
): Promise<{ file: string; dataFile: string | null; bytes: number }> {
  const name = `model${DTYPE_SUFFIX[opts.dtype]}.onnx`;
  const attention = opts.attention ?? defaultAttention(opts.dtype);
  const external = opts.external ?? weightBytes(opts.shape, opts.dtype) > 2 ** 30;
  const tjs: Record<string, unknown> = { dtype: opts.dtype };
  if (external) tjs.use_external_data_format = { [name]: 1 };
  await writeModelFiles(dir, qwen3Config(opts.shape, { 'transformers.js_config': tjs, test_model: { kind: 'random-qwen3', seed: opts.seed, attention } }));

  const file = join(dir, 'onnx', name);
  const dataFile = external ? `${file}_data` : null;
  const weights = new WeightWriter({ seed: opts.seed, externalFile: dataFile ?? undefined });
  const t0 = Date.now();
  let graph;
  try {
    graph = buildQwen3Graph({
      shape: opts.shape,
      dtype: opts.dtype,
      attention,
      weights,
      onLayer: (i) =>
        opts.onProgress?.(
          `layer ${i + 1}/${opts.shape.num_hidden_layers}: ${(weights.bytes / 2 ** 30).toFixed(2)} GiB written, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
        ),
    });
  } finally {
    weights.close();
  }
  assertValid(graph);
  await writeFile(file, encodeModel(graph, { contrib: true }));
  opts.onProgress?.(`done: ${name}${dataFile ? ` + ${name}_data` : ''}, ${(weights.bytes / 2 ** 30).toFixed(2)} GiB of weights in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { file, dataFile, bytes: weights.bytes };
}
