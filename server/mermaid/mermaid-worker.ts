/**
 * The one owner of Mermaid on the server: the only module that starts it.
 * Mermaid is a browser library: it wants `window`, `document` and DOMPurify
 * (which needs a window) as globals, at import and while parsing. Those
 * globals must not leak into the server: transformers.js decides "browser or
 * Node" from `typeof window`. So Mermaid and its jsdom shim run in a worker
 * thread, which has globals of its own; the worker source is the string
 * below, so the whole shim stays in this file. The worker also lets us kill
 * a parse that runs away on hostile input, and loads Mermaid once (about
 * 2 s) for all later calls.
 *
 * One worker per process answers two questions, one at a time (Mermaid
 * keeps its config and diagram registry in module state):
 * - `parse`: is this Mermaid? (validate.ts turns the answer into a ValidateResult);
 * - `drawn`: what does Mermaid draw? (drawn.ts; CLI and benches only).
 * The repair thread asks through validate.ts's port (repair-thread.ts), so
 * the server holds one Mermaid, not one per thread.
 *
 * At start-up the worker also parses one small diagram of every type:
 * Mermaid loads each type's parser on first use (a chunk import, and for the
 * Langium-based types a grammar build), tens to hundreds of milliseconds
 * that no request should pay.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Starting the worker, importing Mermaid and warming every diagram type (first call only). */
export const STARTUP_TIMEOUT_MS = 60_000;

/** Thrown (rejected) only when Mermaid itself cannot run, never for bad diagrams. */
export class ValidatorUnavailableError extends Error {
  override name = 'ValidatorUnavailableError';
}

/** A request that outlasted its limit; the worker was stopped (the next request starts a fresh one). */
export class MermaidTimeout extends Error {
  override name = 'MermaidTimeout';
  constructor(
    readonly limitMs: number,
    /** The limit was the start-up one: Mermaid did not load. */
    readonly startup: boolean,
  ) {
    super(startup ? `mermaid did not load within ${limitMs} ms` : `Mermaid did not finish within ${limitMs} ms`);
  }
}

export type MermaidRequest = { kind: 'parse'; code: string } | { kind: 'drawn'; code: string; getters: Record<string, string[]> };

/** `parse`: Mermaid's verdict, raw (validate.ts describes it). */
export type ParseReply =
  | { ok: true; diagramType: string }
  | { ok: false; message: string; locLine: number | null; render?: boolean };

/** `drawn`: a snapshot of the diagram database (drawnUnits.ts reads it). */
export type DrawnReply = { ok: true; snapshot: unknown } | { ok: false; message: string };

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
  // Each type's parser loads on first use: load them all now (see WARM_UP).
  for (const code of workerData.warmUp) {
    try { await mermaid.parse(code); } catch {}
  }
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
    try { db.getTasks(); } catch (e) { return 'gantt\\u0000' + String((e && e.message) || e) + '\\u0000' + db.getDateFormat(); }
    return null;
  }
  const task = db.getTasks().find((t) => !Number.isFinite(t.score));
  return task ? 'journey\\u0000' + String(task.task).trim() : null;
}
async function parse(mermaid, code) {
  try {
    const result = await mermaid.parse(code);
    const drawn = await renderCheck(mermaid, code, result.diagramType);
    if (drawn) return { ok: false, message: drawn, locLine: null, render: true };
    return { ok: true, diagramType: result.diagramType };
  } catch (e) {
    const loc = e && e.hash && e.hash.loc;
    return { ok: false, message: String((e && e.message) || e), locLine: loc && typeof loc.first_line === 'number' ? loc.first_line : null };
  }
}
// Plain data out of whatever a getter returns (Maps, Sets, class instances,
// cycles through parents): strings, numbers and booleans, depth-limited.
function plain(value, depth, seen) {
  if (value === null || value === undefined) return null;
  const t = typeof value;
  if (t === 'string' || t === 'boolean') return value;
  if (t === 'number') return Number.isFinite(value) ? value : null;
  if (t !== 'object' || depth > 7 || seen.has(value)) return null;
  if (value instanceof Date) return value.toISOString();
  seen.add(value);
  let out;
  if (value instanceof Map) out = [...value].map(([k, v]) => [plain(k, depth + 1, seen), plain(v, depth + 1, seen)]);
  else if (value instanceof Set || Array.isArray(value)) out = [...value].slice(0, 5000).map((v) => plain(v, depth + 1, seen));
  else {
    out = {};
    for (const key of Object.keys(value)) {
      if (key === 'parent' || key === 'styles' || key === 'cssStyles' || key === 'domId') continue;
      const v = value[key];
      if (typeof v !== 'function') out[key] = plain(v, depth + 1, seen);
    }
  }
  seen.delete(value);
  return out;
}
async function drawn(mermaid, code, getters) {
  try {
    await mermaid.parse(code);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(code);
    const db = diagram.db;
    const data = {};
    for (const name of getters[diagram.type] || []) {
      try { data[name] = plain(typeof db[name] === 'function' ? db[name]() : null, 0, new Set()); }
      catch (e) { data[name] = { error: String((e && e.message) || e) }; }
    }
    let title = null;
    try {
      // timeline keeps its title in the common db
      const titled = typeof db.getDiagramTitle === 'function' ? db : typeof db.getCommonDb === 'function' ? db.getCommonDb() : null;
      title = titled && typeof titled.getDiagramTitle === 'function' ? titled.getDiagramTitle() : null;
    } catch {}
    return { ok: true, snapshot: { type: diagram.type, title: title || null, data } };
  } catch (e) {
    return { ok: false, message: String((e && e.message) || e) };
  }
}
parentPort.on('message', async ({ id, request }) => {
  let mermaid;
  try { mermaid = await ready; } catch { return; }
  const reply = request.kind === 'drawn' ? await drawn(mermaid, request.code, request.getters) : await parse(mermaid, request.code);
  parentPort.postMessage({ type: 'reply', id, reply });
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

/**
 * One small diagram of each type Mermaid 11 knows, parsed at start-up so
 * that each type's parser is loaded before the first request (a type whose
 * example fails to parse is still loaded: the chunk loads before parsing).
 */
export const WARM_UP: readonly string[] = [
  'flowchart TD\n  A[a] --> B{b}',
  'sequenceDiagram\n  A->>B: hi',
  'classDiagram\n  class A {\n    +int x\n  }\n  A <|-- B',
  'stateDiagram-v2\n  [*] --> A\n  A --> [*]',
  'erDiagram\n  A ||--o{ B : has',
  'gantt\n  dateFormat YYYY-MM-DD\n  section S\n    T :t1, 2024-01-01, 1d',
  'journey\n  title T\n  section S\n    Task: 5: Me',
  'pie title P\n  "a" : 1',
  'mindmap\n  root((R))\n    A',
  'timeline\n  title T\n  2024 : e',
  'quadrantChart\n  x-axis Low --> High\n  y-axis Low --> High\n  P: [0.5, 0.5]',
  'xychart-beta\n  x-axis [a, b]\n  bar [1, 2]',
  'sankey-beta\nA,B,1',
  'block-beta\n  columns 1\n  a',
  'gitGraph\n  commit\n  branch b\n  commit',
  'requirementDiagram\n  requirement r {\n    id: 1\n    text: t\n  }',
  'C4Context\n  Person(a, "A")',
  'architecture-beta\n  service db(database)[DB]',
  'packet\n  0-15: "Port"',
  'radar-beta\n  axis a["A"], b["B"]\n  curve c["C"]{1, 2}',
  'treemap-beta\n"A"\n    "B": 1',
  'kanban\n  c[Column]\n    t[Task]',
  'info',
];

interface Pending {
  resolve: (reply: unknown) => void;
  reject: (error: Error) => void;
}

let worker: Worker | null = null;
let workerReady = false;
let patched: boolean | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();
/** The serialization chain: each request starts when the previous one settled. */
let chain: Promise<unknown> = Promise.resolve();
/** Workers started and requests asked in this thread (tests: one Mermaid, not restarted by a stopped repair). */
const stats = { starts: 0, requests: 0 };

function workerData(): { hooks: string; jsdom: string; mermaid: string; warmUp: readonly string[] } {
  const require = createRequire(import.meta.url);
  // mermaid's "exports" only has an `import` condition, so go through its package.json.
  const mermaidDir = dirname(require.resolve('mermaid/package.json'));
  return {
    hooks: HOOKS_SOURCE,
    jsdom: pathToFileURL(require.resolve('jsdom')).href,
    mermaid: pathToFileURL(join(mermaidDir, 'dist', 'mermaid.core.mjs')).href,
    warmUp: WARM_UP,
  };
}

function failAll(error: Error): void {
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

type WorkerMessage = { type: 'ready'; patched: boolean } | { type: 'failed'; message: string } | { type: 'reply'; id: number; reply: unknown };

function startWorker(): Worker {
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: workerData() });
  stats.starts++;
  workerReady = false;
  w.unref(); // an idle Mermaid never keeps the process alive
  w.on('message', (m: WorkerMessage) => {
    if (m.type === 'ready') {
      workerReady = true;
      patched = m.patched;
    } else if (m.type === 'failed') {
      failAll(new ValidatorUnavailableError(`mermaid could not be loaded: ${m.message}`));
      void stopWorker(w);
    } else {
      const p = pending.get(m.id);
      pending.delete(m.id);
      p?.resolve(m.reply);
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

async function askNow(request: MermaidRequest, limitMs: number): Promise<unknown> {
  worker ??= startWorker();
  const w = worker;
  const id = nextId++;
  const startup = !workerReady;
  const limit = startup ? STARTUP_TIMEOUT_MS : limitMs;
  let timer: NodeJS.Timeout | undefined;
  w.ref(); // keep the process alive while a caller awaits an answer (CLI)
  try {
    return await new Promise<unknown>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      timer = setTimeout(() => {
        pending.delete(id);
        reject(new MermaidTimeout(limit, startup));
        void stopWorker(w); // runaway: the next request starts a fresh worker
      }, limit);
      w.postMessage({ id, request });
    });
  } finally {
    clearTimeout(timer);
    if (worker === w) w.unref();
  }
}

/**
 * Asks the Mermaid worker (started on first use); requests are serialized.
 * Rejects with MermaidTimeout past `limitMs` (or the start-up limit while
 * Mermaid loads), with ValidatorUnavailableError when Mermaid cannot run.
 */
export function askMermaid(request: { kind: 'parse'; code: string }, limitMs: number): Promise<ParseReply>;
export function askMermaid(request: { kind: 'drawn'; code: string; getters: Record<string, string[]> }, limitMs: number): Promise<DrawnReply>;
export function askMermaid(request: MermaidRequest, limitMs: number): Promise<unknown> {
  stats.requests++;
  const run = chain.then(() => askNow(request, limitMs));
  chain = run.catch(() => undefined);
  return run;
}

/** Whether the loaded Mermaid got the getConfig() speed patch; null before it loaded. */
export function mermaidPatched(): boolean | null {
  return patched;
}

/** How many Mermaid workers this thread started, and how many requests it asked of them. */
export function mermaidStats(): { starts: number; requests: number } {
  return { ...stats };
}

/** Stops the worker once the requests in flight settled (tests, shutdown). A later request starts a new one. */
export async function closeMermaid(): Promise<void> {
  await chain;
  if (worker) await stopWorker(worker);
}
