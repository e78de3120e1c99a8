import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { chooseDtype } from './files.ts';
import { fetchWithToken } from './hub.ts';
import { engineOptionsFromConfig } from './model.ts';

describe('chooseDtype', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dtype-'));
    await mkdir(path.join(dir, 'onnx'));
    await writeFile(path.join(dir, 'onnx', 'model_fp16.onnx'), '');
    await writeFile(path.join(dir, 'onnx', 'model.onnx'), '');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['auto', 'cuda', null, 'q4f16'],
    ['auto', 'cpu', null, 'q4'],
    ['fp16', 'cpu', null, 'fp16'],
    ['q8', 'cuda', null, 'q8'],
  ] as const)('%s on %s (Hub) → %s', (requested, device, local, expected) => {
    expect(chooseDtype(requested, device, local)).toBe(expected);
  });

  it('auto on a local dir picks the first preference that exists', () => {
    expect(chooseDtype('auto', 'cuda', dir)).toBe('fp16');
    expect(chooseDtype('auto', 'cpu', dir)).toBe('fp32');
    expect(chooseDtype('q4', 'cpu', dir)).toBe('q4'); // explicit wins, even if missing (clear error later)
  });
});

describe('fetchWithToken', () => {
  const calls: { url: string; auth: string | null }[] = [];
  const base = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), auth: new Headers(init?.headers).get('Authorization') });
    return new Response('ok');
  }) as typeof fetch;

  it.each([
    ['https://huggingface.co/org/m/resolve/main/config.json', 'Bearer hf_x'],
    ['https://hf.co/org/m/resolve/main/config.json', 'Bearer hf_x'],
    ['https://cdn-lfs.huggingface.co/x', 'Bearer hf_x'],
    ['https://example.com/x', null],
    ['https://evilhuggingface.co/x', null],
    ['/local/path/config.json', null],
  ])('%s → %s', async (url, auth) => {
    calls.length = 0;
    await fetchWithToken(base, 'hf_x')(url, { headers: { Range: 'bytes=0-0' } });
    expect(calls[0]).toEqual({ url, auth });
  });

  it('keeps an Authorization header the caller set', async () => {
    calls.length = 0;
    await fetchWithToken(base, 'hf_x')('https://huggingface.co/x', { headers: { Authorization: 'Bearer other' } });
    expect(calls[0]!.auth).toBe('Bearer other');
  });
});

describe('engineOptionsFromConfig', () => {
  it('maps the config fields the engine uses', () => {
    const c = loadConfig({ MODEL_PATH: '/m', DEVICE: 'cpu', DTYPE: 'fp32', HF_TOKEN: 't', MAX_NEW_TOKENS: '99' }, '/srv');
    expect(engineOptionsFromConfig(c)).toMatchObject({
      modelPath: '/m',
      device: 'cpu',
      dtype: 'fp32',
      hfToken: 't',
      maxNewTokens: 99,
      cacheDir: '/srv/.cache/models',
      revision: 'main',
    });
  });
});
