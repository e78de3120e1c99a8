/**
 * Builds the UI and starts the real server (server/main.ts) as a child
 * process on 127.0.0.1 with a random port, driving a tape model that always
 * answers `text`. Resolves once /api/ready says the model is ready, or, with
 * `waitReady: false` (e.g. LOAD_ON_START=0), as soon as it listens.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTestModel } from '../../../server/testmodels/index.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Newest modification time under the given paths (files or folders), in ms. */
function newest(paths: string[]): number {
  let t = 0;
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else t = Math.max(t, st.mtimeMs);
  };
  paths.forEach((p) => walk(resolve(ROOT, p)));
  return t;
}

/** `vite build` unless dist/ is newer than every UI source, so the e2e run always tests the current source. */
export function buildUi(): void {
  const sources = newest(['src', 'common', 'public', 'index.html', 'vite.config.ts', 'package-lock.json']);
  if (newest(['dist/index.html']) > sources) return;
  const r = spawnSync(resolve(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'error'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface TestServer {
  url: string;
  log: () => string;
  stop: () => Promise<void>;
}

export async function startServer(opts: { text: string; env?: Record<string, string>; waitReady?: boolean }): Promise<TestServer> {
  const modelPath = await ensureTestModel({ kind: 'tape', text: opts.text });
  const child: ChildProcess = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      MODEL_PATH: modelPath,
      DEVICE: 'cpu',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'info',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', r));

  const listeningPort = (): number | null => {
    for (const line of out.split('\n')) {
      if (!line.includes('"listening"')) continue;
      try {
        const rec = JSON.parse(line) as { msg?: string; port?: number };
        if (rec.msg === 'listening' && typeof rec.port === 'number') return rec.port;
      } catch {
        /* not a JSON log line */
      }
    }
    return null;
  };
  const port = await new Promise<number>((ok, fail) => {
    const timer = setInterval(() => {
      const p = listeningPort();
      if (p !== null) {
        clearInterval(timer);
        ok(p);
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      fail(new Error(`server exited (${code}) before listening:\n${out}`));
    });
    setTimeout(() => {
      clearInterval(timer);
      fail(new Error(`server did not listen within 120 s:\n${out}`));
    }, 120_000).unref();
  });
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 120_000;
  while (opts.waitReady !== false) {
    const res = await fetch(`${url}/api/ready`).catch(() => null);
    const body = (await res?.json().catch(() => null)) as { state?: string; error?: string } | null;
    if (res?.status === 200 && body?.state === 'ready') break;
    if (body?.state === 'error') throw new Error(`model failed to load: ${body.error}\n${out}`);
    if (Date.now() > deadline) throw new Error(`model not ready within 120 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url,
    log: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * The real server with ENGINE=scripted: `answer` streamed at ~15 ms a word (server/engine/scripted.ts),
 * for what a tape model is too fast to show (a diagram growing while it streams, a run in progress).
 */
export async function startScriptedServer(answer: string, env: Record<string, string> = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'scripted-'));
  const file = join(dir, 'answer.txt');
  await writeFile(file, answer);
  return startServer({ text: 'unused', env: { ENGINE: 'scripted', SCRIPTED_TEXT_FILE: file, ...env } });
}
