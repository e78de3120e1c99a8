/**
 * Prepares the GPU benchmark bundle on this (CPU, networked) machine:
 *
 *   npx tsx bench/gpu/prepare.ts [--out .gpu] [--dry] [--level 9]
 *
 * Into `.gpu/stage/b/` (git-ignored): this machine's `node` binary, the
 * project's production node_modules (a pruned copy of ./node_modules), and the
 * CUDA 13 provider libraries of ONNX Runtime 1.29.0 from the npm package
 * `com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9` dropped beside
 * onnxruntime-node's own `libonnxruntime.so.1`. Then `tar | xz` (the GPU
 * machine has xz, not zstd) into `.gpu/bundle.tar.xz`, split into parts that
 * fit one device call beside the working tree, `.gpu/manifest.json` (sizes,
 * sha256, commit), and prints the device calls to make.
 *
 * The project itself is not in the bundle: the working tree travels with every
 * device call, and run.sh runs from it (the report records the commit).
 *
 * `--dry`: no node_modules, no CUDA libraries, no node binary: packs a small
 * stage (package.json + a marker) with tiny parts, to test the mechanics fast.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chunkBytes, deviceCallPlan, splitFile, type Manifest } from './pack.ts';

export const CUDA_PACKAGE = 'com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9';
export const CUDA_FILES = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];

interface Args {
  out: string;
  dry: boolean;
  level: number;
  partBytes?: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { out: '.gpu', dry: false, level: 6 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--out') a.out = argv[++i]!;
    else if (k === '--dry') a.dry = true;
    else if (k === '--level') a.level = Number(argv[++i]);
    else if (k === '--part-bytes') a.partBytes = Number(argv[++i]);
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

const sh = (cmd: string, cwd?: string) => execSync(cmd, { cwd, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 }).toString();

/** Bytes of what travels with every device call (tracked + untracked-not-ignored files). */
export function workingTreeBytes(root: string): number {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root }).toString().split('\0').filter(Boolean);
  let n = 0;
  for (const f of files) {
    try {
      n += statSync(join(root, f)).size;
    } catch {
      /* deleted in the tree */
    }
  }
  return n;
}

async function stageProduction(root: string, b: string): Promise<void> {
  // a pruned copy of node_modules: same versions as tested here, no registry needed
  sh(`cp -a "${join(root, 'node_modules')}" "${b}/node_modules"`);
  await copyFile(join(root, 'package.json'), join(b, 'package.json'));
  await copyFile(join(root, 'package-lock.json'), join(b, 'package-lock.json'));
  if (existsSync(join(root, '.npmrc'))) await copyFile(join(root, '.npmrc'), join(b, '.npmrc'));
  sh('npm prune --omit=dev --no-audit --no-fund --ignore-scripts >/dev/null 2>&1', b);
  // onnxruntime-node: linux/x64 only
  const ortBin = join(b, 'node_modules/onnxruntime-node/bin/napi-v6');
  for (const d of ['darwin', 'win32', 'linux/arm64']) await rm(join(ortBin, d), { recursive: true, force: true });
  // not needed by Node: source maps, and onnxruntime-web's WebAssembly builds
  // (transformers.js imports onnxruntime-web's JS, but runs onnxruntime-node here)
  sh(`find "${b}/node_modules" -name '*.map' -type f -delete`);
  sh(`rm -f "${b}"/node_modules/onnxruntime-web/dist/*.wasm`);
  await copyFile(process.execPath, join(b, 'node'));
}

async function stageCuda(root: string, out: string, b: string): Promise<void> {
  const cache = join(out, 'cache');
  await mkdir(cache, { recursive: true });
  let tgz = (await readdir(cache)).find((f) => f.endsWith('.tgz'));
  if (!tgz) {
    sh(`npm pack ${CUDA_PACKAGE} --silent >/dev/null`, cache);
    tgz = (await readdir(cache)).find((f) => f.endsWith('.tgz'))!;
  }
  const ex = join(cache, 'x');
  if (!existsSync(join(ex, 'package/Plugins/Linux/x64', CUDA_FILES[0]!))) {
    await mkdir(ex, { recursive: true });
    sh(`tar xzf "${join(cache, tgz)}" -C "${ex}" package/Plugins/Linux/x64`);
  }
  const dest = join(b, 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64');
  for (const f of CUDA_FILES) await copyFile(join(ex, 'package/Plugins/Linux/x64', f), join(dest, f));
  void root;
}

export async function prepare(argv: string[]): Promise<Manifest> {
  const args = parseArgs(argv);
  const root = resolve(import.meta.dirname, '../..');
  const out = resolve(root, args.out);
  const stage = join(out, 'stage');
  const b = join(stage, 'b');
  await rm(stage, { recursive: true, force: true });
  for (const f of existsSync(out) ? await readdir(out) : []) if (f.startsWith('part_') || f === 'bundle.tar.xz') await rm(join(out, f));
  await mkdir(b, { recursive: true });

  const t0 = Date.now();
  if (args.dry) {
    await copyFile(join(root, 'package.json'), join(b, 'package.json'));
    await writeFile(join(b, 'DRY'), 'dry pack\n'.repeat(2000));
  } else {
    await stageProduction(root, b);
    await stageCuda(root, out, b);
  }
  console.error(`staged in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${sh(`du -sh "${b}"`).trim()}`);

  const bundle = join(out, 'bundle.tar.xz');
  const t1 = Date.now();
  sh(`tar cf - -C "${stage}" b | xz -T0 -${args.level} > "${bundle}"`);
  console.error(`xz -${args.level} in ${((Date.now() - t1) / 1000).toFixed(0)} s: ${((await stat(bundle)).size / 2 ** 20).toFixed(1)} MiB`);

  const size = args.partBytes ?? chunkBytes(workingTreeBytes(root));
  const { parts, sha256, bytes } = await splitFile(bundle, out, size);
  await rm(bundle);
  const commit = sh('git rev-parse --short HEAD', root).trim() + (sh('git status --porcelain', root).trim() ? '+dirty' : '');
  const manifest: Manifest = { bundle: 'bundle.tar.xz', bytes, sha256, parts, created: new Date().toISOString(), commit };
  await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('prepare.ts')) {
  const m = await prepare(process.argv.slice(2));
  console.log(deviceCallPlan(m));
}
