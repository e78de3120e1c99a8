/**
 * Which files of a Hub model repo a dtype needs: the one rule, shared by the
 * server's download (hub-download.ts) and the image's bake step
 * (scripts/fetch-model.ts). It imports nothing, so the Dockerfile can copy it
 * beside the script without the rest of the server (a code change must not
 * throw away a baked model's layer).
 */

/** File-name suffix transformers.js uses for each dtype (onnx/model<suffix>.onnx). */
export const DTYPE_FILE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  bnb4: '_bnb4',
  q4f16: '_q4f16',
} as const;

export type FileDtype = keyof typeof DTYPE_FILE_SUFFIX;

export interface RemoteFile {
  path: string;
  size: number;
}

/** onnx/model<suffix>.onnx for a dtype; throws for a dtype transformers.js does not name. */
export function onnxFileName(dtype: string): string {
  if (!Object.hasOwn(DTYPE_FILE_SUFFIX, dtype)) {
    throw new Error(`unknown dtype ${JSON.stringify(dtype)}: use one of ${Object.keys(DTYPE_FILE_SUFFIX).join(', ')}`);
  }
  return `onnx/model${DTYPE_FILE_SUFFIX[dtype as FileDtype]}.onnx`;
}

/**
 * The files of an onnx-community export that a dtype needs: its decoder
 * (onnx/model<suffix>.onnx and its external-data files) and the small files
 * at the top (config, generation config, tokenizer, chat template).
 */
export function selectModelFiles<F extends RemoteFile>(files: F[], dtype: string): F[] {
  const onnx = onnxFileName(dtype);
  return files.filter((f) => {
    if (f.path.startsWith('onnx/')) return f.path === onnx || f.path.startsWith(`${onnx}_data`);
    return !/\.(onnx|onnx_data|bin|safetensors|pt|gguf|h5|msgpack)$/i.test(f.path) && !f.path.includes('/');
  });
}
