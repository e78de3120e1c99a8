/**
 * Where onnxruntime-node looks for the CUDA execution provider, and why it
 * could not load it, in words a person can act on. No model code: model.ts
 * calls `cudaPrecheck()` before trying CUDA and `explainCudaFailure()` after
 * a failed try; `scripts/cuda/install.ts` shares `ortBinDir()`.
 *
 * onnxruntime-node (linux/x64) loads `libonnxruntime_providers_cuda.so` and
 * `libonnxruntime_providers_shared.so` from its own `bin/napi-v6/linux/x64/`.
 * Those come from `npm run cuda:install -- --cuda 13` (ONNX Runtime 1.29.0
 * built for CUDA 13) or `-- --cuda 12` (onnxruntime-node's own NuGet install).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const CUDA_PROVIDER_FILES = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'] as const;

/** Library folders of a typical CUDA 13 host; shown in hints. */
export const CUDA_LIBRARY_PATH_HINT =
  '/usr/local/cuda/targets/x86_64-linux/lib:/usr/lib/x86_64-linux-gnu (the folders holding libcublas, libcudart, libcurand and cuDNN)';

/** The folder onnxruntime-node loads its native libraries from. */
export function ortBinDir(fromDir?: string): string {
  const require = createRequire(fromDir ? path.join(fromDir, 'noop.js') : import.meta.url);
  const main = require.resolve('onnxruntime-node');
  // main is <pkg>/dist/index.js
  const pkgDir = path.resolve(path.dirname(main), '..');
  return path.join(pkgDir, 'bin', 'napi-v6', process.platform, process.arch);
}

export interface CudaPrecheck {
  /** False when CUDA cannot work here without trying (wrong platform, provider files missing). */
  possible: boolean;
  /** Why not, with what to do; null when possible. */
  reason: string | null;
  binDir: string;
  missingFiles: string[];
}

/** Cheap checks before trying the CUDA provider: platform and provider files. */
export function cudaPrecheck(binDir?: string): CudaPrecheck {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      possible: false,
      reason: `onnxruntime-node's CUDA provider exists only for linux/x64 (this is ${process.platform}/${process.arch}).`,
      binDir: binDir ?? '',
      missingFiles: [],
    };
  }
  const dir = binDir ?? ortBinDir();
  const missingFiles = CUDA_PROVIDER_FILES.filter((f) => !existsSync(path.join(dir, f)));
  if (missingFiles.length > 0) {
    return {
      possible: false,
      reason:
        `the CUDA provider libraries are not installed (${missingFiles.join(', ')} missing in ${dir}). ` +
        'Install them with `npm run cuda:install -- --cuda 13` on a CUDA 13 host or `npm run cuda:install -- --cuda 12` on a CUDA 12 host (see docs/engine.md).',
      binDir: dir,
      missingFiles,
    };
  }
  return { possible: true, reason: null, binDir: dir, missingFiles: [] };
}

/** Runs `ldd file` and returns the libraries it reports "not found"; null when ldd cannot run. */
export function missingSharedLibraries(file: string): Promise<string[] | null> {
  return new Promise((resolve) => {
    execFile('ldd', [file], { timeout: 10_000 }, (error, stdout) => {
      if (error && !stdout) return resolve(null);
      resolve(parseLddMissing(stdout));
    });
  });
}

/** The "libX.so.N => not found" entries of ldd output. */
export function parseLddMissing(lddOutput: string): string[] {
  const missing: string[] = [];
  for (const line of lddOutput.split('\n')) {
    const m = /^\s*(\S+)\s+=>\s+not found/.exec(line);
    if (m) missing.push(m[1]!);
  }
  return missing;
}

/**
 * One paragraph saying why the CUDA provider did not load and what to do.
 * `error` is what onnxruntime/transformers.js threw; `missingLibraries` is
 * what ldd reports for the provider (pass it in tests; looked up otherwise).
 */
export async function explainCudaFailure(
  error: unknown,
  options: { binDir?: string; missingLibraries?: string[] | null } = {},
): Promise<string> {
  const pre = cudaPrecheck(options.binDir);
  if (!pre.possible) return `CUDA is not available: ${pre.reason}`;
  const raw = error instanceof Error ? error.message : String(error);
  const missing =
    options.missingLibraries !== undefined
      ? options.missingLibraries
      : await missingSharedLibraries(path.join(pre.binDir, CUDA_PROVIDER_FILES[0]));
  if (missing && missing.length > 0) {
    const driver = missing.some((l) => l.startsWith('libcuda.so'));
    const cudaMajor = missing.map((l) => /^lib(?:cublas|cudart)[^.\s]*\.so\.(\d+)/.exec(l)?.[1]).find(Boolean);
    const parts = [
      `CUDA is not available: the CUDA provider in ${pre.binDir} cannot find ${missing.join(', ')}.`,
    ];
    if (driver) parts.push('libcuda.so.1 comes with the NVIDIA driver: this machine has no NVIDIA GPU driver (or the container was started without GPU access, e.g. `docker run --gpus all`).');
    const others = missing.filter((l) => !l.startsWith('libcuda.so'));
    if (others.length > 0) {
      parts.push(
        `Install the CUDA ${cudaMajor ?? ''} runtime libraries and cuDNN 9 and put their folders on LD_LIBRARY_PATH, e.g. ${CUDA_LIBRARY_PATH_HINT}.`.replace('  ', ' '),
      );
      if (cudaMajor) {
        const other = cudaMajor === '13' ? '12' : '13';
        parts.push(
          `If this host has CUDA ${other} instead, reinstall the matching provider with \`npm run cuda:install -- --cuda ${other}\`.`,
        );
      }
    }
    parts.push('Or run on the CPU with DEVICE=cpu.');
    return parts.join(' ');
  }
  return (
    `CUDA is not available: onnxruntime could not start the CUDA execution provider (${raw}). ` +
    'Check that an NVIDIA GPU is visible (`nvidia-smi`), that the provider matches the host CUDA version ' +
    '(`npm run cuda:install -- --cuda 13` or `-- --cuda 12`) and that LD_LIBRARY_PATH holds the CUDA and cuDNN libraries; or run with DEVICE=cpu.'
  );
}
