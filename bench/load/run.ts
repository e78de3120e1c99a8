/**
 * Load test: N concurrent POST /api/generate on the tape model through the
 * real server process (tsx server/main.ts, MODEL_PATH=tape dir, DEVICE=cpu),
 * driven by autocannon on 127.0.0.1. Bounded: a fixed number of requests
 * (default 100) and a per-request timeout. Reports latency p50/p95/p99,
 * throughput, errors (must be 0: the queue is sized for the concurrency) and
 * server memory before/after, as a markdown table with machine info.
 *
 *   npm run bench:load                       (20 connections, 100 requests)
 *   npm run bench:load -- --connections 20 --amount 200 --out bench/out/load.md
 *   npm run bench:load -- --fused off        (transformers.js generate: the baseline for the fused loop)
 *
 * Exit status 1 when any request failed or got a non-2xx answer.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { ensureTestModel } from '../../server/testmodels/index.ts';
import { percentile, startServer, waitReady, type ServerProcess } from '../../tests/support/server-process.ts';

/** A typical answer: a 12-node flowchart in a fenced block (~150 tokens). */
export const TAPE_TEXT = [
  '```mermaid',
  'flowchart TD',
  '    a(["Order received"]) --> b{"Payment ok?"}',
  '    b -->|"yes"| c["Reserve stock"]',
  '    b -->|"no"| d["Notify customer"]',
  '    c --> e{"In stock?"}',
  '    e -->|"yes"| f["Pack items"]',
  '    e -->|"no"| g["Back-order"]',
  '    g --> f',
  '    f --> h["Ship"]',
  '    h --> i["Send tracking number"]',
  '    i --> j(["Done"])',
  '    d --> j',
  '```',
].join('\n');

interface Args {
  connections: number;
  amount: number;
  timeoutS: number;
  out: string | null;
  /** The engine's decoder (FUSED): compare `on` with `off` (transformers.js generate) in the same session. */
  fused: 'auto' | 'on' | 'off';
}

function args(): Args {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '20' },
      amount: { type: 'string', default: '100' },
      timeout: { type: 'string', default: '120' },
      out: { type: 'string' },
      fused: { type: 'string', default: 'auto' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('npm run bench:load -- [--connections 20] [--amount 100] [--timeout 120] [--fused auto|on|off] [--out FILE.md]\n');
    process.exit(0);
  }
  const fused = values.fused as Args['fused'];
  if (!['auto', 'on', 'off'].includes(fused)) throw new Error(`--fused must be auto, on or off (got ${values.fused})`);
  return { connections: Number(values.connections), amount: Number(values.amount), timeoutS: Number(values.timeout), out: values.out ?? null, fused };
}

/** The real server process (tests/support/server-process.ts) on the tape model, sized for the load. */
function startLoadServer(modelDir: string, queueLength: number, fused: Args['fused']): Promise<ServerProcess> {
  const env = { MODEL_PATH: modelDir, DTYPE: 'fp32', QUEUE_LENGTH: String(queueLength), ENGINE: 'transformers', FUSED: fused };
  return startServer(env, { listenTimeoutMs: 120_000, echoStderr: true });
}

/** Server memory from its own /metrics (prom-client default metrics). */
async function serverMemory(url: string): Promise<{ rssMb: number; heapMb: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const val = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMb: val('process_resident_memory_bytes') / 2 ** 20, heapMb: val('nodejs_heap_size_used_bytes') / 2 ** 20 };
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

async function main(): Promise<void> {
  const a = args();
  process.stderr.write(`building the tape model…\n`);
  const modelDir = await ensureTestModel({ kind: 'tape', text: TAPE_TEXT });
  // Every connection may wait: one runs, the others queue. Size the queue for it.
  const server = await startLoadServer(modelDir, Math.max(32, a.connections), a.fused);
  let failed = false;
  try {
    await waitReady(server.url, 120_000);
    // One warm request outside the measurement (first-call JIT, Mermaid worker start).
    const warm = await fetch(`${server.url}/api/generate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ description: 'warm-up' }) });
    const warmResult = (await warm.json()) as { valid?: boolean; tokens?: number; tokensPerSecond?: number };
    if (warm.status !== 200 || !warmResult.valid) throw new Error(`warm-up failed: ${warm.status} ${JSON.stringify(warmResult)}`);
    const before = await serverMemory(server.url);

    process.stderr.write(`autocannon: ${a.connections} connections, ${a.amount} requests…\n`);
    const latencies: number[] = [];
    const tracker = autocannon({
      url: `${server.url}/api/generate`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'Orders: payment check, stock check, pack, ship, notify the customer.' }),
      connections: a.connections,
      amount: a.amount,
      timeout: a.timeoutS,
      pipelining: 1,
    });
    tracker.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
    const result = await tracker;
    latencies.sort((x, y) => x - y);
    const pct = (p: number) => percentile(latencies, p);
    const after = await serverMemory(server.url);
    const non2xx = result.non2xx;
    const errors = result.errors + result.timeouts + non2xx;
    failed = errors > 0;

    const cpus = os.cpus();
    const lines = [
      `## Load test: POST /api/generate, tape model on CPU (${new Date().toISOString().slice(0, 10)})`,
      '',
      `${a.connections} concurrent connections, ${a.amount} requests in all, autocannon on 127.0.0.1; server: \`tsx server/main.ts\`, MODEL_PATH=tape (${warmResult.tokens} tokens per answer), DEVICE=cpu, DTYPE=fp32, FUSED=${a.fused}, QUEUE_LENGTH=${Math.max(32, a.connections)}, one generation at a time.`,
      '',
      '| metric | value |',
      '| --- | --- |',
      `| requests completed | ${result.requests.total} |`,
      `| errors (connection errors + timeouts + non-2xx) | ${errors} (${result.errors} + ${result.timeouts} + ${non2xx}) |`,
      `| latency p50 | ${fmt(pct(50))} ms |`,
      `| latency p95 | ${fmt(pct(95))} ms |`,
      `| latency p99 | ${fmt(pct(99))} ms |`,
      `| latency min / max | ${fmt(latencies[0] ?? NaN)} / ${fmt(latencies.at(-1) ?? NaN)} ms |`,
      `| throughput | ${fmt(result.requests.total / result.duration, 2)} req/s (${fmt((result.throughput.total / result.duration) / 1024, 1)} KiB/s) |`,
      `| duration | ${fmt(result.duration, 1)} s |`,
      `| tokens/s of one generation (warm-up) | ${fmt(warmResult.tokensPerSecond ?? NaN, 0)} |`,
      `| server RSS before → after | ${fmt(before.rssMb)} → ${fmt(after.rssMb)} MiB |`,
      `| server heap used before → after | ${fmt(before.heapMb)} → ${fmt(after.heapMb)} MiB |`,
      '',
      `Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}.`,
      '',
    ];
    const md = lines.join('\n');
    process.stdout.write(md);
    if (a.out) {
      mkdirSync(dirname(a.out), { recursive: true });
      writeFileSync(a.out, md);
      writeFileSync(a.out.replace(/\.md$/, '') + '.json', JSON.stringify({ args: a, latencyMs: { p50: pct(50), p95: pct(95), p99: pct(99) }, latency: result.latency, requests: result.requests, errors, non2xx, before, after }, null, 2));
    }
    if (failed) process.stderr.write(`FAILED: ${errors} errors\n`);
  } finally {
    const code = await server.stop();
    if (code !== 0) process.stderr.write(`server exit code ${code}\n`);
  }
  process.exit(failed ? 1 : 0);
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
