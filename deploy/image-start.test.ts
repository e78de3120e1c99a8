/**
 * Runs the image's start command the way the container does, without Docker:
 * the Dockerfile's CMD, in the app folder, with the image's environment
 * (PORT, HOST, HOME, HF_HOME, MODEL_DIR) and MODEL_PATH pointing at the tape
 * test model. Checks /api/health and /api/ready, that a model baked into
 * MODEL_DIR is picked up when MODEL_PATH is unset, that MODEL_PATH=gs://… is
 * refused at once with what to do (Cloud Run mounts the bucket instead of a
 * copy racing the startup probe), and that SIGTERM reaches
 * the server (the script `exec`s it) and it exits 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../server/testmodels/index.ts';
import { parseDockerfile } from './dockerfile.ts';

const ROOT = resolve(import.meta.dirname, '..');
const TAPE = 'flowchart TD\n  A[Start] --> B[Done]\n';

const instructions = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const last = Math.max(...instructions.map((i) => i.stage));
const CMD = JSON.parse(instructions.filter((i) => i.stage === last && i.op === 'CMD').at(-1)!.args) as string[];

let home: string;
let model: string;

beforeAll(async () => {
  model = await ensureTestModel({ kind: 'tape', text: TAPE });
  home = mkdtempSync(join(tmpdir(), 'image-home-'));
  mkdirSync(join(home, 'ui'));
  writeFileSync(join(home, 'ui', 'index.html'), '<!doctype html><title>ui</title>');
}, 300_000);

afterAll(() => rmSync(home, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** The image's environment, as the Dockerfile's ENV lines set it, re-rooted at a temporary HOME. */
function imageEnv(port: number, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_ENV: 'production' };
  for (const i of instructions.filter((x) => x.stage === last && x.op === 'ENV')) {
    for (const m of i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, '').replace('/home/user', home);
  }
  return { ...env, PORT: String(port), DEVICE: 'cpu', DTYPE: 'fp32', UI_DIR: join(home, 'ui'), CACHE_DIR: join(home, '.cache', 'models'), LOG_LEVEL: 'warn', ...extra };
}

async function startImage(extra: Record<string, string>): Promise<{ child: ChildProcess; base: string; logs: () => string }> {
  const port = await freePort();
  const child = spawn(CMD[0]!, CMD.slice(1), { cwd: ROOT, env: imageEnv(port, extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout!.on('data', (d) => (logs += d));
  child.stderr!.on('data', (d) => (logs += d));
  return { child, base: `http://127.0.0.1:${port}`, logs: () => logs };
}

async function poll(url: string, ok: (status: number, body: Record<string, unknown>) => boolean, ms: number, child: ChildProcess, logs: () => string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the start command exited ${child.exitCode}:\n${logs()}`);
    try {
      const res = await fetch(url);
      const body = (await res.json()) as Record<string, unknown>;
      last = `${res.status} ${JSON.stringify(body)}`;
      if (ok(res.status, body)) return body;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out on ${url}; last: ${last}\n${logs()}`);
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const done = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await done;
  clearTimeout(timer);
  return code;
}

describe('the image start command', () => {
  it('serves /api/health at once and /api/ready with MODEL_PATH, and exits 0 on SIGTERM', async () => {
    const { child, base, logs } = await startImage({ MODEL_PATH: model });
    try {
      const health = await poll(`${base}/api/health`, (s) => s === 200, 60_000, child, logs);
      expect(health.ok).toBe(true);
      const ready = await poll(`${base}/api/ready`, (s, b) => s === 200 || b.state === 'error', 120_000, child, logs);
      expect(ready.state, JSON.stringify(ready)).toBe('ready');
    } finally {
      expect(await stop(child)).toBe(0);
    }
  }, 200_000);

  it('uses a model baked into MODEL_DIR when MODEL_PATH is unset', async () => {
    const baked = join(home, 'models', 'model');
    cpSync(model, baked, { recursive: true });
    const { child, base, logs } = await startImage({ MODEL_DIR: baked });
    try {
      const ready = await poll(`${base}/api/ready`, (s, b) => s === 200 || b.state === 'error', 120_000, child, logs);
      expect(ready.state, JSON.stringify(ready)).toBe('ready');
    } finally {
      await stop(child);
    }
  }, 200_000);

  it('refuses MODEL_PATH=gs://… at once, saying to mount the bucket as a volume', async () => {
    const { child, logs } = await startImage({ MODEL_PATH: 'gs://models-bucket/tape' });
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(64);
    expect(logs()).toContain('Mount the bucket as a volume');
    expect(logs()).toContain('deploy.ts cloudrun --model-path gs://models-bucket/tape');
  }, 60_000);
});

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}
