/**
 * Test helpers for the HTTP layer: an app over the real describe() and
 * GenerationQueue with a ScriptedEngine and fake Mermaid stages, a logger
 * whose lines the test can read, SSE parsing, and a real listening server
 * on 127.0.0.1 for clients that need a URL (@gradio/client, autocannon).
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { StreamEvent } from '../../common/protocol.ts';
import { GenerationQueue } from '../../server/pipeline/queue.ts';
import { ScriptedEngine, type ScriptedEngineOptions } from '../../server/engine/scripted.ts';
import { createApp, type CreatedApp } from '../../server/http/app.ts';
import { createMetrics } from '../../server/http/metrics.ts';
import type { AppDeps, HttpConfig } from '../../server/http/types.ts';
import { createLogger } from '../../server/log.ts';
import { createPipeline } from '../../server/pipeline/index.ts';
import { fakeTools } from '../../server/pipeline/fake-tools.ts';

export const GOOD = '```mermaid\nflowchart TD\n    a["Order"] --> b["Ship"]\n    b --> c["Done"]\n```';
export const GOOD_CODE = 'flowchart TD\n    a["Order"] --> b["Ship"]\n    b --> c["Done"]';

/** Fake Mermaid stages (the real ones start a parser worker): BROKEN lines are invalid, `--> end` is repairable. */
export const tools = fakeTools;

export const baseConfig: HttpConfig = {
  corsOrigins: [],
  maxBodyBytes: 128 * 1024,
  rateLimit: null,
  logInputs: false,
  trustProxy: 0,
  shutdownGraceMs: 2_000,
  heartbeatMs: 15_000,
  title: 'Mermaid Flow Generator',
};

export interface TestApp extends CreatedApp {
  engine: ScriptedEngine;
  queue: GenerationQueue;
  logs: string[];
  deps: AppDeps;
  /** app.request with a JSON body. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

export interface TestAppOptions {
  engine?: ScriptedEngineOptions;
  /** Skip engine.load() (to test loading/error states). */
  unloaded?: boolean;
  config?: Partial<HttpConfig>;
  maxWaiting?: number;
  budgetMs?: number;
  /** The server's MAX_NEW_TOKENS (default 4000). */
  maxNewTokens?: number;
  staticDir?: string | null;
}

export async function makeApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const queue = new GenerationQueue({ maxWaiting: opts.maxWaiting ?? 32 });
  const engine = new ScriptedEngine({ outputs: [GOOD], model: 'scripted/model', queueDepth: () => queue.depth, ...opts.engine });
  if (!opts.unloaded) await engine.load();
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (s: string) => void logs.push(s) } });
  const deps: AppDeps = {
    pipeline: createPipeline({ engine, queue, budgetMs: opts.budgetMs ?? 10_000, tools, candidateIntervalMs: 0 }),
    maxNewTokens: opts.maxNewTokens ?? 4_000,
    status: () => engine.status(),
    queue: () => ({ running: queue.running, waiting: queue.waiting }),
    validate: tools.validate,
    repair: tools.repair,
    config: { ...baseConfig, ...opts.config },
    logger,
    metrics: createMetrics(),
    staticDir: opts.staticDir ?? null,
  };
  const created = createApp(deps);
  return {
    ...created,
    engine,
    queue,
    logs,
    deps,
    post: (path, body, headers = {}) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      return Promise.resolve(
        created.app.request(path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers },
          body: text,
        }),
      );
    },
  };
}

export interface SseFrame {
  event?: string;
  data: string;
}

/** Splits an SSE text into frames (LF framing, as our server writes it). */
export function parseSse(text: string): SseFrame[] {
  return text
    .split('\n\n')
    // As the SSE spec says, a block of comments only (`: keep-alive`) dispatches nothing.
    .filter((block) => block.split('\n').some((line) => line.trim() && !line.startsWith(':')))
    .map((block) => {
      const frame: SseFrame = { data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) frame.event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      frame.data = data.join('\n');
      return frame;
    });
}

export function eventsOf(text: string): StreamEvent[] {
  return parseSse(text).map((f) => JSON.parse(f.data) as StreamEvent);
}

/** Reads an SSE body frame by frame. */
export async function* readFrames(res: Response): AsyncGenerator<SseFrame> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i + 2);
        buf = buf.slice(i + 2);
        yield* parseSse(block);
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

export async function waitFor(cond: () => boolean, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface Listening {
  url: string;
  server: ServerType;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1 at a random port. */
export async function listen(app: CreatedApp['app']): Promise<Listening> {
  const server = await new Promise<ServerType>((ok) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ok(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
