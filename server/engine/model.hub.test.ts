/**
 * The default path (`npm start` online): the model comes from the Hub.
 * A local HTTP server stands in for the Hub (HF_ENDPOINT), serving a tape
 * model in the Hub's URL layout; the real transformers.js downloads it into
 * CACHE_DIR with progress, the token goes to the Hub host, the fused decoder
 * finds the downloaded ONNX file, and a second start works from the cache
 * with the stand-in gone.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadyStatus } from '../../common/protocol.ts';
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
const USER = [{ role: 'user' as const, content: 'Une commande puis un paiement.' }];

describe('TransformersEngine with a Hub model (local stand-in for the Hub)', () => {
  let modelDir: string;
  let twoEosDir: string;
  let cacheDir: string;
  let server: Server;
  let hubUrl: string;
  const requests: { method: string; url: string; auth: string | undefined }[] = [];

  beforeAll(async () => {
    modelDir = await ensureTestModel({ kind: 'tape', text: TEXT });
    twoEosDir = await ensureTestModel({ kind: 'tape', text: `${TWO_EOS_TEXT}<|endoftext|>  C --> D\n` });
    const repos: Record<string, string> = { [MODEL_ID]: modelDir, [TWO_EOS_ID]: twoEosDir };
    cacheDir = await mkdtemp(path.join(tmpdir(), 'hub-cache-'));
    server = createServer((req, res) => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization });
      const rel = decodeURIComponent((req.url ?? '').split('?')[0]!);
      const repo = Object.keys(repos).find((id) => rel.startsWith(`/${id}/resolve/main/`));
      const root = repo ? repos[repo]! : '';
      const file = repo ? path.join(root, rel.slice(`/${repo}/resolve/main/`.length)) : '';
      if (rel.startsWith('/acme/private/')) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Invalid username or password."}');
        return;
      }
      if (!file || !file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
        return;
      }
      res.writeHead(200, { 'content-length': String(statSync(file).size), 'content-type': 'application/octet-stream' });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('downloads with progress into CACHE_DIR, sends the token to the Hub, decodes with the fused loop', async () => {
    const statuses: ReadyStatus[] = [];
    const engine = new TransformersEngine({ modelId: MODEL_ID, hubUrl, hfToken: TOKEN, cacheDir, device: 'cpu' });
    engine.onStatus((s) => statuses.push(s));
    const out = await gen(engine, USER);
    expect(out).toMatchObject({ text: TEXT, stopReason: 'eos' });
    expect(engine.info).toMatchObject({ device: 'cpu', dtype: 'q4', model: MODEL_ID, decoder: 'fused' });

    const got = requests.filter((r) => r.method === 'GET').map((r) => r.url);
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_q4.onnx']) {
      expect(got).toContain(`/${MODEL_ID}/resolve/main/${f}`);
    }
    expect(requests.every((r) => r.auth === `Bearer ${TOKEN}`)).toBe(true);
    // the files landed where the fused decoder looks for them
    expect(existsSync(path.join(cacheDir, MODEL_ID, 'onnx', 'model_q4.onnx'))).toBe(true);
    const pct = statuses.filter((s) => s.state === 'loading').map((s) => s.progress);
    expect(pct).toEqual([...pct].sort((a, b) => a - b));
    expect(Math.max(...pct)).toBeGreaterThanOrEqual(50);
    expect(statuses.at(-1)).toMatchObject({ state: 'ready' });
    expect(JSON.stringify(statuses)).not.toContain(TOKEN);
    await engine.dispose();
  });

  it('both decoders stop on every end-of-turn id of the downloaded generation_config.json (the fused one used to know only the tokenizer’s)', async () => {
    for (const fused of ['on', 'off'] as const) {
      const engine = new TransformersEngine({ modelId: TWO_EOS_ID, hubUrl, cacheDir, device: 'cpu', fused });
      const out = await gen(engine, USER);
      expect(engine.info).toMatchObject({ decoder: fused === 'on' ? 'fused' : 'transformers' });
      expect(out, fused).toMatchObject({ text: TWO_EOS_TEXT, stopReason: 'eos', tokens: encodeText(TWO_EOS_TEXT).length + 1 });
      await engine.dispose();
    }
  });

  it('an unknown repo fails with a message that names it and says what to do', async () => {
    const engine = new TransformersEngine({ modelId: 'acme/missing', hubUrl, cacheDir, device: 'cpu' });
    const error = await engine.load().catch((e: unknown) => e);
    expect((error as Error).message).toBe(`acme/missing was not found on ${hubUrl} (no config.json). Check MODEL_ID.`);
    expect(engine.status()).toMatchObject({ state: 'error', error: (error as Error).message });
  });

  it('a repo the Hub refuses (as it answers for private repos without a token) says to set HF_TOKEN', async () => {
    const engine = new TransformersEngine({ modelId: 'acme/private', hubUrl, cacheDir, device: 'cpu' });
    const error = await engine.load().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/refused acme\/private \(HTTP 401\).*set HF_TOKEN/);
  });

  it('an unreachable Hub with nothing cached says so and points at MODEL_PATH', async () => {
    const engine = new TransformersEngine({ modelId: MODEL_ID, hubUrl: 'http://127.0.0.1:9', cacheDir: path.join(cacheDir, 'empty'), device: 'cpu' });
    const error = await engine.load().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Could not reach http:\/\/127\.0\.0\.1:9 to download acme\/tape-flow \(.*\)\. Without internet, set MODEL_PATH/);
  });

  it('a second start with the Hub unreachable loads from the cache', async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const before = requests.length;
    const engine = new TransformersEngine({ modelId: MODEL_ID, hubUrl, cacheDir, device: 'cpu' });
    expect(await gen(engine, USER)).toMatchObject({ text: TEXT, stopReason: 'eos' });
    expect(requests.length).toBe(before);
    await engine.dispose();
  });
});
