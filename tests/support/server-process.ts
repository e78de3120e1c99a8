/**
 * The real server as a child process (`node --import tsx server/main.ts`),
 * for tests and benches that must see what an operator sees: its event loop,
 * its signals, its exit. Binds 127.0.0.1 on a free port (PORT=0; the URL comes
 * from its `listening` log line). The one copy: tests/http/main.test.ts,
 * tests/engine/responsive.test.ts, bench/engine/responsive.ts and
 * bench/load/run.ts all start the server through it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Every stdout line (JSON logs) and stderr chunk, for assertions and failure messages. */
  lines: string[];
  exited: Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export interface StartOptions {
  /** The repository root (default: this process's cwd). */
  cwd?: string;
  /** How long to wait for the `listening` line (default 60 s). */
  listenTimeoutMs?: number;
  /** Also copy the server's stderr to ours (benches: the operator sees a crash as it happens). */
  echoStderr?: boolean;
}

/**
 * Starts the server with DEVICE=cpu, the rate limit off, a stub UI folder and
 * info logs; `env` adds to or overrides those (MODEL_PATH, DTYPE, …).
 */
export async function startServer(env: Record<string, string>, opts: StartOptions = {}): Promise<ServerProcess> {
  const cwd = opts.cwd ?? process.cwd();
  const ui = mkdtempSync(join(tmpdir(), 'ui-'));
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(cwd, 'server/main.ts')], {
    cwd,
    env: { ...process.env, DEVICE: 'cpu', PORT: '0', HOST: '127.0.0.1', UI_DIR: ui, LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buf = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // no orphan left behind by a failed start
      fail(new Error(`server did not listen:\n${lines.join('\n')}`));
    }, opts.listenTimeoutMs ?? 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        try {
          const j = JSON.parse(line) as { msg?: string; url?: string };
          if (j.msg === 'listening' && j.url) {
            clearTimeout(timer);
            ok(j.url);
          }
        } catch {
          // not a JSON log line
        }
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      lines.push(d.toString());
      if (opts.echoStderr) process.stderr.write(d);
    });
    void exited.then((code) => fail(new Error(`server exited (${code}):\n${lines.join('\n')}`)));
  });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { child, url, lines, exited, stop };
}

/** Waits until /api/ready says 200 (throws on a load error or after `timeoutMs`). */
export async function waitReady(url: string, timeoutMs = 180_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    // A keep-alive socket the server is closing can reset; just ask again.
    const r = await fetch(`${url}/api/ready`).catch(() => null);
    if (r?.status === 200) return;
    if (r) {
      const body = (await r.json()) as { state: string; error?: string };
      if (body.state === 'error') throw new Error(`load failed: ${body.error}`);
    }
    if (Date.now() - t0 > timeoutMs) throw new Error('not ready in time');
    await new Promise((res) => setTimeout(res, 100));
  }
}

/**
 * GET /api/health one after another, `gapMs` apart, until `until` settles:
 * the latencies in ms, and how many probes failed (a reset connection or an
 * error status; their time counts as a latency too).
 */
export async function probeHealth(url: string, until: Promise<unknown>, gapMs = 20): Promise<{ ms: number[]; failed: number }> {
  let done = false;
  void until.finally(() => (done = true)).catch(() => {});
  const ms: number[] = [];
  let failed = 0;
  while (!done) {
    const t = performance.now();
    try {
      const r = await fetch(`${url}/api/health`);
      await r.arrayBuffer();
      if (!r.ok) failed++;
    } catch {
      failed++;
    }
    ms.push(performance.now() - t);
    await new Promise((res) => setTimeout(res, gapMs));
  }
  return { ms, failed };
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}
