/**
 * Is this Mermaid? Asks Mermaid's own parser (`mermaid.parse`) and returns
 * the answer as data:
 *
 *   await validate('flowchart TD\n  A --> B')  // { ok: true, diagramType: 'flowchart' }
 *   await validate('flowchart TD\n  A --> end') // { ok: false, line: 2, message: 'Parse error on line 2: …' }
 *
 * The only importer of `mermaid` on the server. Mermaid is a browser library:
 * it wants `window`, `document` and DOMPurify (which needs a window) as
 * globals, at import and while parsing. Those globals must not leak into the
 * server: transformers.js decides "browser or Node" from `typeof window`. So
 * mermaid and its jsdom shim run in a worker thread, which has globals of its
 * own; the worker source is the string below, so the whole shim stays in
 * this file. The worker also lets us kill a parse that runs away on hostile
 * input, and it loads mermaid once (about 2 s) for all later calls.
 *
 * Parses are serialized (mermaid keeps its config and diagram registry in
 * module state), so `validate` is safe to call concurrently.
 *
 * Validity here is Mermaid's notion: a diagram carrying `%%{init}%%` or front
 * matter `config:` is valid. Stripping configuration from untrusted text is
 * `sanitize.ts`'s job, and `repair()` always applies it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ValidateResult } from '../../common/protocol.ts';
import { normalizeDiagramType } from './diagramType.ts';
import { sourceLine } from './lineMap.ts';

export { normalizeDiagramType } from './diagramType.ts';

/** A parse that takes longer than this is treated as a failure and its worker killed. */
export const PARSE_TIMEOUT_MS = 5_000;
/** Starting the worker and importing mermaid (first call only). */
export const STARTUP_TIMEOUT_MS = 60_000;

/** Thrown (rejected) only when the validator itself cannot run, never for bad diagrams. */
export class ValidatorUnavailableError extends Error {
  override name = 'ValidatorUnavailableError';
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// Speed: mermaid's getConfig() deep-copies its whole config (about 800
// keys) on every call, and the flowchart parser calls it once per labelled
// node: three quarters of a parse. A loader hook, registered in this worker
// only, makes getConfig() copy once per config change (mermaid replaces its
// config object before each parse, so answers never leak between parses).
// If a mermaid release changes that source line, nothing is patched and
// parsing is merely slower (parserPatched() says so; a test watches it).
require('node:module').register('data:text/javascript,' + encodeURIComponent(workerData.hooks));
const ready = (async () => {
  const { JSDOM } = await import(workerData.jsdom);
  const { window } = new JSDOM('<!doctype html><html><body></body></html>');
  // What mermaid and DOMPurify touch while importing and parsing
  // (the sequence diagram parser checks colours with new Option().style).
  globalThis.window = window;
  for (const key of ['document', 'Option', 'Element', 'HTMLElement', 'Node', 'DOMParser', 'DocumentFragment']) {
    globalThis[key] = window[key];
  }
  const mermaid = (await import(workerData.mermaid)).default;
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  return mermaid;
})();
ready.then(
  () => parentPort.postMessage({ type: 'ready', patched: globalThis.__mermaidFlowGetConfigOnce === true }),
  (e) => parentPort.postMessage({ type: 'failed', message: String((e && e.stack) || e) }),
);
parentPort.on('message', async ({ id, code }) => {
  let mermaid;
  try { mermaid = await ready; } catch { return; }
  try {
    const result = await mermaid.parse(code);
    parentPort.postMessage({ type: 'result', id, ok: true, diagramType: result.diagramType });
  } catch (e) {
    const loc = e && e.hash && e.hash.loc;
    parentPort.postMessage({
      type: 'result', id, ok: false,
      message: String((e && e.message) || e),
      locLine: loc && typeof loc.first_line === 'number' ? loc.first_line : null,
    });
  }
});
`;

/** ESM loader hook (runs in the worker's loader): the getConfig() patch described above. */
const HOOKS_SOURCE = `
const ORIGINAL = 'var getConfig = /* @__PURE__ */ __name(() => {\\n  return assignWithDepth_default({}, currentConfig);\\n}, "getConfig");';
const PATCHED = [
  'var getConfigFrom, getConfigCopy;',
  'var getConfig = /* @__PURE__ */ __name(() => {',
  '  if (getConfigFrom !== currentConfig) { getConfigFrom = currentConfig; getConfigCopy = assignWithDepth_default({}, currentConfig); }',
  '  return getConfigCopy;',
  '}, "getConfig");',
  'globalThis.__mermaidFlowGetConfigOnce = true;',
].join('\\n');
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!url.includes('/mermaid/dist/chunks/') || result.source == null) return result;
  const source = String(result.source);
  return source.includes(ORIGINAL) ? { ...result, source: source.replace(ORIGINAL, PATCHED) } : result;
}
`;

type WorkerReply =
  | { type: 'ready'; patched: boolean }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; ok: true; diagramType: string }
  | { type: 'result'; id: number; ok: false; message: string; locLine: number | null };

interface Pending {
  resolve: (reply: Extract<WorkerReply, { type: 'result' }>) => void;
  reject: (error: Error) => void;
}

let worker: Worker | null = null;
let workerReady = false;
let patched: boolean | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();
/** The serialization chain: each parse starts when the previous one settled. */
let chain: Promise<unknown> = Promise.resolve();

function modulePaths(): { hooks: string; jsdom: string; mermaid: string } {
  const require = createRequire(import.meta.url);
  // mermaid's "exports" only has an `import` condition, so go through its package.json.
  const mermaidDir = dirname(require.resolve('mermaid/package.json'));
  return {
    hooks: HOOKS_SOURCE,
    jsdom: pathToFileURL(require.resolve('jsdom')).href,
    mermaid: pathToFileURL(join(mermaidDir, 'dist', 'mermaid.core.mjs')).href,
  };
}

function failAll(error: Error): void {
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

function startWorker(): Worker {
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: modulePaths() });
  workerReady = false;
  w.unref(); // an idle validator never keeps the process alive
  w.on('message', (reply: WorkerReply) => {
    if (reply.type === 'ready') {
      workerReady = true;
      patched = reply.patched;
    } else if (reply.type === 'failed') {
      failAll(new ValidatorUnavailableError(`mermaid could not be loaded: ${reply.message}`));
      void stopWorker(w);
    } else {
      const p = pending.get(reply.id);
      pending.delete(reply.id);
      p?.resolve(reply);
    }
  });
  w.on('error', (e: Error) => {
    failAll(new ValidatorUnavailableError(`mermaid worker crashed: ${e.message}`));
    void stopWorker(w);
  });
  w.on('exit', (exitCode) => {
    if (worker === w) worker = null;
    if (pending.size > 0) failAll(new ValidatorUnavailableError(`mermaid worker exited (code ${exitCode})`));
  });
  return w;
}

async function stopWorker(w: Worker): Promise<void> {
  if (worker === w) worker = null;
  await w.terminate();
}

async function parseInWorker(code: string): Promise<ValidateResult> {
  worker ??= startWorker();
  const w = worker;
  const id = nextId++;
  const limit = workerReady ? PARSE_TIMEOUT_MS : STARTUP_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  w.ref(); // keep the process alive while a caller awaits an answer (CLI)
  try {
    const reply = await new Promise<Extract<WorkerReply, { type: 'result' }>>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      timer = setTimeout(() => {
        pending.delete(id);
        reject(new ParseTimeout(limit));
      }, limit);
      w.postMessage({ id, code });
    });
    if (reply.ok) return { ok: true, diagramType: normalizeDiagramType(reply.diagramType) };
    return { ok: false, ...describeError(code, reply.message, reply.locLine) };
  } catch (e) {
    if (!(e instanceof ParseTimeout)) throw e;
    await stopWorker(w); // the next call starts a fresh worker
    if (!e.startup) return { ok: false, message: e.message };
    throw new ValidatorUnavailableError(e.message);
  } finally {
    clearTimeout(timer);
    if (worker === w) w.unref();
  }
}

class ParseTimeout extends Error {
  readonly startup: boolean;
  constructor(limit: number) {
    super(
      limit === PARSE_TIMEOUT_MS
        ? `Mermaid's parser did not finish within ${limit} ms`
        : `mermaid did not load within ${limit} ms`,
    );
    this.startup = limit !== PARSE_TIMEOUT_MS;
  }
}

/**
 * The 1-based source line of a parser error: jison parsers give the failing
 * token's location (better than the "on line N" of their message, which is
 * the lexer's position and can be past the end); Langium parsers only say
 * "line N, column M" in the message. Both count lines of the text mermaid
 * parsed, after it removed front matter and comments, so map them back.
 */
function describeError(code: string, message: string, locLine: number | null): { line?: number; message: string } {
  const fromMessage = /\bline (\d+)/i.exec(message);
  const parsed = locLine ?? (fromMessage ? Number(fromMessage[1]) : null);
  if (parsed === null || !Number.isFinite(parsed) || parsed < 1) return { message };
  const line = sourceLine(code, parsed);
  // Keep the message consistent with `line`: jison's "on line N" becomes ours;
  // Langium's "line N, column M" pairs are each mapped back.
  const fixed =
    locLine !== null
      ? message.replace(/\bon line \d+/i, `on line ${line}`)
      : message.replace(/\bline (\d+)/gi, (_, n: string) => `line ${sourceLine(code, Number(n))}`);
  return { line, message: fixed };
}

/**
 * Parses `code` with Mermaid. Never rejects for bad input (empty text, prose,
 * broken syntax, a parse that hangs): those come back as `{ ok: false }`.
 * Rejects with ValidatorUnavailableError only if mermaid itself cannot load.
 */
export function validate(code: string): Promise<ValidateResult> {
  const text = String(code ?? '');
  const cached = recent.get(text);
  if (cached) return Promise.resolve({ ...cached });
  const run = chain.then(() => parseInWorker(text));
  chain = run.catch(() => undefined);
  return run.then((result) => ({ ...remember(text, result) }));
}

/**
 * The last few answers, by exact text. A parse is deterministic (mermaid
 * resets its config before each one), and the pipeline asks twice about the
 * same text (validate, then repair, which re-validates after sanitizing).
 * Timeouts are not remembered.
 */
const RECENT_MAX = 16;
const recent = new Map<string, ValidateResult>();

function remember(text: string, result: ValidateResult): ValidateResult {
  if (!result.ok && result.message.startsWith("Mermaid's parser did not finish")) return result;
  recent.delete(text);
  recent.set(text, result);
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
  return result;
}

/** Starts the worker and loads mermaid now, so the first real call is fast. */
export async function warmUp(): Promise<void> {
  await validate('flowchart TD\n  A --> B');
}

/** Whether the loaded mermaid got the getConfig() speed patch; null before the first parse. */
export function parserPatched(): boolean | null {
  return patched;
}

/** Stops the worker (tests, shutdown). A later `validate` starts a new one. */
export async function closeValidator(): Promise<void> {
  await chain;
  recent.clear();
  if (worker) await stopWorker(worker);
}
