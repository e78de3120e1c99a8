/**
 * Which files a model directory holds, and facts read from them: the ONNX
 * file for each dtype (transformers.js's naming), the dtype to load, a key of
 * config.json / generation_config.json, the size of external weight files.
 * No model code: model.ts decides what to load with these.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Dtype } from '../config.ts';
import { DTYPE_FILE_SUFFIX, onnxFileName } from './hub-files.ts';

export { DTYPE_FILE_SUFFIX } from './hub-files.ts';

export type ResolvedDevice = 'cuda' | 'cpu';
export type ConcreteDtype = Exclude<Dtype, 'auto'>;

/** dtype preference when DTYPE=auto: first is the default; the rest are tried for local dirs that lack it. */
export const AUTO_DTYPES: Record<ResolvedDevice, ConcreteDtype[]> = {
  cuda: ['q4f16', 'fp16', 'q4', 'fp32'],
  cpu: ['q4', 'q8', 'fp32', 'q4f16', 'fp16'],
};

/**
 * The dtype to load: the requested one, or for `auto` the device's default;
 * for a local directory, the first of the device's preferences whose file
 * exists (so an offline dir holding only one variant still loads).
 */
export function chooseDtype(requested: Dtype, device: ResolvedDevice, localDir: string | null): ConcreteDtype {
  if (requested !== 'auto') return requested;
  const prefs = AUTO_DTYPES[device];
  if (localDir) {
    for (const d of prefs) {
      if (existsSync(path.join(localDir, onnxFileName(d)))) return d;
    }
  }
  return prefs[0]!;
}

/** The decoder file for a dtype in a model directory (MODEL_PATH, or a Hub download's snapshot: hub-download.ts). */
export function onnxFilePath(dir: string, dtype: ConcreteDtype): string {
  return path.join(dir, onnxFileName(dtype));
}

/** A key of a model directory's JSON file (null when the file or key is missing). */
export async function readLocalJson(dir: string, file: string, key: string): Promise<unknown> {
  try {
    return (JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Record<string, unknown>)[key] ?? null;
  } catch {
    return null;
  }
}

/** Bytes of the external-data files beside an ONNX file (`<name>.onnx_data*`). */
export async function dataFilesSize(onnxFile: string): Promise<number> {
  const dir = path.dirname(onnxFile);
  const prefix = `${path.basename(onnxFile)}_data`;
  let total = 0;
  for (const f of await readdir(dir).catch(() => [] as string[])) {
    if (f.startsWith(prefix)) total += (await stat(path.join(dir, f)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
