/**
 * Variants of a built test model, for the engine's failure-path tests: a copy
 * of the model directory whose decoder graph is edited in place.
 *
 *   await variantDir(srcDir, destDir, symbolicCacheDims)   → the cache's heads/head_dim declared symbolic
 *                                                            (transformers.js runs it; the fused loop cannot
 *                                                            size an empty cache, so it fails at run time)
 *   await variantDir(srcDir, destDir, extraInput('token_type_ids'))
 *                                                          → a decoder input neither decoder feeds (both
 *                                                            load it; both fail at run time)
 *
 * Every `onnx/*.onnx` file is rewritten (the tape model's dtype aliases are
 * hard links to one file; the copy gets files of its own).
 */
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';

const onnx = onnxProto.onnx;
type IModelProto = onnxProto.onnx.IModelProto;

export type DecoderEdit = (model: IModelProto) => void;

export async function variantDir(src: string, dest: string, edit: DecoderEdit): Promise<string> {
  await rm(dest, { recursive: true, force: true });
  await cp(src, dest, { recursive: true });
  const onnxDir = join(dest, 'onnx');
  for (const f of (await readdir(onnxDir)).filter((x) => x.endsWith('.onnx'))) {
    const file = join(onnxDir, f);
    const model = onnx.ModelProto.decode(await readFile(file)) as IModelProto;
    edit(model);
    await rm(file); // a hard link: do not write through it
    await writeFile(file, onnx.ModelProto.encode(model).finish());
  }
  return dest;
}

/** past_key_values.* declared [batch, kv_heads, past, head_dim] with symbolic heads and head_dim. */
export const symbolicCacheDims: DecoderEdit = (model) => {
  for (const input of model.graph?.input ?? []) {
    if (!input.name?.startsWith('past_key_values.')) continue;
    const dims = input.type?.tensorType?.shape?.dim ?? [];
    dims[1] = { dimParam: 'kv_heads' };
    dims[3] = { dimParam: 'head_dim' };
  }
};

/** One more int64 [batch, seq] input that no node reads (ONNX Runtime still requires it). */
export function extraInput(name: string): DecoderEdit {
  return (model) => {
    model.graph?.input?.push({
      name,
      type: { tensorType: { elemType: 7, shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }] } } },
    });
  };
}
