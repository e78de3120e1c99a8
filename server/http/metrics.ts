/**
 * Prometheus metrics on an own Registry (never the global one, so tests can
 * build many apps in one process). `/metrics` serves `registry.metrics()`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  requestDuration: Histogram<'method' | 'route'>;
  queueDepth: Gauge<'state'>;
  tokensPerSecond: Histogram;
  generationTokens: Histogram;
  budgetCuts: Counter;
  repairs: Counter<'name'>;
  generations: Counter<'outcome' | 'transport'>;
  blocked: Counter<'reason'>;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to the response headers (for streams: to the first event, not to the end of the stream)',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'generation_queue_depth',
      help: 'Generation jobs by state (running holds the model, waiting is queued)',
      labelNames: ['state'] as const,
      registers,
    }),
    tokensPerSecond: new Histogram({
      name: 'generation_tokens_per_second',
      help: 'Decode speed of finished generations',
      buckets: [1, 5, 10, 20, 40, 60, 80, 100, 150, 200, 400, 1000],
      registers,
    }),
    generationTokens: new Histogram({
      name: 'generation_tokens',
      help: 'Generated tokens per request (all passes)',
      buckets: [16, 64, 128, 256, 512, 1024, 2048, 4096],
      registers,
    }),
    budgetCuts: new Counter({
      name: 'generation_budget_cuts_total',
      help: 'Generations stopped by the time budget before the model finished',
      registers,
    }),
    repairs: new Counter({
      name: 'diagram_repairs_total',
      help: 'Repairs applied to generated diagrams, by repair name',
      labelNames: ['name'] as const,
      registers,
    }),
    generations: new Counter({
      name: 'generations_total',
      help: 'Generation runs by outcome (valid, invalid, error code, aborted) and transport',
      labelNames: ['outcome', 'transport'] as const,
      registers,
    }),
    blocked: new Counter({
      name: 'http_blocked_requests_total',
      help: 'Requests refused before any work: auth, rate limit, size, validation',
      labelNames: ['reason'] as const,
      registers,
    }),
  };
}
