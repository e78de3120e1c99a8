/**
 * What the HTTP layer needs from the rest of the server, as types only.
 * `main.ts` builds the concrete objects; tests pass fakes or ScriptedEngine.
 */
import type { GenerateRequest, RepairResult, StreamEvent, ValidateResult } from '../../common/protocol.ts';
import type { Engine } from '../engine/types.ts';
import type { Metrics } from './metrics.ts';

/**
 * The queue as the HTTP layer sees it: only counters, for /metrics,
 * /api/ready and tests. Structural, so any queue with these getters fits.
 */
export interface QueueStats {
  /** Jobs holding the model now (0 or 1). */
  readonly running?: number;
  /** Jobs waiting behind the running one. */
  readonly waiting?: number;
  readonly size?: number;
  readonly length?: number;
}

/** The pipeline's dependencies, passed through to describe() untouched. */
export interface PipelineDeps {
  engine: Engine;
  queue: unknown;
  budgetMs: number;
  maxNewTokens: number;
}

/** `describe()` from server/pipeline/describe.ts: the one source of events. */
// Method-style (bivariant) so describe()'s own, narrower deps type fits.
export type DescribeFn = {
  bivarianceHack(req: GenerateRequest, deps: PipelineDeps, opts: { signal: AbortSignal }): AsyncIterable<StreamEvent>;
}['bivarianceHack'];

export type ValidateFn = (code: string) => ValidateResult | Promise<ValidateResult>;
export type RepairFn = (code: string) => RepairResult | Promise<RepairResult>;

/** pino's shape, narrowed to what we call. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
  child?(bindings: object): Logger;
}

export interface RateLimitConfig {
  /** Bucket size: requests a client may make at once. */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
}

/** HTTP settings; main.ts maps server/config.ts onto this. */
export interface HttpConfig {
  /** When set, /api/* (but health/ready/metrics) and the Gradio paths need it. */
  apiKey?: string;
  /** Allowed cross-origin origins; empty = same-origin only. `*` allows all. */
  corsOrigins: string[];
  maxBodyBytes: number;
  /** null = no rate limit. */
  rateLimit: RateLimitConfig | null;
  /** Log request texts (descriptions) too; off by default. */
  logInputs: boolean;
  /** Take the client IP from X-Forwarded-For (behind Spaces / Cloud Run proxies). */
  /** Trusted proxies in front (0: use the socket address). */
  trustProxy: number;
  /** How long a running generation may continue after SIGTERM before it is cancelled. */
  shutdownGraceMs: number;
  /** Gradio SSE heartbeat interval. */
  heartbeatMs: number;
  /** Title shown in Gradio config and docs. */
  title: string;
  /** Serve Prometheus metrics at /metrics (default true). */
  exposeMetrics?: boolean;
  /** Reported by /api/health, so a deploy can tell which revision answers. */
  buildId?: string | null;
}

export interface AppDeps {
  pipeline: PipelineDeps;
  describe: DescribeFn;
  validate: ValidateFn;
  repair: RepairFn;
  config: HttpConfig;
  logger: Logger;
  metrics: Metrics;
  /**
   * Other things that must be warm before /api/ready says 200 (the Mermaid
   * parser worker): null when ready, else a message for ReadyStatus.
   */
  notReadyReason?: () => string | null;
  /** Built UI (vite outDir); null/undefined = API only. */
  staticDir?: string | null;
}
