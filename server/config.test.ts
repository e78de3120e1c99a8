import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_VARIABLES, ConfigError, DEFAULT_MODEL_ID, loadConfig, loadConfigWith, modelSource, redacted } from './config.ts';

const CWD = '/srv/app';
const load = (env: Record<string, string | undefined>) => loadConfig(env, CWD);

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = load({});
    expect(c).toMatchObject({
      port: 7860,
      host: '0.0.0.0',
      modelId: DEFAULT_MODEL_ID,
      modelPath: null,
      modelRevision: 'main',
      hfToken: null,
      hubUrl: 'https://huggingface.co',
      device: 'auto',
      dtype: 'auto',
      cacheDir: '/srv/app/.cache/models',
      budgetMs: 60_000,
      maxNewTokens: 4_000,
      queueLength: 32,
      concurrency: 1,
      apiKey: null,
      corsOrigins: [],
      rateLimitPerMinute: 30,
      trustProxy: 0,
      logInputs: false,
      logLevel: 'info',
      engine: 'transformers',
      scriptedTextFile: null,
      loadOnStart: true,
      fused: 'auto',
      fusedChunk: 'auto',
      fusedCache: 'carry',
      constrained: 'off',
      shutdownGraceMs: 10_000,
      uiDir: '/srv/app/dist',
      metrics: true,
      buildId: null,
    });
  });

  it('is frozen', () => {
    const c = load({ CORS_ORIGINS: 'https://a.example' });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.corsOrigins)).toBe(true);
  });

  it.each([
    ['PORT', '8080', 'port', 8080],
    ['PORT', ' 9000 ', 'port', 9000],
    ['HOST', '127.0.0.1', 'host', '127.0.0.1'],
    ['MODEL_ID', 'org/model', 'modelId', 'org/model'],
    ['MODEL_PATH', 'models/tape', 'modelPath', '/srv/app/models/tape'],
    ['MODEL_PATH', '/abs/model', 'modelPath', '/abs/model'],
    ['HF_TOKEN', 'hf_secret', 'hfToken', 'hf_secret'],
    ['DEVICE', 'CUDA', 'device', 'cuda'],
    ['DEVICE', 'cpu', 'device', 'cpu'],
    ['DTYPE', 'fp16', 'dtype', 'fp16'],
    ['DTYPE', 'q4', 'dtype', 'q4'],
    ['CACHE_DIR', '/tmp/hf', 'cacheDir', '/tmp/hf'],
    ['BUDGET_MS', '30_000', 'budgetMs', 30_000],
    ['MAX_NEW_TOKENS', '256', 'maxNewTokens', 256],
    ['QUEUE_LENGTH', '0', 'queueLength', 0],
    ['CONCURRENCY', '2', 'concurrency', 2],
    ['API_KEY', 'k', 'apiKey', 'k'],
    ['CORS_ORIGINS', 'https://a.example, https://b.example,', 'corsOrigins', ['https://a.example', 'https://b.example']],
    ['RATE_LIMIT_PER_MINUTE', '0', 'rateLimitPerMinute', 0],
    ['TRUST_PROXY', 'yes', 'trustProxy', 1],
    ['TRUST_PROXY', 'false', 'trustProxy', 0],
    ['TRUST_PROXY', '2', 'trustProxy', 2],
    ['LOG_INPUTS', '1', 'logInputs', true],
    ['LOG_INPUTS', 'false', 'logInputs', false],
    ['LOG_LEVEL', 'debug', 'logLevel', 'debug'],
    ['ENGINE', 'scripted', 'engine', 'scripted'],
    ['LOAD_ON_START', 'off', 'loadOnStart', false],
    ['FUSED', 'off', 'fused', 'off'],
    ['FUSED_CHUNK', '64', 'fusedChunk', 64],
    ['FUSED_CHUNK', 'AUTO', 'fusedChunk', 'auto'],
    ['FUSED_CACHE', 'recompute', 'fusedCache', 'recompute'],
    ['CONSTRAINED', 'on', 'constrained', 'on'],
    ['CONSTRAINED', 'AUTO', 'constrained', 'auto'],
    ['HF_ENDPOINT', 'https://hf-mirror.example/', 'hubUrl', 'https://hf-mirror.example'],
    ['METRICS', '0', 'metrics', false],
  ] as const)('%s=%j → %s', (name, value, key, expected) => {
    expect(load({ [name]: value })[key]).toEqual(expected);
  });

  it('treats empty and blank values as unset', () => {
    const c = load({ PORT: '', DEVICE: '   ', HF_TOKEN: '', API_KEY: '' });
    expect(c.port).toBe(7860);
    expect(c.device).toBe('auto');
    expect(c.hfToken).toBeNull();
    expect(c.apiKey).toBeNull();
  });

  it('ignores unrelated variables', () => {
    expect(() => load({ PATH: '/usr/bin', SOMETHING: 'x' })).not.toThrow();
  });

  it.each([
    ['PORT', 'abc', /PORT: expected a whole number, got "abc"/],
    ['PORT', '70000', /PORT: expected 0\.\.65535, got 70000/],
    ['PORT', '80.5', /PORT: expected a whole number/],
    ['DEVICE', 'gpu', /DEVICE: expected one of auto, cuda, cpu, got "gpu"/],
    ['DTYPE', 'fp8', /DTYPE: expected one of auto, fp32/],
    ['BUDGET_MS', '10', /BUDGET_MS: expected 1000\.\.3600000, got 10/],
    ['MAX_NEW_TOKENS', '0', /MAX_NEW_TOKENS: expected 1\.\.32768/],
    ['CONCURRENCY', '-1', /CONCURRENCY: expected 1\.\.64/],
    ['LOG_INPUTS', 'maybe', /LOG_INPUTS: expected 1\/0, true\/false/],
    ['ENGINE', 'pytorch', /ENGINE: expected one of transformers, scripted/],
    ['LOG_LEVEL', 'verbose', /LOG_LEVEL: expected one of/],
    ['FUSED_CHUNK', '0', /FUSED_CHUNK: expected auto or a whole number 1\.\.4096, got "0"/],
    ['FUSED_CHUNK', 'big', /FUSED_CHUNK: expected auto or a whole number/],
    ['FUSED_CACHE', 'gpu', /FUSED_CACHE: expected one of carry, recompute/],
    ['CONSTRAINED', 'yes', /CONSTRAINED: expected one of auto, on, off/],
    ['HF_ENDPOINT', 'huggingface.co', /HF_ENDPOINT: expected an http\(s\) URL/],
    ['TRUST_PROXY', 'maybe', /TRUST_PROXY: expected true\/false or a number of proxies/],
  ])('%s=%j fails with a readable message', (name, value, message) => {
    let error: unknown;
    try {
      load({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^Invalid configuration:/);
  });

  it('lists every bad variable at once', () => {
    try {
      load({ PORT: 'x', DEVICE: 'tpu' });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).problems).toHaveLength(2);
    }
  });

  it('redacted() hides secrets and keeps the rest', () => {
    const c = load({ HF_TOKEN: 'hf_abcdef', API_KEY: 'secret-key', PORT: '1234' });
    const r = redacted(c);
    expect(r.hfToken).toBe('[set]');
    expect(r.apiKey).toBe('[set]');
    expect(r.port).toBe(1234);
    expect(JSON.stringify(r)).not.toMatch(/hf_abcdef|secret-key/);
    expect(redacted(load({})).hfToken).toBeNull();
  });

  it('modelSource prefers the local directory', () => {
    expect(modelSource(load({}))).toBe(DEFAULT_MODEL_ID);
    expect(modelSource(load({ MODEL_PATH: '/m' }))).toBe('/m');
  });

  it('reads process.env by default', () => {
    expect(loadConfig().port).toBeTypeOf('number');
  });

  it('loadConfigWith overrides some variables and keeps the rest', () => {
    const env = { DEVICE: 'cuda', PORT: '8000' };
    const c = loadConfigWith({ DEVICE: 'cpu', MODEL_PATH: undefined }, env, CWD);
    expect(c.device).toBe('cpu');
    expect(c.port).toBe(8000);
    expect(c.modelPath).toBeNull();
  });

  it('.env.example lists every variable, with the defaults as values', () => {
    const text = readFileSync(fileURLToPath(new URL('../.env.example', import.meta.url)), 'utf8');
    const env: Record<string, string> = {};
    for (const line of text.split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line);
      if (m) env[m[1]!] = m[2]!;
    }
    expect(Object.keys(env).sort()).toEqual([...CONFIG_VARIABLES].sort());
    expect(load(env)).toEqual(load({}));
  });
});

describe('SPACE_ID / SPACE_HOST (set by Hugging Face Spaces)', () => {
  it('a Space: its id and the first host as https URL; elsewhere null', () => {
    expect(load({ SPACE_ID: 'alice/flows', SPACE_HOST: 'alice-flows.hf.space,flows.example.com' }).space).toEqual({ id: 'alice/flows', url: 'https://alice-flows.hf.space' });
    expect(load({ SPACE_ID: 'alice/flows' }).space).toEqual({ id: 'alice/flows', url: null });
    expect(load({}).space).toBeNull();
    expect(load({ SPACE_ID: 'not an id' }).space).toBeNull();
  });
});
