/**
 * What the HTTP layer needs from the rest of the server, as types only: the
 * pipeline as a function, the model's status and the queue's counters as
 * functions. It never sees the engine or the queue themselves. `main.ts`
 * builds the concrete objects; tests pass fakes or ScriptedEngine.
 */
import type { ReadyStatus, RepairResult, ValidateResult } from '../../common/protocol.ts';
import type { Pipeline } from '../pipeline/index.ts';
import type { Metrics } from './metrics.ts';

/** The queue as the HTTP layer sees it: counters for /metrics and /api/ready. */
export interface QueueCounts {
  /** Jobs holding the model now (0 or 1). */
  running: number;
  /** Jobs waiting behind the running one. */
  waiting: number;
}

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
  /** Keep-alive interval of every SSE stream (sse.ts). */
  heartbeatMs: number;
  /** A Gradio run whose reader (queue/data, the curl GET) has not attached this long after the start is cancelled (default 5 s). */
  streamAttachMs?: number;
  /** Title shown in Gradio config and docs. */
  title: string;
  /** Serve Prometheus metrics at /metrics (default true). */
  exposeMetrics?: boolean;
  /** Reported by /api/health, so a deploy can tell which revision answers. */
  buildId?: string | null;
  /** A Hugging Face Space: Gradio's config says so and the "Use via API" snippets connect to it by id. */
  space?: { id: string; url: string | null } | null;
}

export interface AppDeps {
  /** The one source of events: `(request, signal) => AsyncIterable<StreamEvent>` (server/pipeline/). */
  pipeline: Pipeline;
  /** The server's MAX_NEW_TOKENS: the rule book's ceiling and default. */
  maxNewTokens: number;
  /** The model's readiness (the engine's status), for /api/ready and /api/status. */
  status: () => ReadyStatus;
  /** The queue's counters, for /api/ready and /metrics. */
  queue: () => QueueCounts;
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
