/**
 * `repair()` beside the parser, off the HTTP event loop, with a time limit:
 *
 *   await repairOffThread(code)   // same RepairResult as repair(code)
 *
 * The lenient readers and line fixes are linear (tests/redos), but a 20,000
 * character diagram still costs tens to hundreds of milliseconds of our own
 * code between Mermaid parses, and a pathological one (deep unclosed
 * subgraphs) seconds of re-parsing. On the server's thread that time would
 * hold every other request, /api/health included. So the whole repair runs
 * in a worker thread of its own; the main thread only posts the text and
 * awaits the answer. The thread holds no Mermaid: its `validate` calls go
 * through a MessagePort to this thread's validator (validate.ts,
 * `serveValidator`), which relays them to the process's one Mermaid worker
 * (mermaid-worker.ts) and shares its cache with the pipeline's own
 * validation of the same answer.
 *
 * A repair that outlasts `timeoutMs` is stopped: the worker is terminated
 * (and started again on the next call) and the answer is the text as the
 * model wrote it, sanitised, marked invalid with an error that says so. The
 * Mermaid worker is not stopped with it: other requests' validation goes on
 * (a parse of its own that runs away is stopped by validate.ts's limit). A
 * worker that cannot start falls back to repairing on this thread, so the
 * server never loses repair altogether.
 *
 * The worker runs TypeScript through tsx's loader, registered inside it (a
 * loader registered on the main thread does not reach worker threads on
 * every Node version we support).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { RepairResult } from '../../common/protocol.ts';
import { sanitize } from './sanitize.ts';
import { stretchTracker } from './longest-stretch.ts';
import { serveValidator } from './validate.ts';

/** Far above a normal repair (tens of ms) and below the request's budget: a repair past it is stuck on its input. */
export const REPAIR_TIMEOUT_MS = 10_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { register } = await import(workerData.tsxApi);
  register();
  const { validateThrough } = await import(workerData.validateModule);
  validateThrough(workerData.validatorPort);
  const { repair } = await import(workerData.repairModule);
  parentPort.on('message', async ({ id, code }) => {
    try {
      parentPort.postMessage({ id, result: await repair(code) });
    } catch (err) {
      parentPort.postMessage({ id, error: String((err && err.message) || err) });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((err) => parentPort.postMessage({ fatal: String((err && err.stack) || err) }));
`;

interface Pending {
  resolve: (r: RepairResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, Pending>;
}

let thread: Thread | null = null;
let nextId = 1;

/** The longest stretch the event loop spent in this module's own work (posting a job, taking an answer), for tests and benches. */
const own = stretchTracker();
export const mainThreadMaxMs = own.maxMs;

function startThread(): Thread {
  const require = createRequire(import.meta.url);
  const channel = new MessageChannel();
  serveValidator(channel.port1);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      tsxApi: pathToFileURL(require.resolve('tsx/esm/api')).href.replace(/index\.cjs$/, 'index.mjs'),
      validateModule: new URL('./validate.ts', import.meta.url).href,
      repairModule: new URL('./repair.ts', import.meta.url).href,
      validatorPort: channel.port2,
    },
    transferList: [channel.port2],
  });
  const pending = new Map<number, Pending>();
  let markReady: () => void = () => undefined;
  let failReady: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((ok, fail) => {
    markReady = ok;
    failReady = fail;
  });
  ready.catch(() => undefined);
  const t: Thread = { worker, ready, pending };
  worker.on('message', (m: { ready?: true; fatal?: string; id?: number; result?: RepairResult; error?: string }) =>
    own.time(() => {
    if (m.ready) {
      if (pending.size === 0) worker.unref();
      return markReady();
    }
    if (m.fatal) return failReady(new Error(`repair thread failed to start: ${m.fatal}`));
    const p = m.id === undefined ? undefined : pending.get(m.id);
    if (!p) return;
    pending.delete(m.id!);
    clearTimeout(p.timer);
    if (pending.size === 0) worker.unref();
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve(m.result!);
    }),
  );
  const fail = (err: Error) => {
    failReady(err);
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(err);
    }
    if (thread === t) thread = null;
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    channel.port1.close();
    fail(new Error(`repair thread exited (${code})`));
  });
  // An idle repair thread never keeps the process alive (a CLI run ends when its work does): it is
  // held while it starts and while a caller awaits an answer, and let go after (see the handlers).
  return t;
}

/** The model's text, sanitised and otherwise as written, when repair could not finish. */
function unrepaired(code: string, message: string): RepairResult {
  const clean = sanitize(code);
  return {
    code: clean.code,
    valid: false,
    diagramType: null,
    repairs: clean.removed.length > 0 ? ['strip-directives'] : [],
    changes: [],
    error: { message },
  };
}

/** repair(code) in the repair thread; see the file comment. */
export async function repairOffThread(code: string, options: { timeoutMs?: number } = {}): Promise<RepairResult> {
  const timeoutMs = options.timeoutMs ?? REPAIR_TIMEOUT_MS;
  thread ??= startThread();
  const t = thread;
  try {
    await t.ready;
  } catch {
    // No thread (a broken install, a platform without workers): repair here rather than not at all.
    const { repair } = await import('./repair.ts');
    return repair(code);
  }
  const id = nextId++;
  return new Promise<RepairResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Stuck on this input: stop the thread (every repair in it ends) and answer with the text as written.
      t.pending.delete(id);
      resolve(unrepaired(code, `Repairing took longer than ${Math.round(timeoutMs / 1000)} s and was stopped; the diagram is shown as written.`));
      void stopThread(t);
    }, timeoutMs);
    t.pending.set(id, { resolve, reject, timer });
    t.worker.ref();
    own.time(() => t.worker.postMessage({ id, code }));
  }).catch((err: unknown) => unrepaired(code, `Repair failed: ${err instanceof Error ? err.message : String(err)}`));
}

async function stopThread(t: Thread): Promise<void> {
  if (thread === t) thread = null;
  await t.worker.terminate();
}

/** Starts the repair thread now (tsx and the repair modules load in ~1 s), not on the first repair; its first parse waits for Mermaid. */
export async function warmUpRepairThread(): Promise<void> {
  await repairOffThread('flowchart TD\n  A --> B', { timeoutMs: 60_000 });
}

export async function closeRepairThread(): Promise<void> {
  if (thread) await stopThread(thread);
}
