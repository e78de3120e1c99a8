/**
 * How responsive the server stays while the model works, and what it holds
 * in memory: the real server process (`node --import tsx server/main.ts`) on
 * the slowest model the CPU runs here, one layer of Qwen3-4B's width (random
 * weights, q4f16, built by server/testmodels), measured from outside:
 *
 * - GET /api/health latency (p50, p99, max), one probe every 20 ms: for 10 s
 *   with nothing running (the machine's floor), during a short-prompt generation and during a long-prompt one (prefill of ~1,600
 *   tokens);
 * - SIGTERM during that long prefill → process exit (ms);
 * - resident memory of the server process once ready (VmRSS) and its peak (VmHWM).
 *
 *   npx tsx bench/engine/responsive.ts                      # this checkout
 *   npx tsx bench/engine/responsive.ts --repo /tmp/before   # another checkout (e.g. an older main), same model
 *
 * Prints one JSON line per checkout. Numbers for BENCHMARKS.md.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureTestModel } from '../../server/testmodels/index.ts';
import { percentile, probeHealth, startServer, waitReady } from '../../tests/support/server-process.ts';

const { values } = parseArgs({ options: { repo: { type: 'string' }, new: { type: 'string', default: '20' } } });
const repo = resolve(values.repo ?? process.cwd());
const LONG = 'The customer places an order, then the warehouse checks the stock and ships it. '.repeat(200).slice(0, 7_900);

const post = (url: string, path: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal });

function memMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

function summary({ ms, failed }: { ms: number[]; failed: number }) {
  const r = (x: number) => Math.round(x * 10) / 10;
  return { probes: ms.length, failed, p50: r(percentile(ms, 50)), p99: r(percentile(ms, 99)), max: r(Math.max(...ms)) };
}

async function main(): Promise<void> {
  const model = await ensureTestModel({ kind: 'qwen3-4b', layers: 1, dtype: 'q4f16' });
  const env = { MODEL_PATH: model, SHUTDOWN_GRACE_MS: '0' };
  const proc = await startServer(env, { cwd: repo });
  try {
    const t0 = Date.now();
    await waitReady(proc.url, 600_000);
    const loadMs = Date.now() - t0;
    const memory = memMiB(proc.child.pid!);
    // the machine's floor: the same probes with nothing running
    const idle = summary(await probeHealth(proc.url, new Promise((r) => setTimeout(r, 10_000))));

    const short = post(proc.url, '/api/generate', { description: 'A customer orders; we ship.', maxNewTokens: Number(values.new) }).then((r) => r.json());
    const shortHealth = summary(await probeHealth(proc.url, short));
    const shortResult = (await short) as { tokens: number; timings: { firstTokenMs: number; generationMs: number } };

    const long = post(proc.url, '/api/generate', { description: LONG, maxNewTokens: 8 }).then((r) => r.json());
    const longHealth = summary(await probeHealth(proc.url, long));
    const longResult = (await long) as { timings: { firstTokenMs: number } };

    // SIGTERM while the long prompt is being read
    const ac = new AbortController();
    const res = await post(proc.url, '/api/generate/stream', { description: LONG, maxNewTokens: 8 }, ac.signal);
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('"type":"started"')) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    await new Promise((r) => setTimeout(r, 300));
    const peakBeforeStop = memMiB(proc.child.pid!).peak;
    const tStop = performance.now();
    proc.child.kill('SIGTERM');
    const code = await proc.exited;
    const sigtermMs = Math.round(performance.now() - tStop);
    ac.abort();

    console.log(
      JSON.stringify({
        repo,
        loadMs,
        memoryMiB: { ...memory, peak: peakBeforeStop },
        idleHealth: idle,
        shortRun: { tokens: shortResult.tokens, firstTokenMs: shortResult.timings.firstTokenMs, generationMs: shortResult.timings.generationMs, health: shortHealth },
        longRun: { prefillMs: longResult.timings.firstTokenMs, health: longHealth },
        sigterm: { exitCode: code, ms: sigtermMs },
      }),
    );
  } finally {
    if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
  }
}

await main();
