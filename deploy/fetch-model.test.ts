/**
 * scripts/fetch-model.ts `hub` mode (the Dockerfile's BAKE_MODEL=1 step)
 * against a local stand-in for the Hub's tree and resolve routes, through
 * @huggingface/hub's `hubUrl`: only the config/tokenizer files and the one
 * ONNX variant are fetched, with the token, with progress, and a second run
 * downloads nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainFetchError, fetchFromHub } from '../scripts/fetch-model.ts';

const FILES: Record<string, Buffer> = {
  'config.json': Buffer.from('{"model_type":"qwen3"}'),
  'tokenizer.json': Buffer.from('{"version":"1.0"}'),
  'onnx/model_q4f16.onnx': Buffer.alloc(70_000, 7),
  'onnx/model_q4f16.onnx_data': Buffer.alloc(50_000, 3),
  'onnx/model_fp16.onnx': Buffer.alloc(90_000, 1),
};

const seen: { method: string; path: string; auth?: string }[] = [];
const server = createServer((req, res) => {
  const url = new URL(req.url!, 'http://x');
  seen.push({ method: req.method!, path: url.pathname, auth: req.headers.authorization });
  if (url.pathname === '/api/models/org/m/tree/main') {
    res.setHeader('Content-Type', 'application/json');
    return res.end(JSON.stringify(Object.entries(FILES).map(([path, b]) => ({ type: 'file', path, size: b.length, oid: 'x' }))));
  }
  const m = /^\/org\/m\/resolve\/main\/(.+)$/.exec(url.pathname);
  const body = m ? FILES[decodeURIComponent(m[1]!)] : undefined;
  if (!body) {
    res.writeHead(404, { 'X-Error-Code': 'EntryNotFound' });
    return res.end();
  }
  const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
  res.setHeader('ETag', '"etag"');
  if (range) {
    const start = Number(range[1]);
    const end = range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
    res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${body.length}`, 'Content-Length': end - start + 1 });
    return res.end(body.subarray(start, end + 1));
  }
  res.writeHead(200, { 'Content-Length': body.length });
  res.end(body);
});

let hubUrl = '';
let out = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  out = mkdtempSync(join(tmpdir(), 'fetch-model-'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(out, { recursive: true, force: true });
});

describe('fetch-model hub', () => {
  it('downloads the small files and one ONNX variant, with the token and progress; a re-run downloads nothing', async () => {
    const log: string[] = [];
    const got = await fetchFromHub({ model: 'org/m', dtype: 'q4f16', out, hubUrl, accessToken: 'hf_buildsecret123', log: (l) => log.push(l) });
    expect(got.sort()).toEqual(['config.json', 'onnx/model_q4f16.onnx', 'onnx/model_q4f16.onnx_data', 'tokenizer.json']);
    for (const f of got) expect(readFileSync(join(out, f)).equals(FILES[f]!)).toBe(true);
    expect(seen.some((s) => s.path.includes('model_fp16'))).toBe(false);
    expect(seen.every((s) => s.auth === 'Bearer hf_buildsecret123')).toBe(true);
    expect(log.at(-1)).toMatch(/^fetch-model: 100% /);
    expect(log.join('\n')).not.toContain('hf_buildsecret123');

    seen.length = 0;
    await fetchFromHub({ model: 'org/m', dtype: 'q4f16', out, hubUrl, accessToken: 'hf_buildsecret123', log: () => {} });
    expect(seen.filter((s) => s.path.includes('/resolve/'))).toEqual([]);
  });

  it('says which dtype is missing', async () => {
    await expect(fetchFromHub({ model: 'org/m', dtype: 'q8', out, hubUrl, log: () => {} })).rejects.toThrow(/no onnx\/model_quantized\.onnx/);
  });
});

describe('explainFetchError', () => {
  it('names the host and the hidden cause of "fetch failed"; other errors keep their message', () => {
    const offline = new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND huggingface.co') });
    expect(explainFetchError(offline, 'https://huggingface.co')).toBe('could not reach huggingface.co (getaddrinfo ENOTFOUND huggingface.co); this needs network access to it');
    expect(explainFetchError(new Error('401 Unauthorized'), 'https://huggingface.co')).toBe('401 Unauthorized');
    expect(explainFetchError('odd', undefined)).toBe('odd');
  });
});
