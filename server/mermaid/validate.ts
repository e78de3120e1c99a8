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
 * Validity here is Mermaid's notion, plus the RENDER CHECKS below (a gantt
 * chart whose dates the renderer cannot resolve, a journey task without a
 * score): a diagram carrying `%%{init}%%` or front matter `config:` is valid. Stripping configuration from untrusted text is
 * `sanitize.ts`'s job, and `repair()` always applies it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ValidateResult } from '../../common/protocol.ts';
import { normalizeDiagramType } from '../../common/diagramType.ts';
import { sourceLine } from '../../common/lineMap.ts';
import { firstBadDeactivation } from './sequence.ts';

export { normalizeDiagramType } from '../../common/diagramType.ts';

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
// What the renderer needs and the parser does not check (see RENDER CHECKS
// in validate.ts). Returns a problem as text, or null.
async function renderCheck(mermaid, code, diagramType) {
  if (diagramType !== 'gantt' && diagramType !== 'journey') return null;
  const { db } = await mermaid.mermaidAPI.getDiagramFromText(code);
  if (diagramType === 'gantt') {
    try { db.getTasks(); } catch (e) { return 'gantt\u0000' + String((e && e.message) || e) + '\u0000' + db.getDateFormat(); }
    return null;
  }
  const task = db.getTasks().find((t) => !Number.isFinite(t.score));
  return task ? 'journey\u0000' + String(task.task).trim() : null;
}
parentPort.on('message', async ({ id, code }) => {
  let mermaid;
  try { mermaid = await ready; } catch { return; }
  try {
    const result = await mermaid.parse(code);
    const drawn = await renderCheck(mermaid, code, result.diagramType);
    if (drawn) {
      parentPort.postMessage({ type: 'result', id, ok: false, message: drawn, locLine: null, render: true });
      return;
    }
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
  | { type: 'result'; id: number; ok: false; message: string; locLine: number | null; render?: boolean };

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
    if (reply.render) return { ok: false, ...describeRenderProblem(code, reply.message) };
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
  // The sequence diagram's activation check throws with a made-up location (line 1).
  const inactive = /^Trying to inactivate an inactive participant \((.*)\)/.exec(message);
  if (inactive) {
    const bad = firstBadDeactivation(code.split('\n'));
    if (!bad) return { message };
    const line = bad.index + 1;
    return { line, message: `Line ${line}: ${inactive[1]} is deactivated here but is not active (${message}).` };
  }
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
 * RENDER CHECKS. A few diagrams parse but cannot be drawn as written; the
 * worker asks the parsed diagram what its renderer will ask:
 * - gantt: `getTasks()` resolves every date and duration, and throws where
 *   the renderer would ("Invalid date:15/01/2024" under `dateFormat
 *   YYYY-MM-DD`, a `title:` line read as a task without data);
 * - journey: a task whose score is not a number (`Find shoes: Customer`)
 *   is drawn without its face, and its actor is read as the score.
 * They come back as errors with a line where one can be found, worded for
 * the model's retry. Every diagram of Mermaid's documentation passes them.
 */
function describeRenderProblem(code: string, problem: string): { line?: number; message: string } {
  const [kind, detail = '', dateFormat = ''] = problem.split('\u0000');
  const lines = code.split('\n');
  const lineOf = (needle: string, from = 0) => {
    const i = needle ? lines.findIndex((l, k) => k >= from && l.includes(needle)) : -1;
    return i === -1 ? undefined : i + 1;
  };
  if (kind === 'journey') {
    const line = lines.findIndex((l) => l.trim().startsWith(detail) && /:/.test(l));
    const where = line === -1 ? '' : ` on line ${line + 1}`;
    const message = `Journey task "${detail}"${where} has no score: write each task as Task name: score from 1 to 5: Actor, Actor.`;
    return line === -1 ? { message } : { line: line + 1, message };
  }
  const date = /^Invalid date:(.*)$/.exec(detail);
  if (date) {
    const header = lines.findIndex((l) => /^\s*dateFormat\b/.test(l));
    const line = lineOf(date[1]!.trim(), header + 1);
    const where = line === undefined ? '' : ` on line ${line}`;
    const message = `Gantt chart cannot be drawn: the date "${date[1]!.trim()}"${where} does not match dateFormat ${dateFormat || 'YYYY-MM-DD'}.`;
    return line === undefined ? { message } : { line, message };
  }
  // A keyword with a colon (`title: Plan`) is read as a task with no dates: the usual cause.
  const keyword = lines.findIndex((l) => /^\s*(?:title|dateFormat|axisFormat|tickInterval|section|excludes|includes|todayMarker|weekday)\s*:/.test(l));
  if (keyword !== -1) {
    const word = lines[keyword]!.trim().split(':')[0]!.trimEnd();
    return { line: keyword + 1, message: `Gantt chart cannot be drawn: line ${keyword + 1} is read as a task; write "${word} …" without a colon.` };
  }
  return { message: `Gantt chart cannot be drawn: ${detail}. Every task needs Task name :id, start date or after id, duration (e.g. 3d).` };
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
