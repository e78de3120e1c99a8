/**
 * A Hub model's first start and its second (cached) start: load time and
 * the loading process's peak memory (VmHWM), on one layer of Qwen3-4B's width
 * (random weights, q4f16, ~1.07 GB, built by server/testmodels) served by a
 * local stand-in for the Hub (its API and file routes), CPU, no warm-up.
 * Each start is a fresh `node` process that creates the checkout's
 * TransformersEngine with an empty (first) or filled (second) CACHE_DIR.
 *
 *   npx tsx bench/engine/hub-first-start.ts                      # this checkout
 *   npx tsx bench/engine/hub-first-start.ts --repo /tmp/before   # another checkout, same model
 *
 * Prints one JSON line per checkout. Numbers for BENCHMARKS.md.
 */
import { execFile } from 'node:child_process';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { ensureTestModel } from '../../server/testmodels/index.ts';

const { values } = parseArgs({ options: { repo: { type: 'string' } } });
const repo = path.resolve(values.repo ?? process.cwd());
const MODEL_ID = 'bench/qwen3-4b-width';
const SHA = 'b'.repeat(40);

function listRepo(dir: string, rel = ''): { rfilename: string; size: number }[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? listRepo(dir, p) : [{ rfilename: p, size: statSync(path.join(dir, p)).size }];
  });
}

const modelDir = await ensureTestModel({ kind: 'qwen3-4b', layers: 1, dtype: 'q4f16' });
let bytesServed = 0;
const server = createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  if (rel.startsWith(`/api/models/${MODEL_ID}/revision/`)) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sha: SHA, siblings: listRepo(modelDir) }));
    return;
  }
  const m = new RegExp(`^/${MODEL_ID}/resolve/[^/]+/(.+)$`).exec(rel);
  const file = m ? path.join(modelDir, m[1]!) : '';
  let size = -1;
  try {
    size = file.startsWith(modelDir) ? statSync(file).size : -1;
  } catch {
    // missing
  }
  if (size < 0) {
    res.writeHead(404).end('Entry not found');
    return;
  }
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  res.writeHead(range ? 206 : 200, { 'content-length': String(size - start), ...(range ? { 'content-range': `bytes ${start}-${size - 1}/${size}` } : {}) });
  if (req.method === 'HEAD') return void res.end();
  bytesServed += size - start;
  createReadStream(file, { start }).pipe(res);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// One start in a fresh process: load, then report the load time and the process's peak memory.
const CHILD = `
const { TransformersEngine } = await import(process.env.BENCH_ENGINE);
const engine = new TransformersEngine({ modelId: ${JSON.stringify(MODEL_ID)}, hubUrl: process.env.BENCH_HUB, cacheDir: process.env.BENCH_CACHE, device: 'cpu', dtype: 'q4f16', warmup: false, constrained: 'off' });
const t0 = performance.now();
await engine.load();
const ms = Math.round(performance.now() - t0);
const status = (await import('node:fs')).readFileSync('/proc/self/status', 'utf8');
const mib = (k) => Math.round(Number(new RegExp('^' + k + ':\\\\s+(\\\\d+)', 'm').exec(status)[1]) / 1024);
console.log(JSON.stringify({ ms, decoder: engine.info?.decoder, rssMiB: mib('VmRSS'), peakMiB: mib('VmHWM') }));
await engine.dispose();
`;

async function start(cacheDir: string): Promise<Record<string, unknown>> {
  const before = bytesServed;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
    cwd: repo,
    env: { ...process.env, BENCH_ENGINE: path.join(repo, 'server/engine/model.ts'), BENCH_HUB: hubUrl, BENCH_CACHE: cacheDir },
    maxBuffer: 1 << 20,
  });
  const line = stdout.trim().split('\n').at(-1)!;
  return { ...(JSON.parse(line) as Record<string, unknown>), downloadedMB: Math.round((bytesServed - before) / 1e6) };
}

const cacheDir = await mkdtemp(path.join(tmpdir(), 'hub-first-start-'));
try {
  const first = await start(cacheDir);
  const second = await start(cacheDir);
  console.log(JSON.stringify({ repo, first, second }));
} finally {
  server.closeAllConnections();
  server.close();
  await rm(cacheDir, { recursive: true, force: true });
}
