/**
 * The default path (`npm start` online): the model comes from the Hub.
 * A local HTTP server stands in for the Hub (HF_ENDPOINT): its API route
 * (`/api/models/<id>/revision/<rev>?blobs=true`: commit + files with sizes)
 * and its file route (`/<id>/resolve/<rev>/<path>`, with Range), serving test
 * models. The engine downloads each needed file once into
 * CACHE_DIR/hub/<id>/snapshots/<commit>, with progress and the token, then
 * loads that folder like MODEL_PATH: the fused ONNX session is the only model
 * session. An interrupted download is resumed; a second start works from the
 * cache with the stand-in gone.
 */
import * as ort from 'onnxruntime-node';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReadyStatus } from '../../common/protocol.ts';
import { createLogger } from '../log.ts';
import { ensureTestModel } from '../testmodels/index.ts';
import { encodeText } from '../testmodels/tokenizer.ts';
import { TransformersEngine } from './model.ts';
import { gen } from '../testmodels/generate.ts';

const TEXT = 'flowchart LR\n  A[Commande] --> B[Paiement]\n';
const MODEL_ID = 'acme/tape-flow';
const TOKEN = 'hf_standin_token_123';
// A second repo whose tape ends its turn with <|endoftext|>: the second id of generation_config.json's eos list.
const TWO_EOS_ID = 'acme/two-eos';
const TWO_EOS_TEXT = 'flowchart LR\n  A --> B';
// The same files as MODEL_ID; the stand-in cuts its decoder's first download halfway.
const FLAKY_ID = 'acme/flaky';
const USER = [{ role: 'user' as const, content: 'Une commande puis un paiement.' }];
const sha = (n: number) => String(n).repeat(40);

/** Every file under dir, as repo paths. */
function listRepo(dir: string, rel = ''): { rfilename: string; size: number }[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? listRepo(dir, p) : [{ rfilename: p, size: statSync(path.join(dir, p)).size }];
  });
}

/** Snapshot files left half-written (`.part`) under a folder. */
function partFiles(dir: string): string[] {
  return existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.part')) : [];
}

describe('TransformersEngine with a Hub model (local stand-in for the Hub)', () => {
  let modelDir: string;
  let twoEosDir: string;
  let cacheDir: string;
  let server: Server;
  let hubUrl: string;
  const requests: { method: string; url: string; auth: string | undefined; range: string | undefined }[] = [];
  const cutOnce = new Set<string>();
  // Every ONNX Runtime session created (transformers.js's and the fused loop's alike), still created for real.
  const sessions = vi.spyOn(ort.InferenceSession, 'create');

  beforeAll(async () => {
    modelDir = await ensureTestModel({ kind: 'tape', text: TEXT });
    twoEosDir = await ensureTestModel({ kind: 'tape', text: `${TWO_EOS_TEXT}<|endoftext|>  C --> D\n` });
    const repos: Record<string, { dir: string; sha: string }> = {
      [MODEL_ID]: { dir: modelDir, sha: sha(1) },
      [TWO_EOS_ID]: { dir: twoEosDir, sha: sha(2) },
      [FLAKY_ID]: { dir: modelDir, sha: sha(3) },
    };
    cutOnce.add(`/${FLAKY_ID}/resolve/${sha(3)}/onnx/model_q4.onnx`);
    cacheDir = await mkdtemp(path.join(tmpdir(), 'hub-cache-'));
    server = createServer((req, res) => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, range: req.headers.range });
      const url = new URL(req.url ?? '/', 'http://x');
      const rel = decodeURIComponent(url.pathname);
      if (rel.startsWith('/acme/private/') || rel.startsWith('/api/models/acme/private/')) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Invalid username or password."}');
        return;
      }
      const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(rel);
      if (api) {
        const repo = repos[api[1]!];
        if (!repo || (api[2] !== 'main' && api[2] !== repo.sha)) {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Repository not found"}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: api[1], sha: repo.sha, siblings: listRepo(repo.dir) }));
        return;
      }
      const id = Object.keys(repos).find((k) => rel.startsWith(`/${k}/resolve/`));
      const repo = id ? repos[id]! : null;
      const rest = id ? rel.slice(`/${id}/resolve/`.length) : '';
      const rev = rest.split('/')[0];
      const file = repo && (rev === 'main' || rev === repo.sha) ? path.join(repo.dir, rest.slice(rev!.length + 1)) : '';
      if (!file || !file.startsWith(repo!.dir) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
        return;
      }
      const size = statSync(file).size;
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const start = range ? Number(range[1]) : 0;
      res.writeHead(range ? 206 : 200, { 'content-length': String(size - start), 'content-type': 'application/octet-stream', ...(range ? { 'content-range': `bytes ${start}-${size - 1}/${size}` } : {}) });
      if (req.method === 'HEAD') {
        res.end();
      } else if (cutOnce.delete(rel)) {
        // The connection ends halfway through the body, once the engine has written that half to its
        // .part file (fetch drops bytes it received but nobody read yet when the body fails).
        const half = Math.floor((size - start) / 2);
        const part = path.join(cacheDir, 'hub', id!, 'snapshots', repo!.sha, `${rest.slice(rev!.length + 1)}.part`);
        res.write(readFileSync(file).subarray(start, start + half), async () => {
          for (let i = 0; i < 500 && !(existsSync(part) && statSync(part).size >= start + half); i++) await new Promise((r) => setTimeout(r, 20));
          res.socket?.end();
        });
      } else {
        createReadStream(file, { start }).pipe(res);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('downloads each file once with progress into CACHE_DIR, sends the token to the Hub, and the fused session is the only model session', async () => {
    const statuses: ReadyStatus[] = [];
    const logLines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (l: string) => void logLines.push(l) } });
    const engine = new TransformersEngine({ modelId: MODEL_ID, hubUrl, hfToken: TOKEN, cacheDir, device: 'cpu', logger });
    engine.onStatus((s) => statuses.push(s));
    sessions.mockClear();
    const out = await gen(engine, USER);
    expect(out).toMatchObject({ text: TEXT, stopReason: 'eos' });
    expect(engine.info).toMatchObject({ device: 'cpu', dtype: 'q4', model: MODEL_ID, decoder: 'fused' });
    // one ONNX session for the whole load: the fused loop's (transformers.js built none)
    expect(sessions).toHaveBeenCalledTimes(1);
    expect(logLines.join('')).not.toMatch(/through transformers\.js/);

    const got = requests.filter((r) => r.method === 'GET').map((r) => r.url);
    expect(got.filter((u) => u.startsWith('/api/'))).toEqual([`/api/models/${MODEL_ID}/revision/main?blobs=true`]);
    const files = got.filter((u) => !u.startsWith('/api/'));
    // each file once, from the commit the API named, and only the q4 decoder of the variants
    expect(new Set(files).size).toBe(files.length);
    for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_q4.onnx']) {
      expect(files).toContain(`/${MODEL_ID}/resolve/${sha(1)}/${f}`);
    }
    expect(files.filter((u) => u.includes('/onnx/'))).toEqual([`/${MODEL_ID}/resolve/${sha(1)}/onnx/model_q4.onnx`]);
    expect(requests.every((r) => r.auth === `Bearer ${TOKEN}`)).toBe(true);
    // the files are in the snapshot folder, whole, and nothing half-written is left
    const snap = path.join(cacheDir, 'hub', MODEL_ID, 'snapshots', sha(1));
    expect(readFileSync(path.join(snap, 'onnx', 'model_q4.onnx')).equals(readFileSync(path.join(modelDir, 'onnx', 'model_q4.onnx')))).toBe(true);
    expect(readFileSync(path.join(cacheDir, 'hub', MODEL_ID, 'refs', 'main'), 'utf8')).toBe(sha(1));
    expect(partFiles(cacheDir)).toEqual([]);
    const pct = statuses.filter((s) => s.state === 'loading').map((s) => s.progress);
    expect(pct).toEqual([...pct].sort((a, b) => a - b));
    expect(Math.max(...pct)).toBeGreaterThanOrEqual(50);
    expect(statuses.some((s) => /^Downloading model files/.test(s.message))).toBe(true);
    expect(statuses.at(-1)).toMatchObject({ state: 'ready' });
    expect(JSON.stringify(statuses)).not.toContain(TOKEN);
    expect(logLines.join('')).not.toContain(TOKEN);
    await engine.dispose();

    // a second start online asks the API which commit main is, and downloads nothing
    const before = requests.length;
    const again = new TransformersEngine({ modelId: MODEL_ID, hubUrl, hfToken: TOKEN, cacheDir, device: 'cpu' });
    await again.load();
    expect(requests.slice(before).map((r) => r.url)).toEqual([`/api/models/${MODEL_ID}/revision/main?blobs=true`]);
    await again.dispose();
  });

  it('both decoders stop on every end-of-turn id of the downloaded generation_config.json (the fused one used to know only the tokenizer’s)', async () => {
    for (const fused of ['on', 'off'] as const) {
      const engine = new TransformersEngine({ modelId: TWO_EOS_ID, hubUrl, cacheDir, device: 'cpu', fused });
      sessions.mockClear();
      const out = await gen(engine, USER);
      expect(engine.info).toMatchObject({ decoder: fused === 'on' ? 'fused' : 'transformers' });
      expect(out, fused).toMatchObject({ text: TWO_EOS_TEXT, stopReason: 'eos', tokens: encodeText(TWO_EOS_TEXT).length + 1 });
      // the session spy sees transformers.js's sessions too (FUSED=off builds one from the downloaded folder)
      expect(sessions).toHaveBeenCalledTimes(1);
      await engine.dispose();
    }
  });

  it('an interrupted download fails with what to do, leaves only a .part file, and the next start resumes it', async () => {
    const snap = path.join(cacheDir, 'hub', FLAKY_ID, 'snapshots', sha(3));
    const decoder = path.join(snap, 'onnx', 'model_q4.onnx');
    const first = new TransformersEngine({ modelId: FLAKY_ID, hubUrl, cacheDir, device: 'cpu', retryBackoffMs: 0 });
    const error = await first.load().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^The download of onnx\/model_q4\.onnx stopped at .* MB \(.*\); the next attempt resumes it\.$/);
    await first.dispose();
    expect(existsSync(decoder)).toBe(false);
    const full = statSync(path.join(modelDir, 'onnx', 'model_q4.onnx')).size;
    const partial = statSync(`${decoder}.part`).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(full);

    const before = requests.length;
    const second = new TransformersEngine({ modelId: FLAKY_ID, hubUrl, cacheDir, device: 'cpu' });
    expect(await gen(second, USER)).toMatchObject({ text: TEXT, stopReason: 'eos' });
    const fetched = requests.slice(before).filter((r) => r.url.includes('/resolve/'));
    // only the decoder again, from where the part ended
    expect(fetched.map((r) => [r.url, r.range])).toEqual([[`/${FLAKY_ID}/resolve/${sha(3)}/onnx/model_q4.onnx`, `bytes=${partial}-`]]);
    expect(readFileSync(decoder).equals(readFileSync(path.join(modelDir, 'onnx', 'model_q4.onnx')))).toBe(true);
    expect(partFiles(snap)).toEqual([]);
    await second.dispose();
  });

  it('a dtype the repo lacks says which file is missing and what to set', async () => {
    const engine = new TransformersEngine({ modelId: MODEL_ID, hubUrl, cacheDir, device: 'cpu', dtype: 'bnb4' });
    const error = await engine.load().catch((e: unknown) => e);
    expect((error as Error).message).toBe(`${MODEL_ID} has no onnx/model_bnb4.onnx (DTYPE=bnb4). Set DTYPE to a variant the repo has (its onnx/ folder lists them).`);
    await engine.dispose();
  });

  it('an unknown repo fails with a message that names it and says what to do', async () => {
    const engine = new TransformersEngine({ modelId: 'acme/missing', hubUrl, cacheDir, device: 'cpu' });
    const error = await engine.load().catch((e: unknown) => e);
    expect((error as Error).message).toBe(`acme/missing was not found on ${hubUrl} (no config.json). Check MODEL_ID.`);
    expect(engine.status()).toMatchObject({ state: 'error', error: (error as Error).message });
    await engine.dispose();
  });

  it('a repo the Hub refuses (as it answers for private repos without a token) says to set HF_TOKEN', async () => {
    const engine = new TransformersEngine({ modelId: 'acme/private', hubUrl, cacheDir, device: 'cpu' });
    const error = await engine.load().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/refused acme\/private \(HTTP 401\).*set HF_TOKEN/);
    await engine.dispose();
  });

  it('an unreachable Hub with nothing cached says so and points at MODEL_PATH', async () => {
    const engine = new TransformersEngine({ modelId: MODEL_ID, hubUrl: 'http://127.0.0.1:9', cacheDir: path.join(cacheDir, 'empty'), device: 'cpu' });
    const error = await engine.load().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Could not reach http:\/\/127\.0\.0\.1:9 to download acme\/tape-flow \(.*\)\. Without internet, set MODEL_PATH/);
    await engine.dispose();
  });

  it('a second start with the Hub unreachable loads from the cache (the branch’s last commit, or a pinned commit without asking)', async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const before = requests.length;
    for (const revision of ['main', sha(1)]) {
      const engine = new TransformersEngine({ modelId: MODEL_ID, hubUrl, cacheDir, device: 'cpu', revision });
      sessions.mockClear();
      expect(await gen(engine, USER), revision).toMatchObject({ text: TEXT, stopReason: 'eos' });
      expect(sessions).toHaveBeenCalledTimes(1);
      await engine.dispose();
    }
    expect(requests.length).toBe(before);
  });
});
