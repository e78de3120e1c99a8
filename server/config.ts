/**
 * Environment → typed, frozen configuration. The only reader of `process.env`
 * in the project: everything else receives a `Config` (or part of it).
 *
 * Empty values count as unset (a blank line in `.env` keeps the default).
 * Bad values fail fast with one readable line per variable. Secrets
 * (`HF_TOKEN`, `API_KEY`) never leave this object except through
 * `redacted(config)`, which replaces them with "[set]" for logs.
 *
 * Every variable is listed, with its default, in `.env.example` and docs/engine.md.
 */
import path from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_BUDGET_MS,
  DEFAULT_MAX_NEW_TOKENS,
  DEFAULT_PORT,
  DEFAULT_QUEUE_LENGTH,
} from '../common/limits.ts';
import { trimEndChar } from '../common/text.ts';

export const DEFAULT_MODEL_ID = 'onnx-community/Qwen3-4B-Instruct-2507-ONNX';
export const DEVICES = ['auto', 'cuda', 'cpu'] as const;
export const DTYPES = ['auto', 'fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'] as const;
export const ENGINES = ['transformers', 'scripted'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const FUSED_MODES = ['auto', 'on', 'off'] as const;
export const FUSED_CACHE_MODES = ['carry', 'recompute'] as const;
export const CONSTRAINED_MODES = ['auto', 'on', 'off'] as const;

export type Device = (typeof DEVICES)[number];
export type Dtype = (typeof DTYPES)[number];

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

const bool = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return fallback;
      const s = v.trim().toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
      ctx.addIssue({ code: 'custom', message: `expected 1/0, true/false, yes/no or on/off, got "${v}"` });
      return z.NEVER;
    });

const int = (fallback: number, min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return fallback;
      const s = v.trim().replace(/_/g, '');
      if (!/^-?\d+$/.test(s)) {
        ctx.addIssue({ code: 'custom', message: `expected a whole number, got "${v}"` });
        return z.NEVER;
      }
      const n = Number(s);
      if (n < min || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `expected ${max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min}..${max}`}, got ${n}`,
        });
        return z.NEVER;
      }
      return n;
    });

const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return fallback;
      const s = v.trim().toLowerCase();
      if ((values as readonly string[]).includes(s)) return s as T[number];
      ctx.addIssue({ code: 'custom', message: `expected one of ${values.join(', ')}, got "${v}"` });
      return z.NEVER;
    });

/** `auto` or a whole number in min..max. */
const autoOrInt = (min: number, max: number) => {
  const n = int(min, min, max);
  return z
    .string()
    .optional()
    .transform((v, ctx): number | 'auto' => {
      if (v === undefined || v.trim().toLowerCase() === 'auto') return 'auto';
      const parsed = n.safeParse(v);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: 'custom', message: `expected auto or a whole number ${min}..${max}, got "${v}"` });
      return z.NEVER;
    });
};

const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined ? undefined : v.trim()));

const list = z
  .string()
  .optional()
  .transform((v) =>
    v === undefined
      ? []
      : v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
  );

const schema = z.object({
  PORT: int(DEFAULT_PORT, 0, 65_535),
  HOST: text,
  MODEL_ID: text,
  MODEL_PATH: text,
  MODEL_REVISION: text,
  HF_TOKEN: text,
  HF_ENDPOINT: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const s = trimEndChar(v.trim(), '/');
      if (!/^https?:\/\/[^/\s]+/.test(s)) {
        ctx.addIssue({ code: 'custom', message: `expected an http(s) URL such as https://huggingface.co, got "${v}"` });
        return z.NEVER;
      }
      return s;
    }),
  DEVICE: oneOf(DEVICES, 'auto'),
  DTYPE: oneOf(DTYPES, 'auto'),
  CACHE_DIR: text,
  BUDGET_MS: int(DEFAULT_BUDGET_MS, 1_000, 3_600_000),
  MAX_NEW_TOKENS: int(DEFAULT_MAX_NEW_TOKENS, 1, 32_768),
  QUEUE_LENGTH: int(DEFAULT_QUEUE_LENGTH, 0, 10_000),
  CONCURRENCY: int(1, 1, 64),
  API_KEY: text,
  CORS_ORIGINS: list,
  RATE_LIMIT_PER_MINUTE: int(30, 0, 1_000_000),
  // false/0: ignore X-Forwarded-For; true/1: one proxy in front (its hop is the last entry); N: N proxies.
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return 0;
      const s = v.trim().toLowerCase();
      if (TRUE.has(s)) return 1;
      if (FALSE.has(s)) return 0;
      if (/^\d{1,2}$/.test(s)) return Number(s);
      ctx.addIssue({ code: 'custom', message: `expected true/false or a number of proxies (0..99), got "${v}"` });
      return z.NEVER;
    }),
  LOG_INPUTS: bool(false),
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  ENGINE: oneOf(ENGINES, 'transformers'),
  SCRIPTED_TEXT_FILE: text,
  LOAD_ON_START: bool(true),
  FUSED: oneOf(FUSED_MODES, 'auto'),
  FUSED_CHUNK: autoOrInt(1, 4_096),
  FUSED_CACHE: oneOf(FUSED_CACHE_MODES, 'carry'),
  CONSTRAINED: oneOf(CONSTRAINED_MODES, 'off'),
  SHUTDOWN_GRACE_MS: int(10_000, 0, 600_000),
  UI_DIR: text,
  METRICS: bool(true),
  BUILD_ID: text,
  // Set by Hugging Face Spaces in every Space container (owner/name, and its public host name(s)).
  SPACE_ID: text,
  SPACE_HOST: text,
});

/** Every environment variable the config reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(schema.shape));

export interface Config {
  /** HTTP port (Spaces' app_port and Cloud Run's PORT agree on 7860). */
  readonly port: number;
  /** Bind address. */
  readonly host: string;
  /** Hub model id, used when `modelPath` is not set. */
  readonly modelId: string;
  /** Local model directory (offline, baked-in images); wins over `modelId`. Absolute. */
  readonly modelPath: string | null;
  /** Hub revision (branch, tag or commit). */
  readonly modelRevision: string;
  /** Hub token for gated/private models or higher rate limits. Secret. */
  readonly hfToken: string | null;
  /** The Hub's address (a mirror, or a stand-in in tests); no trailing slash. */
  readonly hubUrl: string;
  /** `auto` tries CUDA and falls back to CPU; `cuda` fails when CUDA cannot load. */
  readonly device: Device;
  /** `auto`: q4f16 on CUDA, q4 on CPU. */
  readonly dtype: Dtype;
  /** Where Hub downloads are cached. Absolute. */
  readonly cacheDir: string;
  /** GPU budget per request (ms), counted from the moment the request holds the model. */
  readonly budgetMs: number;
  /** Default and ceiling for new tokens per generation. */
  readonly maxNewTokens: number;
  /** Jobs allowed to wait beyond the running ones. */
  readonly queueLength: number;
  /** Generations at once (1: one on the GPU). */
  readonly concurrency: number;
  /** When set, API calls must send it (X-API-Key or Authorization: Bearer). Secret. */
  readonly apiKey: string | null;
  /** Extra origins allowed by CORS (same-origin is always allowed). */
  readonly corsOrigins: readonly string[];
  /** Generate requests per client per minute; 0 = unlimited. */
  readonly rateLimitPerMinute: number;
  /**
   * Proxies in front of the server whose X-Forwarded-For hops are trusted (0: none; the
   * socket address is the client). The client is the hop this many entries from the end.
   */
  readonly trustProxy: number;
  /** Log the description text (off: only its size). */
  readonly logInputs: boolean;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** `scripted` replays canned text: development and demos without a model. */
  readonly engine: (typeof ENGINES)[number];
  /** For ENGINE=scripted: a file whose text every generation returns. */
  readonly scriptedTextFile: string | null;
  /** Start loading the model when the server starts (off: on first request). */
  readonly loadOnStart: boolean;
  /**
   * Greedy decoding inside the ONNX graph (server/engine/fused): `auto` uses it
   * and falls back to transformers.js `generate` when the graph cannot be
   * built; `on` makes that a load error; `off` never uses it.
   */
  readonly fused: (typeof FUSED_MODES)[number];
  /** Tokens per fused call (one streaming update per chunk); `auto` ≈ one chunk per 150 ms. */
  readonly fusedChunk: number | 'auto';
  /** How the key/value cache travels between fused calls (docs/gpu.md "Cache modes"). */
  readonly fusedCache: (typeof FUSED_CACHE_MODES)[number];
  /**
   * Grammar-constrained decoding of flowcharts (server/engine/grammar, docs/engine.md):
   * `on` for every flowchart request (fused loop, or the host-side mask on the
   * step-by-step decoder), `auto` only on the fused path, `off` never. Default
   * `off` until it is measured on the real model (see docs/engine.md).
   */
  readonly constrained: (typeof CONSTRAINED_MODES)[number];
  /** On SIGTERM: how long running generations may finish before they are cancelled. */
  readonly shutdownGraceMs: number;
  /** The built UI, served at `/`. Absolute. */
  readonly uiDir: string;
  /** Serve Prometheus metrics at /metrics. */
  readonly metrics: boolean;
  /** Which build this is (deploy.ts sets it; a Space reads the BUILD_ID file instead), shown by /api/health. */
  readonly buildId: string | null;
  /** Running as a Hugging Face Space: its id and public URL (from SPACE_ID / SPACE_HOST), else null. */
  readonly space: { id: string; url: string | null } | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment (default: process.env) into a frozen Config.
 * `cwd` resolves relative paths (default: process.cwd()).
 * Throws ConfigError listing every bad variable.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const abs = (p: string) => path.resolve(cwd, p);
  const config: Config = {
    port: e.PORT,
    host: e.HOST || '0.0.0.0',
    modelId: e.MODEL_ID || DEFAULT_MODEL_ID,
    modelPath: e.MODEL_PATH ? abs(e.MODEL_PATH) : null,
    modelRevision: e.MODEL_REVISION || 'main',
    hfToken: e.HF_TOKEN || null,
    hubUrl: e.HF_ENDPOINT || 'https://huggingface.co',
    device: e.DEVICE,
    dtype: e.DTYPE,
    cacheDir: abs(e.CACHE_DIR || '.cache/models'),
    budgetMs: e.BUDGET_MS,
    maxNewTokens: e.MAX_NEW_TOKENS,
    queueLength: e.QUEUE_LENGTH,
    concurrency: e.CONCURRENCY,
    apiKey: e.API_KEY || null,
    corsOrigins: Object.freeze([...e.CORS_ORIGINS]),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    logInputs: e.LOG_INPUTS,
    logLevel: e.LOG_LEVEL,
    engine: e.ENGINE,
    scriptedTextFile: e.SCRIPTED_TEXT_FILE ? abs(e.SCRIPTED_TEXT_FILE) : null,
    loadOnStart: e.LOAD_ON_START,
    fused: e.FUSED,
    fusedChunk: e.FUSED_CHUNK,
    fusedCache: e.FUSED_CACHE,
    constrained: e.CONSTRAINED,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    uiDir: abs(e.UI_DIR || 'dist'),
    metrics: e.METRICS,
    buildId: e.BUILD_ID || null,
    space: spaceOf(e.SPACE_ID, e.SPACE_HOST),
  };
  return Object.freeze(config);
}

/**
 * The environment with some variables overridden (command-line flags such as
 * `--model DIR` → MODEL_PATH). Undefined overrides keep the environment's value.
 */
export function loadConfigWith(
  overrides: Record<string, string | undefined>,
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): Config {
  const merged: Record<string, string | undefined> = { ...env };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) merged[key] = value;
  return loadConfig(merged, cwd);
}

/** The config with secrets replaced by "[set]" (or null when unset): safe to log. */
export function redacted(config: Config): Record<string, unknown> {
  return {
    ...config,
    hfToken: config.hfToken ? '[set]' : null,
    apiKey: config.apiKey ? '[set]' : null,
  };
}

/** Where the model comes from, for logs and status: the local dir or the Hub id. */
export function modelSource(config: Pick<Config, 'modelPath' | 'modelId'>): string {
  return config.modelPath ?? config.modelId;
}

/** SPACE_HOST may list custom domains after the Space's own (comma-separated): the first is the Space's. */
function spaceOf(id: string | undefined, host: string | undefined): { id: string; url: string | null } | null {
  if (!id || !/^[\w.-]+\/[\w.-]+$/.test(id)) return null;
  const first = (host ?? '').split(',')[0]!.trim();
  return { id, url: first ? `https://${first.replace(/^https?:\/\//, '')}` : null };
}
