/**
 * Puts model files on local disk for the image, with progress on stderr.
 *
 *   node --import tsx scripts/fetch-model.ts hub --model onnx-community/Qwen3-4B-Instruct-2507-ONNX --dtype q4f16 --out DIR
 *     Build time (Dockerfile, BAKE_MODEL=1): downloads the config, tokenizer and the one
 *     ONNX variant named by --dtype with @huggingface/hub. The token is read from the
 *     BuildKit secret file /run/secrets/HF_TOKEN (or HF_TOKEN in the environment), never
 *     from an argument, and never printed.
 *
 *     `--revision` (deploy.ts passes the commit it resolved) pins the weights.
 *
 *   Cloud Storage is no longer copied by hand at start: Cloud Run mounts the
 *   bucket as a read-only volume (deploy.ts cloudrun --model-path gs://…).
 *
 * Imports nothing from the server but server/engine/hub-files.ts (the one rule for
 * which files a dtype needs, shared with the server's own download; it imports
 * nothing, and the Dockerfile copies it beside this script).
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { onnxFileName, selectModelFiles, type RemoteFile } from '../server/engine/hub-files.ts';

function fmt(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(2)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

/** Counts bytes and prints "fetch-model: 41% 1.02 GiB / 2.48 GiB, 95.3 MiB/s" at most every 2 s. */
export class Progress {
  done = 0;
  readonly #start = Date.now();
  #last = 0;
  constructor(
    readonly total: number,
    readonly write: (line: string) => void = (l) => process.stderr.write(l + '\n'),
  ) {}
  add(n: number, force = false): void {
    this.done += n;
    const now = Date.now();
    if (!force && now - this.#last < 2000) return;
    this.#last = now;
    const pct = this.total ? Math.floor((100 * this.done) / this.total) : 100;
    const rate = this.done / Math.max(0.001, (now - this.#start) / 1000);
    this.write(`fetch-model: ${pct}% ${fmt(this.done)} / ${fmt(this.total)}, ${fmt(rate)}/s`);
  }
}

async function writeStream(body: ReadableStream<Uint8Array>, file: string, progress: Progress): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.part`;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      progress.add(chunk.length);
      cb(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>), counter, createWriteStream(tmp));
  renameSync(tmp, file);
}

function upToDate(file: string, size: number): boolean {
  return existsSync(file) && statSync(file).size === size;
}

// ---- Hub (build time) --------------------------------------------------------

function readBuildToken(): string | undefined {
  const secretFile = '/run/secrets/HF_TOKEN';
  if (existsSync(secretFile)) {
    const t = readFileSync(secretFile, 'utf8').trim();
    if (t) return t;
  }
  return process.env.HF_TOKEN?.trim() || undefined;
}

export async function fetchFromHub(opts: { model: string; revision?: string; dtype: string; out: string; hubUrl?: string; accessToken?: string; log?: (l: string) => void }): Promise<string[]> {
  const { listFiles, downloadFile } = await import('@huggingface/hub');
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  // A pinned revision (deploy.ts resolves the commit) downloads exactly the weights the app will load.
  const creds = { accessToken: opts.accessToken, hubUrl: opts.hubUrl, ...(opts.revision ? { revision: opts.revision } : {}) };
  const all: RemoteFile[] = [];
  for await (const f of listFiles({ repo: opts.model, recursive: true, ...creds })) {
    if (f.type === 'file') all.push({ path: f.path, size: f.size });
  }
  const wanted = selectModelFiles(all, opts.dtype);
  if (!wanted.some((f) => f.path === onnxFileName(opts.dtype))) {
    throw new Error(`${opts.model} has no ${onnxFileName(opts.dtype)}; pick another --dtype`);
  }
  const progress = new Progress(wanted.reduce((s, f) => s + f.size, 0), log);
  log(`fetch-model: ${opts.model} (${opts.dtype}), ${wanted.length} files, ${fmt(progress.total)} → ${opts.out}`);
  for (const f of wanted) {
    const target = join(opts.out, f.path);
    if (upToDate(target, f.size)) {
      progress.add(f.size);
      continue;
    }
    const blob = await downloadFile({ repo: opts.model, path: f.path, ...creds });
    if (!blob) throw new Error(`${opts.model}: ${f.path} disappeared while downloading`);
    await writeStream(blob.stream(), target, progress);
  }
  progress.add(0, true);
  return wanted.map((f) => f.path);
}

// ---- CLI -------------------------------------------------------------------------

const USAGE = 'usage: fetch-model.ts hub [--model ID] [--revision COMMIT|BRANCH] [--dtype q4f16] [--hub-url URL] --out DIR   (HF_TOKEN from the environment or a build secret)';

/** A network failure in words: which host, and the cause fetch hides in `cause`. */
export function explainFetchError(err: unknown, url: string | undefined): string {
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : null;
  if (message === 'fetch failed' && url) return `could not reach ${new URL(url).host} (${cause ?? message}); this needs network access to it`;
  return cause ? `${message} (${cause})` : message;
}

async function main(argv: string[]): Promise<void> {
  const [mode, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      model: { type: 'string', default: 'onnx-community/Qwen3-4B-Instruct-2507-ONNX' },
      dtype: { type: 'string', default: 'q4f16' },
      out: { type: 'string' },
      revision: { type: 'string' },
      'hub-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !mode || mode === '--help' || mode === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.out) throw new Error(`--out DIR is required\n${USAGE}`);
  if (mode === 'hub') {
    await fetchFromHub({ model: values.model!, revision: values.revision, dtype: values.dtype!, out: values.out, hubUrl: values['hub-url'] ?? process.env.HF_ENDPOINT, accessToken: readBuildToken() });
  } else {
    throw new Error(USAGE);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    const argv = process.argv.slice(2);
    const at = argv.indexOf('--hub-url');
    const hubUrl = (at >= 0 ? argv[at + 1] : undefined) ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co';
    process.stderr.write(`fetch-model: ${explainFetchError(err, hubUrl)}\n`);
    process.exit(1);
  });
}
