/**
 * Installs onnxruntime-node's CUDA execution provider libraries on purpose
 * (`npm install` skips them: see .npmrc), for the host's CUDA version.
 *
 *   npm run cuda:install -- --cuda 13      CUDA 13 host: ONNX Runtime 1.29.0 built for CUDA 13, from the npm
 *                                          package com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9 (~180 MB)
 *   npm run cuda:install -- --cuda 12      CUDA 12 host: onnxruntime-node's own installer (NuGet, needs internet)
 *   npm run cuda:install -- --check        what is installed, and which libraries the provider cannot find
 *
 * Options: --from PATH (a .tgz or unpacked copy of the CUDA 13 package, for
 * offline installs), --bin-dir DIR (target; default onnxruntime-node's native
 * folder), --dry-run (say what would happen).
 *
 * The provider and onnxruntime-node must be the same ONNX Runtime version:
 * package.json pins onnxruntime-node with `overrides`; this script refuses to
 * mix versions.
 */
import { execFile, spawn } from 'node:child_process';
import { chmod, copyFile, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { CUDA_LIBRARY_PATH_HINT, CUDA_PROVIDER_FILES, missingSharedLibraries, ortBinDir } from '../../server/engine/cuda.ts';

const run = promisify(execFile);

export const CUDA13_PACKAGE = 'com.github.asus4.onnxruntime.linux-x64-gpu';
export const CUDA13_PACKAGE_VERSION = '0.4.9';
/** ONNX Runtime version inside each known version of the CUDA 13 package. */
export const CUDA13_PACKAGE_ORT: Record<string, string> = { '0.4.9': '1.29.0' };
/** Where the libraries sit inside that package. */
export const CUDA13_PACKAGE_LIB_DIR = path.join('Plugins', 'Linux', 'x64');

export const USAGE = `usage: npm run cuda:install -- --cuda 13|12 [--from PATH] [--bin-dir DIR] [--dry-run]
       npm run cuda:install -- --check

  --cuda 13   CUDA 13 host: copy ONNX Runtime 1.29.0's CUDA 13 provider from the npm package
              ${CUDA13_PACKAGE}@${CUDA13_PACKAGE_VERSION} into onnxruntime-node
  --cuda 12   CUDA 12 host: run onnxruntime-node's own installer (downloads from NuGet; needs internet)
  --from      a .tgz or an unpacked copy of the CUDA 13 package (offline install)
  --bin-dir   install into DIR instead of onnxruntime-node's native folder
  --check     report the installed provider and any libraries it cannot find
  --dry-run   print what would be done`;

type Log = (line: string) => void;

export interface InstallOptions {
  binDir: string;
  /** onnxruntime-node's installed version (package.json). */
  ortVersion: string;
  dryRun?: boolean;
  log?: Log;
}

/** onnxruntime-node's package folder and version. */
export async function ortPackage(): Promise<{ dir: string; version: string }> {
  const dir = path.resolve(ortBinDir(), '..', '..', '..', '..');
  const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  return { dir, version: pkg.version };
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Throws unless the CUDA 13 package's ONNX Runtime matches onnxruntime-node's. */
export function checkVersions(packageVersion: string, ortVersion: string): string {
  const providerOrt = CUDA13_PACKAGE_ORT[packageVersion];
  if (!providerOrt) {
    throw new Error(
      `${CUDA13_PACKAGE}@${packageVersion} is not a known version (known: ${Object.keys(CUDA13_PACKAGE_ORT).join(', ')}); its ONNX Runtime version cannot be checked.`,
    );
  }
  if (providerOrt !== ortVersion) {
    throw new Error(
      `${CUDA13_PACKAGE}@${packageVersion} carries ONNX Runtime ${providerOrt} but onnxruntime-node is ${ortVersion}. ` +
        `Provider and core must match: pin onnxruntime-node to ${providerOrt} (package.json "overrides") and run npm install again.`,
    );
  }
  return providerOrt;
}

/**
 * Copies the provider libraries from an unpacked CUDA 13 package folder (the
 * one holding package.json) into binDir. Each file is copied to a temporary
 * name and renamed, so a failed copy never leaves half a library.
 */
export async function installFromPackageDir(pkgDir: string, options: InstallOptions): Promise<string[]> {
  const log = options.log ?? (() => {});
  const manifest = JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8')) as { name?: string; version?: string };
  if (manifest.name !== CUDA13_PACKAGE) {
    throw new Error(`${pkgDir} is not ${CUDA13_PACKAGE} (package.json name is ${JSON.stringify(manifest.name)}).`);
  }
  const providerOrt = checkVersions(manifest.version ?? '', options.ortVersion);
  const libDir = path.join(pkgDir, CUDA13_PACKAGE_LIB_DIR);
  const copied: string[] = [];
  for (const file of CUDA_PROVIDER_FILES) {
    const from = path.join(libDir, file);
    if (!(await exists(from))) throw new Error(`${from} is missing from the package.`);
  }
  if (!(await exists(options.binDir))) throw new Error(`${options.binDir} does not exist: is onnxruntime-node installed (npm install)?`);
  for (const file of CUDA_PROVIDER_FILES) {
    const from = path.join(libDir, file);
    const to = path.join(options.binDir, file);
    if (options.dryRun) {
      log(`would copy ${from} → ${to}`);
    } else {
      const tmp = `${to}.tmp-${process.pid}`;
      await copyFile(from, tmp);
      await chmod(tmp, 0o755);
      await rename(tmp, to);
      log(`installed ${to} (${((await stat(to)).size / 1e6).toFixed(1)} MB)`);
    }
    copied.push(to);
  }
  log(`CUDA 13 provider of ONNX Runtime ${providerOrt} installed for onnxruntime-node ${options.ortVersion}.`);
  return copied;
}

/** Extracts an npm .tgz into a new temp folder; returns the package folder inside. */
export async function extractTarball(tgz: string): Promise<{ pkgDir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cuda-provider-'));
  try {
    await run('tar', ['xzf', tgz, '-C', dir], { maxBuffer: 1 << 20 });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`could not extract ${tgz}: ${(error as Error).message}`);
  }
  return { pkgDir: path.join(dir, 'package'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** `npm pack` the CUDA 13 package into a temp folder; returns the .tgz path. */
export async function packCuda13(log: Log): Promise<{ tgz: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cuda-pack-'));
  const spec = `${CUDA13_PACKAGE}@${CUDA13_PACKAGE_VERSION}`;
  log(`downloading ${spec} from the npm registry (about 180 MB)…`);
  try {
    const { stdout } = await run('npm', ['pack', spec, '--pack-destination', dir, '--json', '--silent'], {
      maxBuffer: 16 << 20,
    });
    const info = JSON.parse(stdout) as { filename: string }[];
    return { tgz: path.join(dir, info[0]!.filename), cleanup: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`npm pack ${spec} failed (is the npm registry reachable?): ${(error as Error).message}`);
  }
}

/** The command and environment that runs onnxruntime-node's own CUDA 12 installer. */
export function cuda12Command(ortDir: string, env: NodeJS.ProcessEnv): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const childEnv: NodeJS.ProcessEnv = { ...env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' };
  // .npmrc's skip reaches scripts as npm_config_onnxruntime_node_install; the explicit variable wins, drop it anyway.
  delete childEnv.npm_config_onnxruntime_node_install;
  delete childEnv.ONNXRUNTIME_NODE_INSTALL_CUDA;
  return { command: process.execPath, args: [path.join(ortDir, 'script', 'install.js')], env: childEnv };
}

/** Which CUDA major a provider library was built for, from the libcublas it links. */
export function cudaMajorFromLdd(lddOutput: string): string | null {
  return /libcublas\.so\.(\d+)/.exec(lddOutput)?.[1] ?? null;
}

export async function check(binDir: string, ortVersion: string, log: Log): Promise<boolean> {
  log(`onnxruntime-node ${ortVersion}: ${binDir}`);
  let ok = true;
  for (const file of CUDA_PROVIDER_FILES) {
    const p = path.join(binDir, file);
    if (await exists(p)) log(`  ${file}: ${((await stat(p)).size / 1e6).toFixed(1)} MB`);
    else {
      log(`  ${file}: missing`);
      ok = false;
    }
  }
  if (!ok) {
    log('The CUDA provider is not installed: run `npm run cuda:install -- --cuda 13` (CUDA 13 host) or `-- --cuda 12` (CUDA 12 host).');
    return false;
  }
  const provider = path.join(binDir, CUDA_PROVIDER_FILES[0]);
  const lddOut = await run('ldd', [provider]).then(
    (r) => r.stdout,
    () => '',
  );
  const major = cudaMajorFromLdd(lddOut);
  if (major) log(`  built for CUDA ${major}`);
  const missing = await missingSharedLibraries(provider);
  if (missing === null) {
    log('  (ldd is not available: cannot check the libraries it needs)');
  } else if (missing.length > 0) {
    log(`  cannot find: ${missing.join(', ')}`);
    log(`  Put the CUDA ${major ?? ''} and cuDNN 9 library folders on LD_LIBRARY_PATH, e.g. ${CUDA_LIBRARY_PATH_HINT}.`);
    if (missing.includes('libcuda.so.1')) log('  libcuda.so.1 comes with the NVIDIA driver (absent on machines without a GPU).');
    return false;
  } else {
    log('  every library it needs is found.');
  }
  return true;
}

export async function main(argv: string[], log: Log = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        cuda: { type: 'string' },
        from: { type: 'string' },
        'bin-dir': { type: 'string' },
        check: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    log(`cuda:install: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    log(USAGE);
    return 0;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    log(`cuda:install: onnxruntime-node's CUDA provider exists only for linux/x64 (this is ${process.platform}/${process.arch}).`);
    return 1;
  }
  const ort = await ortPackage();
  const binDir = values['bin-dir'] ? path.resolve(values['bin-dir']) : ortBinDir();

  if (values.check) return (await check(binDir, ort.version, log)) ? 0 : 1;

  if (values.cuda === '13') {
    let cleanup = async () => {};
    try {
      let pkgDir: string;
      if (values.from && (await stat(values.from)).isDirectory()) {
        pkgDir = path.resolve(values.from);
      } else {
        let tgz = values.from ? path.resolve(values.from) : null;
        if (!tgz) {
          if (values['dry-run']) {
            log(`would run: npm pack ${CUDA13_PACKAGE}@${CUDA13_PACKAGE_VERSION}, extract it, and copy ${CUDA_PROVIDER_FILES.join(', ')} into ${binDir}`);
            checkVersions(CUDA13_PACKAGE_VERSION, ort.version);
            return 0;
          }
          const packed = await packCuda13(log);
          tgz = packed.tgz;
          cleanup = packed.cleanup;
        }
        const extracted = await extractTarball(tgz);
        const previous = cleanup;
        cleanup = async () => {
          await extracted.cleanup();
          await previous();
        };
        pkgDir = extracted.pkgDir;
      }
      await installFromPackageDir(pkgDir, { binDir, ortVersion: ort.version, dryRun: values['dry-run'], log });
    } catch (error) {
      log(`cuda:install: ${(error as Error).message}`);
      return 1;
    } finally {
      await cleanup();
    }
    if (!values['dry-run']) {
      log('');
      await check(binDir, ort.version, log);
      log('Run with DEVICE=cuda (or auto) and LD_LIBRARY_PATH holding the CUDA 13 + cuDNN 9 libraries.');
    }
    return 0;
  }

  if (values.cuda === '12') {
    if (values['bin-dir'] || values.from) {
      log('cuda:install: --bin-dir and --from apply to --cuda 13 only (the CUDA 12 installer writes into onnxruntime-node).');
      return 2;
    }
    if (ort.version !== CUDA13_PACKAGE_ORT[CUDA13_PACKAGE_VERSION]) {
      log(`note: onnxruntime-node is ${ort.version}; its installer fetches the matching CUDA 12 provider from NuGet.`);
    }
    const cmd = cuda12Command(ort.dir, process.env);
    if (values['dry-run']) {
      log(`would run: ONNXRUNTIME_NODE_INSTALL=cuda12 ${cmd.command} ${cmd.args.join(' ')}`);
      return 0;
    }
    log(`running onnxruntime-node's CUDA 12 installer (NuGet Microsoft.ML.OnnxRuntime.Gpu.Linux ${ort.version}; needs internet)…`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(cmd.command, cmd.args, { env: cmd.env, stdio: 'inherit', cwd: ort.dir });
      child.on('exit', (c) => resolve(c ?? 1));
      child.on('error', () => resolve(1));
    });
    if (code !== 0) {
      log(`cuda:install: onnxruntime-node's installer failed (exit ${code}). It needs access to api.nuget.org.`);
      return code;
    }
    log('');
    const ok = await check(binDir, ort.version, log);
    if (!(await exists(path.join(binDir, CUDA_PROVIDER_FILES[0])))) {
      log('cuda:install: the installer finished but the provider is not there.');
      return 1;
    }
    if (ok) log('Run with DEVICE=cuda (or auto) on a CUDA 12 + cuDNN 9 host.');
    return 0;
  }

  log(`cuda:install: say which CUDA the host has: --cuda 13 or --cuda 12 (or --check).\n\n${USAGE}`);
  return 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
