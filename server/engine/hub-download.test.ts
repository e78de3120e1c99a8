/**
 * hub-download.ts against a small stand-in for the Hub's API and file routes
 * (no model: a few byte files), for the cases the engine's Hub test does not
 * reach: a Hub that ignores Range, a body shorter than listed, a leftover
 * part larger than the file, a Hub answering 5xx, unsafe names.
 */
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hubRepoDir, HubHttpError, openHubSnapshot } from './hub-download.ts';

const SHA = 'c'.repeat(40);
const FILES: Record<string, Buffer> = {
  'config.json': Buffer.from('{"model_type":"qwen3"}'),
  'tokenizer.json': Buffer.from('{"version":"1.0"}'),
  'onnx/model_q4.onnx': Buffer.alloc(40_000, 7),
  'onnx/model_q4.onnx_data': Buffer.alloc(90_000, 3),
  'onnx/model_fp16.onnx': Buffer.alloc(50_000, 1),
};

/** How the stand-in misbehaves in one test. */
const mode = { apiStatus: 200, ignoreRange: false, shortBody: '', listed: null as null | { rfilename: string; size: number }[] };
const seen: { url: string; range?: string; auth?: string }[] = [];

let server: Server;
let hubUrl = '';
let cacheDir = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    seen.push({ url: rel, range: req.headers.range, auth: req.headers.authorization });
    if (rel === '/api/models/org/m/revision/main') {
      if (mode.apiStatus !== 200) return void res.writeHead(mode.apiStatus).end('{"error":"down"}');
      const siblings = mode.listed ?? Object.entries(FILES).map(([rfilename, b]) => ({ rfilename, size: b.length }));
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sha: SHA, siblings }));
    }
    const m = new RegExp(`^/org/m/resolve/${SHA}/(.+)$`).exec(rel);
    const body = m ? FILES[m[1]!] : undefined;
    if (!body) return void res.writeHead(404).end();
    if (mode.shortBody === m![1]) {
      const short = body.subarray(0, body.length - 10);
      return void res.writeHead(200, { 'content-length': String(short.length) }).end(short);
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && !mode.ignoreRange) {
      const start = Number(range[1]);
      return void res.writeHead(206, { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, 'content-length': String(body.length - start) }).end(body.subarray(start));
    }
    res.writeHead(200, { 'content-length': String(body.length) }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(async () => {
  Object.assign(mode, { apiStatus: 200, ignoreRange: false, shortBody: '', listed: null });
  seen.length = 0;
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  cacheDir = await mkdtemp(path.join(tmpdir(), 'hub-download-'));
});

const src = () => ({ modelId: 'org/m', revision: 'main', hubUrl, hfToken: 'hf_unit_secret', cacheDir });
const snapDir = () => path.join(cacheDir, 'hub', 'org', 'm', 'snapshots', SHA);
const decoderData = () => path.join(snapDir(), 'onnx', 'model_q4.onnx_data');

describe('openHubSnapshot + ensure', () => {
  it('downloads the dtype’s files with the token, reports bytes up to the total, and checks the config before the weights', async () => {
    const progress: number[] = [];
    const order: string[] = [];
    const snap = await openHubSnapshot(src());
    await snap.ensure('q4', {
      onProgress: ({ loaded, total }) => {
        expect(total).toBe(40_000 + 90_000 + FILES['config.json']!.length + FILES['tokenizer.json']!.length);
        progress.push(loaded);
      },
      beforeWeights: async (dir) => {
        order.push(`check ${existsSync(path.join(dir, 'config.json'))} ${existsSync(path.join(dir, 'onnx', 'model_q4.onnx'))}`);
      },
    });
    expect(order).toEqual(['check true false']);
    expect(progress.at(-1)).toBe(progress.reduce((a, b) => Math.max(a, b), 0));
    expect(progress.at(-1)).toBe(130_000 + FILES['config.json']!.length + FILES['tokenizer.json']!.length);
    for (const f of ['config.json', 'tokenizer.json', 'onnx/model_q4.onnx', 'onnx/model_q4.onnx_data']) expect(readFileSync(path.join(snap.dir, f)).equals(FILES[f]!)).toBe(true);
    expect(existsSync(path.join(snap.dir, 'onnx', 'model_fp16.onnx'))).toBe(false);
    expect(seen.every((s) => s.auth === 'Bearer hf_unit_secret')).toBe(true);
  });

  it('a Hub that ignores Range: the part is redone from the start, and the file is whole', async () => {
    mkdirSync(path.dirname(decoderData()), { recursive: true });
    writeFileSync(`${decoderData()}.part`, FILES['onnx/model_q4.onnx_data']!.subarray(0, 30_000));
    mode.ignoreRange = true;
    await (await openHubSnapshot(src())).ensure('q4');
    expect(seen.find((s) => s.url.endsWith('model_q4.onnx_data'))?.range).toBe('bytes=30000-');
    expect(readFileSync(decoderData()).equals(FILES['onnx/model_q4.onnx_data']!)).toBe(true);
    expect(existsSync(`${decoderData()}.part`)).toBe(false);
  });

  it('a leftover part larger than the listed size is thrown away, not resumed', async () => {
    mkdirSync(path.dirname(decoderData()), { recursive: true });
    writeFileSync(`${decoderData()}.part`, Buffer.alloc(95_000, 9));
    await (await openHubSnapshot(src())).ensure('q4');
    expect(seen.find((s) => s.url.endsWith('model_q4.onnx_data'))?.range).toBeUndefined();
    expect(readFileSync(decoderData()).equals(FILES['onnx/model_q4.onnx_data']!)).toBe(true);
  });

  it('a body shorter than the listed size never becomes the file: it stays a part, and the next attempt completes it', async () => {
    mode.shortBody = 'onnx/model_q4.onnx_data';
    const error = await (await openHubSnapshot(src())).ensure('q4').catch((e: unknown) => e);
    expect((error as Error).message).toBe('The download of onnx/model_q4.onnx_data ended at 89990 bytes, but the Hub lists 90000; the next attempt resumes it.');
    expect(existsSync(decoderData())).toBe(false);
    expect(statSync(`${decoderData()}.part`).size).toBe(89_990);
    mode.shortBody = '';
    await (await openHubSnapshot(src())).ensure('q4');
    expect(seen.filter((s) => s.url.endsWith('model_q4.onnx_data')).at(-1)?.range).toBe('bytes=89990-');
    expect(readFileSync(decoderData()).equals(FILES['onnx/model_q4.onnx_data']!)).toBe(true);
  });

  it('a Hub answering 5xx: the branch’s last commit from the cache, or the HTTP status when nothing is cached', async () => {
    mode.apiStatus = 503;
    const error = await openHubSnapshot(src()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubHttpError);
    expect((error as Error).message).toBe(`${hubUrl} answered HTTP 503 for org/m at main. Try again later, or set MODEL_PATH to a local model directory.`);
    mode.apiStatus = 200;
    await (await openHubSnapshot(src())).ensure('q4');
    mode.apiStatus = 503;
    const snap = await openHubSnapshot(src());
    expect(snap).toMatchObject({ commit: SHA, offline: true });
    await snap.ensure('q4');
    // offline, a dtype not downloaded yet cannot be finished: it says so and what to do
    await expect(snap.ensure('fp16')).rejects.toThrow(/only partly in .* \(onnx\/model_fp16\.onnx missing\) and the Hub could not be reached.*set MODEL_PATH/);
  });

  it('a pinned commit in the cache asks the API nothing, and still downloads a dtype it lacks by that commit', async () => {
    await (await openHubSnapshot(src())).ensure('q4');
    seen.length = 0;
    const snap = await openHubSnapshot({ ...src(), revision: SHA });
    expect(snap).toMatchObject({ commit: SHA, offline: false });
    await snap.ensure('q4');
    expect(seen).toEqual([]);
    await snap.ensure('fp16');
    expect(seen.map((s) => s.url)).toEqual([`/org/m/resolve/${SHA}/onnx/model_fp16.onnx`]);
    // a branch name is one file under refs/, whatever its characters
    expect(readFileSync(path.join(cacheDir, 'hub', 'org', 'm', 'refs', 'main'), 'utf8')).toBe(SHA);
  });

  it('refuses file names and model ids that would leave the cache folder', async () => {
    mode.listed = [{ rfilename: '../../evil.json', size: 1 }];
    await expect(openHubSnapshot(src())).rejects.toThrow('org/m: the Hub listed an unsafe file name "../../evil.json".');
    expect(() => hubRepoDir(cacheDir, '../etc')).toThrow('is not a Hub model id');
    expect(() => hubRepoDir(cacheDir, 'a/b/c')).toThrow('is not a Hub model id');
    expect(hubRepoDir('/c', 'onnx-community/Qwen3-4B-Instruct-2507-ONNX')).toBe('/c/hub/onnx-community/Qwen3-4B-Instruct-2507-ONNX');
  });
});
