/**
 * scripts/cuda/install.ts on a fake CUDA 13 package (no 180 MB download):
 * copy logic, version checks, tarball path, CUDA 12 command, argument errors.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkVersions,
  CUDA13_PACKAGE,
  CUDA13_PACKAGE_LIB_DIR,
  cuda12Command,
  cudaMajorFromLdd,
  extractTarball,
  installFromPackageDir,
  main,
} from '../../scripts/cuda/install.ts';

const run = promisify(execFile);

let work: string;
let pkgDir: string;
let binDir: string;

async function fakePackage(dir: string, version = '0.4.9', name = CUDA13_PACKAGE) {
  await mkdir(path.join(dir, CUDA13_PACKAGE_LIB_DIR), { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name, version }));
  await writeFile(path.join(dir, CUDA13_PACKAGE_LIB_DIR, 'libonnxruntime_providers_cuda.so'), 'CUDA PROVIDER');
  await writeFile(path.join(dir, CUDA13_PACKAGE_LIB_DIR, 'libonnxruntime_providers_shared.so'), 'SHARED');
  await writeFile(path.join(dir, CUDA13_PACKAGE_LIB_DIR, 'libonnxruntime_providers_tensorrt.so'), 'TRT');
}

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'cuda-install-'));
  pkgDir = path.join(work, 'package');
  binDir = path.join(work, 'bin');
  await mkdir(binDir);
  await fakePackage(pkgDir);
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('checkVersions', () => {
  it.each([
    ['0.4.9', '1.29.0', null],
    ['0.4.9', '1.22.0', /carries ONNX Runtime 1\.29\.0 but onnxruntime-node is 1\.22\.0.*overrides/],
    ['0.1.0', '1.29.0', /not a known version/],
  ])('package %s with onnxruntime-node %s', (pkg, ort, error) => {
    if (error) expect(() => checkVersions(pkg, ort)).toThrow(error);
    else expect(checkVersions(pkg, ort)).toBe('1.29.0');
  });

  it("the project's pinned onnxruntime-node matches the CUDA 13 package", async () => {
    const root = JSON.parse(await readFile(path.resolve('package.json'), 'utf8'));
    expect(root.overrides['onnxruntime-node']).toBe('1.29.0');
    expect(root.dependencies['onnxruntime-node']).toBe('1.29.0');
    const installed = JSON.parse(await readFile(path.resolve('node_modules/onnxruntime-node/package.json'), 'utf8'));
    expect(() => checkVersions('0.4.9', installed.version)).not.toThrow();
    expect(root.scripts['cuda:install']).toMatch(/scripts\/cuda\/install\.ts/);
  });

  it('.npmrc keeps npm install offline-safe', async () => {
    expect(await readFile(path.resolve('.npmrc'), 'utf8')).toMatch(/^onnxruntime-node-install=skip$/m);
  });
});

describe('installFromPackageDir', () => {
  it('copies the two provider libraries (not TensorRT), executable', async () => {
    const log: string[] = [];
    const copied = await installFromPackageDir(pkgDir, { binDir, ortVersion: '1.29.0', log: (l) => log.push(l) });
    expect(copied.map((p) => path.basename(p))).toEqual(['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so']);
    expect((await readdir(binDir)).sort()).toEqual(['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so']);
    expect(await readFile(path.join(binDir, 'libonnxruntime_providers_cuda.so'), 'utf8')).toBe('CUDA PROVIDER');
    expect((await stat(path.join(binDir, 'libonnxruntime_providers_cuda.so'))).mode & 0o777).toBe(0o755);
    expect(log.at(-1)).toMatch(/ONNX Runtime 1\.29\.0 installed/);
  });

  it('replaces an older copy', async () => {
    await writeFile(path.join(binDir, 'libonnxruntime_providers_cuda.so'), 'OLD');
    await installFromPackageDir(pkgDir, { binDir, ortVersion: '1.29.0' });
    expect(await readFile(path.join(binDir, 'libonnxruntime_providers_cuda.so'), 'utf8')).toBe('CUDA PROVIDER');
  });

  it('--dry-run copies nothing', async () => {
    const log: string[] = [];
    await installFromPackageDir(pkgDir, { binDir, ortVersion: '1.29.0', dryRun: true, log: (l) => log.push(l) });
    expect(await readdir(binDir)).toEqual([]);
    expect(log[0]).toMatch(/^would copy /);
  });

  it.each([
    ['a version mismatch', async () => {}, '1.22.0', /but onnxruntime-node is 1\.22\.0/],
    ['another package', async () => fakePackage(pkgDir, '0.4.9', 'something-else'), '1.29.0', /is not com\.github\.asus4/],
    ['a missing library', async () => rm(path.join(pkgDir, CUDA13_PACKAGE_LIB_DIR, 'libonnxruntime_providers_shared.so')), '1.29.0', /shared\.so is missing/],
    ['a missing bin dir', async () => rm(binDir, { recursive: true }), '1.29.0', /does not exist: is onnxruntime-node installed/],
  ])('refuses %s and leaves the bin dir alone', async (_name, setup, ortVersion, error) => {
    await setup();
    await expect(installFromPackageDir(pkgDir, { binDir, ortVersion })).rejects.toThrow(error);
    const left = await readdir(binDir).catch(() => []);
    expect(left).toEqual([]);
  });
});

describe('tarball and main()', () => {
  async function tarball(): Promise<string> {
    const tgz = path.join(work, 'pkg.tgz');
    await run('tar', ['czf', tgz, '-C', work, 'package']);
    return tgz;
  }

  it('extractTarball unpacks an npm-style .tgz and cleans up', async () => {
    const { pkgDir: out, cleanup } = await extractTarball(await tarball());
    expect(JSON.parse(await readFile(path.join(out, 'package.json'), 'utf8')).name).toBe(CUDA13_PACKAGE);
    await cleanup();
    await expect(stat(out)).rejects.toThrow();
  });

  it('--cuda 13 --from TGZ --bin-dir DIR installs (the offline path of npm run cuda:install)', async () => {
    const log: string[] = [];
    const code = await main(['--cuda', '13', '--from', await tarball(), '--bin-dir', binDir], (l) => log.push(l));
    expect(code).toBe(0);
    expect((await readdir(binDir)).sort()).toEqual(['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so']);
    expect(log.join('\n')).toMatch(/LD_LIBRARY_PATH/);
  });

  it('--cuda 13 --from DIR works with an unpacked package', async () => {
    expect(await main(['--cuda', '13', '--from', pkgDir, '--bin-dir', binDir], () => {})).toBe(0);
    expect(await readdir(binDir)).toHaveLength(2);
  });

  it('--check reports a missing provider with exit 1', async () => {
    const log: string[] = [];
    expect(await main(['--check', '--bin-dir', binDir], (l) => log.push(l))).toBe(1);
    expect(log.join('\n')).toMatch(/missing[\s\S]*npm run cuda:install -- --cuda 13/);
  });

  it('--cuda 12 --dry-run shows the onnxruntime-node installer with the skip overridden', async () => {
    const log: string[] = [];
    expect(await main(['--cuda', '12', '--dry-run'], (l) => log.push(l))).toBe(0);
    expect(log[0]).toMatch(/ONNXRUNTIME_NODE_INSTALL=cuda12 .*onnxruntime-node[/\\]script[/\\]install\.js/);
  });

  it.each([
    [[], 2, /--cuda 13 or --cuda 12/],
    [['--cuda', '11'], 2, /--cuda 13 or --cuda 12/],
    [['--bogus'], 2, /Unknown option/],
    [['--cuda', '12', '--bin-dir', '/x'], 2, /apply to --cuda 13 only/],
    [['--help'], 0, /usage: npm run cuda:install/],
  ])('%j → exit %i', async (argv, code, message) => {
    const log: string[] = [];
    expect(await main(argv as string[], (l) => log.push(l))).toBe(code);
    expect(log.join('\n')).toMatch(message);
  });
});

describe('cuda12Command', () => {
  it('turns the .npmrc skip off for the child only', () => {
    const env = { npm_config_onnxruntime_node_install: 'skip', PATH: '/bin' };
    const cmd = cuda12Command('/x/onnxruntime-node', env);
    expect(cmd.env.ONNXRUNTIME_NODE_INSTALL).toBe('cuda12');
    expect(cmd.env.npm_config_onnxruntime_node_install).toBeUndefined();
    expect(cmd.env.PATH).toBe('/bin');
    expect(env.npm_config_onnxruntime_node_install).toBe('skip');
    expect(cmd.args).toEqual([path.join('/x/onnxruntime-node', 'script', 'install.js')]);
  });
});

describe('cudaMajorFromLdd', () => {
  it.each([
    ['\tlibcublas.so.13 => not found\n', '13'],
    ['\tlibcublas.so.12 => /usr/lib/libcublas.so.12 (0x1)\n', '12'],
    ['\tlibc.so.6 => /lib/libc.so.6\n', null],
  ])('%j → %s', (out, major) => {
    expect(cudaMajorFromLdd(out)).toBe(major);
  });
});
