/**
 * Composition root: config → logger → queue → engine → app → listen, then the
 * model loads in the background. The only place that builds concrete objects.
 *
 *   npm start                 (node --import tsx server/main.ts, the same process the image runs; PORT, HOST, MODEL_PATH, DEVICE, … from the environment)
 *
 * The server answers /api/health at once and /api/ready when the model is
 * loaded and warmed; a failed load leaves it up, saying why. SIGTERM/SIGINT:
 * new work gets 503 shutting_down, running generations get SHUTDOWN_GRACE_MS
 * to finish and are cancelled after that, then the process exits 0.
 */
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { MAX_BODY_BYTES } from '../common/limits.ts';
import { ConfigError, loadConfig, modelSource, redacted, type Config } from './config.ts';
import { GenerationQueue } from './pipeline/queue.ts';
import { createEngine } from './engine/index.ts';
import { createApp } from './http/app.ts';
import { createMetrics } from './http/metrics.ts';
import { ensureUiBuilt } from './http/static.ts';
import type { HttpConfig } from './http/types.ts';
import { createLogger, type Logger } from './log.ts';
import { closeValidator, validate, warmUp as warmUpValidator } from './mermaid/validate.ts';
import { closeRepairThread, repairOffThread, warmUpRepairThread } from './mermaid/repair-thread.ts';
import { createPipeline } from './pipeline/index.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function httpConfigFrom(config: Config): HttpConfig {
  const perMinute = config.rateLimitPerMinute;
  return {
    apiKey: config.apiKey ?? undefined,
    corsOrigins: [...config.corsOrigins],
    maxBodyBytes: MAX_BODY_BYTES,
    // A minute's allowance may be used at once, then it refills evenly.
    rateLimit: perMinute > 0 ? { burst: perMinute, perSecond: perMinute / 60 } : null,
    logInputs: config.logInputs,
    trustProxy: config.trustProxy,
    shutdownGraceMs: config.shutdownGraceMs,
    heartbeatMs: 15_000,
    title: 'Mermaid Flow Generator',
    exposeMetrics: config.metrics,
    buildId: config.buildId ?? buildIdFile(projectRoot),
    space: config.space,
  };
}

/** The BUILD_ID file a Space upload carries (deploy.ts writes it), or null. */
export function buildIdFile(dir: string): string | null {
  try {
    const id = readFileSync(join(dir, 'BUILD_ID'), 'utf8').trim();
    return /^[\w.-]{1,100}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

export interface RunningServer {
  server: ServerType;
  port: number;
  stop(signal?: string): Promise<void>;
}

export async function start(config: Config, logger: Logger, options: { buildUi?: boolean } = {}): Promise<RunningServer> {
  logger.info({ config: redacted(config) }, 'starting');
  const queue = new GenerationQueue({ concurrency: config.concurrency, maxWaiting: config.queueLength });
  const engine = await createEngine(config, { logger: logger.child({ component: 'engine' }), queueDepth: () => queue.depth });
  const metrics = createMetrics({ defaultMetrics: true });

  // The Mermaid parser runs in a worker that takes seconds to start: start it now, not on the first request.
  let parserReady = false;
  let parserError: string | null = null;
  const tParser = Date.now();
  // The repair thread loads its own parser: start it too (a failure is retried on use).
  warmUpRepairThread().catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'repair thread failed to start; retried on use'));
  warmUpValidator().then(
    () => {
      parserReady = true;
      logger.info({ ms: Date.now() - tParser }, 'mermaid parser ready');
    },
    (err: unknown) => {
      parserError = err instanceof Error ? err.message : String(err);
      logger.error({ err: parserError }, 'mermaid parser failed to start; validation will retry on use');
    },
  );

  const { app, shutdown } = createApp({
    pipeline: createPipeline({ engine, queue, budgetMs: config.budgetMs, constrain: config.constrained !== 'off' }),
    maxNewTokens: config.maxNewTokens,
    status: () => engine.status(),
    queue: () => ({ running: queue.running, waiting: queue.waiting }),
    validate,
    // Off the event loop, with a time limit: /api/repair takes 20,000 characters of anyone's text.
    repair: (code) => repairOffThread(code),
    config: httpConfigFrom(config),
    logger: logger.child({ component: 'http' }),
    metrics,
    staticDir: config.uiDir,
    // A parser that failed to start is retried on use; do not hold readiness on it.
    notReadyReason: () => (parserReady || parserError ? null : 'Starting the Mermaid parser'),
  });

  const server = await new Promise<ServerType>((ok) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => ok(s));
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ host: config.host, port, url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}` }, 'listening');

  // A fresh clone has no dist/: build the UI once, in the background (a single stat() when it is built).
  // Meanwhile pages answer 503 with a page that says so and reloads itself; if it fails, the API still works.
  if (options.buildUi !== false) {
    const tUi = Date.now();
    const onBuildStart = () =>
      logger.info({ uiDir: config.uiDir }, 'building the UI (first start, vite build, ~15 s); the page reloads itself when it is ready');
    void ensureUiBuilt(config.uiDir, projectRoot, onBuildStart).then((ui) => {
      if (!ui.ok) logger.warn({ uiDir: config.uiDir, reason: ui.message }, 'UI not available; serving the API only');
      else if (ui.built) logger.info({ uiDir: config.uiDir, ms: Date.now() - tUi }, ui.message);
    });
  }

  if (config.loadOnStart) {
    const t0 = Date.now();
    engine.load().then(
      () => logger.info({ model: modelSource(config), ms: Date.now() - t0, status: engine.status() }, 'model ready'),
      (err: unknown) => logger.error({ model: modelSource(config), err: err instanceof Error ? err.message : String(err) }, 'model load failed; the server stays up and /api/ready says why'),
    );
  }

  let stopping: Promise<void> | null = null;
  const stop = (signal = 'stop') =>
    (stopping ??= (async () => {
      const t0 = Date.now();
      logger.info({ signal, graceMs: config.shutdownGraceMs, active: queue.depth }, 'shutting down: no new work');
      const { cancelled } = await shutdown(); // 503 for new work; running ones finish or are cancelled
      queue.abortAll();
      await Promise.race([queue.close(), sleep(2_000)]);
      await new Promise<void>((done) => {
        server.close(() => done());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await Promise.race([Promise.allSettled([engine.dispose(), closeValidator(), closeRepairThread()]), sleep(3_000)]);
      logger.info({ ms: Date.now() - t0, cancelled }, 'shut down');
    })());

  return { server, port, stop };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref?.());
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // A person at a terminal reads one-line records; a pipe (Cloud Run, Spaces, tests) gets JSON lines.
  const logger = createLogger({ level: config.logLevel, name: 'server', pretty: Boolean(process.stdout.isTTY) });
  const running = await start(config, logger);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // A second signal, or a stuck shutdown, still ends the process.
      setTimeout(() => process.exit(1), config.shutdownGraceMs + 10_000).unref();
      process.once(signal, () => process.exit(1));
      running.stop(signal).then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
