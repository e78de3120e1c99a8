import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUDA_PROVIDER_FILES, cudaPrecheck, explainCudaFailure, ortBinDir, parseLddMissing } from './cuda.ts';

const LDD_CUDA13_NO_LIBS = `
	linux-vdso.so.1 (0x00007f45e3aae000)
	libcublasLt.so.13 => not found
	libcublas.so.13 => not found
	libcurand.so.10 => not found
	libcudart.so.13 => /usr/local/cuda-13.0/lib/libcudart.so.13 (0x00007f45d5800000)
	libcuda.so.1 => not found
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f45e3a95000)
`;

describe('ortBinDir', () => {
  it("is onnxruntime-node's native folder, which holds libonnxruntime", async () => {
    const dir = ortBinDir();
    expect(dir).toMatch(/onnxruntime-node[/\\]bin[/\\]napi-v6[/\\]/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(path.join(dir, 'onnxruntime_binding.node'))).toBe(true);
  });
});

describe('parseLddMissing', () => {
  it('lists the "not found" libraries', () => {
    expect(parseLddMissing(LDD_CUDA13_NO_LIBS)).toEqual(['libcublasLt.so.13', 'libcublas.so.13', 'libcurand.so.10', 'libcuda.so.1']);
    expect(parseLddMissing('\tlibc.so.6 => /lib/libc.so.6 (0x1)\n')).toEqual([]);
    expect(parseLddMissing('')).toEqual([]);
  });
});

describe('cudaPrecheck and explainCudaFailure', () => {
  let empty: string;
  let installed: string;

  beforeAll(async () => {
    empty = await mkdtemp(path.join(tmpdir(), 'ort-empty-'));
    installed = await mkdtemp(path.join(tmpdir(), 'ort-installed-'));
    for (const f of CUDA_PROVIDER_FILES) await writeFile(path.join(installed, f), 'fake');
  });

  afterAll(async () => {
    await rm(empty, { recursive: true, force: true });
    await rm(installed, { recursive: true, force: true });
  });

  it('without provider files: not possible, names the files and the install command', () => {
    const pre = cudaPrecheck(empty);
    expect(pre.possible).toBe(false);
    expect(pre.missingFiles).toEqual([...CUDA_PROVIDER_FILES]);
    expect(pre.reason).toMatch(/npm run cuda:install -- --cuda 13/);
    expect(pre.reason).toMatch(/--cuda 12/);
    expect(pre.reason).toContain(empty);
  });

  it('with provider files: possible', () => {
    expect(cudaPrecheck(installed)).toMatchObject({ possible: true, reason: null, missingFiles: [] });
  });

  it('this CPU machine has no provider installed (the project default)', () => {
    expect(cudaPrecheck().possible).toBe(false);
  });

  it('missing CUDA 13 libraries and driver: says which, LD_LIBRARY_PATH, the driver, and the CUDA 12 alternative', async () => {
    const message = await explainCudaFailure(new Error('Failed to load shared library'), {
      binDir: installed,
      missingLibraries: parseLddMissing(LDD_CUDA13_NO_LIBS),
    });
    expect(message).toMatch(/cannot find libcublasLt\.so\.13, libcublas\.so\.13, libcurand\.so\.10, libcuda\.so\.1/);
    expect(message).toMatch(/NVIDIA GPU driver/);
    expect(message).toMatch(/CUDA 13 runtime libraries and cuDNN 9/);
    expect(message).toMatch(/LD_LIBRARY_PATH/);
    expect(message).toMatch(/npm run cuda:install -- --cuda 12/);
    expect(message).toMatch(/DEVICE=cpu/);
  });

  it('only the driver missing: no toolkit advice', async () => {
    const message = await explainCudaFailure(new Error('x'), { binDir: installed, missingLibraries: ['libcuda.so.1'] });
    expect(message).toMatch(/NVIDIA GPU driver/);
    expect(message).not.toMatch(/LD_LIBRARY_PATH/);
  });

  it('nothing missing: passes the error on with the checklist', async () => {
    const message = await explainCudaFailure(new Error('CUDA failure 100: no CUDA-capable device is detected'), {
      binDir: installed,
      missingLibraries: [],
    });
    expect(message).toMatch(/no CUDA-capable device/);
    expect(message).toMatch(/nvidia-smi/);
  });

  it('provider not installed: the precheck reason', async () => {
    expect(await explainCudaFailure(new Error('x'), { binDir: empty })).toMatch(/not installed/);
  });

  it('looks libraries up with ldd when not given (a fake .so is "not a dynamic executable": no list)', async () => {
    const message = await explainCudaFailure(new Error('boom'), { binDir: installed });
    expect(message).toMatch(/boom/);
  });
});
