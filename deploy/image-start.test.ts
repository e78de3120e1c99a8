/**
 * Runs the image's start command the way the container does, without Docker:
 * the Dockerfile's CMD, in the app folder, with the image's environment
 * (PORT, HOST, HOME, HF_HOME, MODEL_DIR) and MODEL_PATH pointing at the tape
 * test model. Checks /api/health and /api/ready, that a model baked into
 * MODEL_DIR is picked up when MODEL_PATH is unset, that MODEL_PATH=gs://… is
 * synced through the Cloud Storage JSON API first, and that SIGTERM reaches
 * the server (the script `exec`s it) and it exits 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
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

  it('syncs MODEL_PATH=gs://… through the Cloud Storage API (metadata token) before starting', async () => {
    const files = listFiles(model);
    const seen: string[] = [];
    const gcs: Server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      seen.push(`${req.method} ${url.pathname}${req.headers.authorization ? ' auth' : ''}`);
      if (url.pathname.endsWith('/service-accounts/default/token')) {
        res.end(JSON.stringify({ access_token: 'ya29.fake', expires_in: 3600 }));
      } else if (url.pathname === '/storage/v1/b/models-bucket/o' && url.searchParams.get('alt') === null) {
        expect(url.searchParams.get('prefix')).toBe('tape/');
        res.end(JSON.stringify({ items: files.map((f) => ({ name: `tape/${f}`, size: String(statSync(join(model, f)).size) })) }));
      } else {
        const name = decodeURIComponent(url.pathname.replace('/storage/v1/b/models-bucket/o/', ''));
        res.end(readFileSync(join(model, name.replace(/^tape\//, ''))));
      }
    });
    await new Promise<void>((r) => gcs.listen(0, '127.0.0.1', r));
    const host = `127.0.0.1:${(gcs.address() as AddressInfo).port}`;
    const target = join(home, 'synced');
    const { child, base, logs } = await startImage({ MODEL_PATH: 'gs://models-bucket/tape', MODEL_DIR: target, STORAGE_EMULATOR_HOST: `http://${host}`, GCE_METADATA_HOST: host });
    try {
      const ready = await poll(`${base}/api/ready`, (s, b) => s === 200 || b.state === 'error', 120_000, child, logs);
      expect(ready.state, JSON.stringify(ready)).toBe('ready');
      expect(listFiles(target).sort()).toEqual(files.sort());
      expect(logs()).toMatch(/fetch-model: 100%/);
      expect(seen.filter((s) => s.includes('/storage/')).every((s) => s.endsWith(' auth'))).toBe(true);
    } finally {
      await stop(child);
      gcs.closeAllConnections();
      await new Promise((r) => gcs.close(r));
    }
  }, 200_000);
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
