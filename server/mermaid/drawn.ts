/**
 * What Mermaid will draw for a diagram: its units (nodes, participants,
 * states, classes, entities, tasks, slices, points…) and the text of its
 * labels, read from Mermaid's own diagram database after Mermaid's own
 * parser has run — never from our readers, so it can judge them:
 *
 *   await drawnContent('flowchart TD\n  A[Start] --> B')
 *   // { ok: true, diagramType: 'flowchart-v2', units: [{ id: 'A', label: 'Start' }, …], texts: ['Start', 'B'] }
 *
 * Used by `mermaid-flow repair|validate --json` (units before and after) and
 * by `npm run bench:repair` (is what the model wrote still drawn?).
 *
 * Mermaid runs in a worker thread over a jsdom window, as in validate.ts
 * (whose comment says why: its browser globals must not leak into the
 * server). validate.ts's worker answers only "valid or not" and is tuned for
 * the request path; this one is loaded only by the CLI and the bench. The
 * worker turns the database into plain data with the getters listed in
 * GETTERS (a snapshot: Maps become [key, value] lists, depth-limited);
 * `drawnUnits.ts` reads the snapshot, so that reading is pure and tested.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Drawn, type DbSnapshot, readSnapshot } from './drawnUnits.ts';

/** Mermaid's diagram type id → the database getters whose output is drawn. */
export const GETTERS: Record<string, string[]> = {
  'flowchart-v2': ['getVertices', 'getEdges', 'getSubGraphs'],
  flowchart: ['getVertices', 'getEdges', 'getSubGraphs'],
  sequence: ['getActors', 'getMessages', 'getBoxes'],
  stateDiagram: ['getData'],
  classDiagram: ['getClasses', 'getRelations', 'getNotes', 'getNamespaces'],
  er: ['getEntities', 'getRelationships'],
  gantt: ['getTasks', 'getSections'],
  mindmap: ['getMindmap'],
  timeline: ['getSections', 'getTasks'],
  journey: ['getSections', 'getTasks'],
  pie: ['getSections'],
  quadrantChart: ['getQuadrantData'],
  xychart: ['getXYChartData'],
  sankey: ['getNodes', 'getLinks'],
  block: ['getBlocksFlat', 'getEdges'],
  gitGraph: ['getCommitsArray', 'getBranchesAsObjArray'],
  requirement: ['getRequirements', 'getElements', 'getRelationships'],
};

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ready = (async () => {
  const { JSDOM } = await import(workerData.jsdom);
  const { window } = new JSDOM('<!doctype html><html><body></body></html>');
  globalThis.window = window;
  for (const key of ['document', 'Option', 'Element', 'HTMLElement', 'Node', 'DOMParser', 'DocumentFragment']) {
    globalThis[key] = window[key];
  }
  const mermaid = (await import(workerData.mermaid)).default;
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  return mermaid;
})();
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
parentPort.on('message', async ({ id, code, getters }) => {
  let mermaid;
  try { mermaid = await ready; } catch (e) {
    parentPort.postMessage({ id, ok: false, message: 'mermaid could not be loaded: ' + String((e && e.message) || e) });
    return;
  }
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
    parentPort.postMessage({ id, ok: true, snapshot: { type: diagram.type, title: title || null, data } });
  } catch (e) {
    parentPort.postMessage({ id, ok: false, message: String((e && e.message) || e) });
  }
});
`;

export type DrawnResult = ({ ok: true } & Drawn) | { ok: false; message: string };

/** A parse that takes longer than this counts as "nothing drawn" and its worker is replaced. */
export const DRAWN_TIMEOUT_MS = 10_000;
const STARTUP_TIMEOUT_MS = 60_000;

let worker: Worker | null = null;
let started = false;
let nextId = 1;
let chain: Promise<unknown> = Promise.resolve();

function startWorker(): Worker {
  const require = createRequire(import.meta.url);
  const mermaidDir = dirname(require.resolve('mermaid/package.json'));
  const w = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      jsdom: pathToFileURL(require.resolve('jsdom')).href,
      mermaid: pathToFileURL(join(mermaidDir, 'dist', 'mermaid.core.mjs')).href,
    },
  });
  w.unref();
  w.on('exit', () => {
    if (worker === w) worker = null;
  });
  started = false;
  return w;
}

function ask(code: string): Promise<DrawnResult> {
  worker ??= startWorker();
  const w = worker;
  const id = nextId++;
  const limit = started ? DRAWN_TIMEOUT_MS : STARTUP_TIMEOUT_MS;
  w.ref();
  return new Promise<DrawnResult>((resolve) => {
    const timer = setTimeout(() => {
      w.off('message', onMessage);
      if (worker === w) worker = null;
      void w.terminate();
      resolve({ ok: false, message: `Mermaid did not finish within ${limit} ms` });
    }, limit);
    const onMessage = (reply: { id: number; ok: boolean; message?: string; snapshot?: DbSnapshot }) => {
      if (reply.id !== id) return;
      clearTimeout(timer);
      w.off('message', onMessage);
      if (worker === w) w.unref();
      started = true;
      if (reply.ok && reply.snapshot) resolve({ ok: true, ...readSnapshot(reply.snapshot) });
      else resolve({ ok: false, message: reply.message ?? 'unknown error' });
    };
    w.on('message', onMessage);
    w.postMessage({ id, code, getters: GETTERS });
  });
}

/**
 * The units and label texts Mermaid draws for `code`, or `{ ok: false }` when
 * Mermaid does not accept it. Calls are serialized (one mermaid instance).
 */
export function drawnContent(code: string): Promise<DrawnResult> {
  const run = chain.then(() => ask(String(code ?? '')));
  chain = run.catch(() => undefined);
  return run;
}

/** Stops the worker (end of a CLI run, tests). A later call starts a new one. */
export async function closeDrawn(): Promise<void> {
  await chain;
  const w = worker;
  worker = null;
  if (w) await w.terminate();
}
