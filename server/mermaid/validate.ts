/**
 * Is this Mermaid? Asks Mermaid's own parser (`mermaid.parse`) and returns
 * the answer as data:
 *
 *   await validate('flowchart TD\n  A --> B')  // { ok: true, diagramType: 'flowchart' }
 *   await validate('flowchart TD\n  A --> end') // { ok: false, line: 2, message: 'Parse error on line 2: …' }
 *
 * Mermaid itself runs in the process's one Mermaid worker
 * (mermaid-worker.ts, which says why a worker); this module words its
 * answers, remembers the last few, and gives a parse a time limit. Parses
 * are serialized there, so `validate` is safe to call concurrently.
 *
 * In the repair thread (repair-thread.ts) `validate` asks the main thread's
 * validator through a MessagePort (`serveValidator` / `validateThrough`):
 * one Mermaid for the server, one cache, and a repair that runs away can be
 * stopped without stopping the parser other requests use.
 *
 * Validity here is Mermaid's notion, plus the RENDER CHECKS below (a gantt
 * chart whose dates the renderer cannot resolve, a journey task without a
 * score): a diagram carrying `%%{init}%%` or front matter `config:` is valid. Stripping configuration from untrusted text is
 * `sanitize.ts`'s job, and `repair()` always applies it.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ValidateResult } from '../../common/protocol.ts';
import { normalizeDiagramType } from '../../common/diagramType.ts';
import { sourceLineMap } from '../../common/lineMap.ts';
import { askMermaid, closeMermaid, MermaidTimeout, mermaidPatched, type ParseReply, ValidatorUnavailableError } from './mermaid-worker.ts';
import { stretchTracker } from './longest-stretch.ts';
import { firstBadDeactivation } from './sequence.ts';

export { normalizeDiagramType } from '../../common/diagramType.ts';

export { STARTUP_TIMEOUT_MS, ValidatorUnavailableError } from './mermaid-worker.ts';

/** A parse that takes longer than this is treated as a failure and the Mermaid worker restarted. */
export const PARSE_TIMEOUT_MS = 5_000;

/** Mermaid's verdict as the worker gives it, or a parse stopped at its limit. */
type Verdict = ParseReply | { ok: false; timedOut: true; message: string };

/** Parses in the Mermaid worker. */
async function parseInWorker(code: string): Promise<Verdict> {
  try {
    return await askMermaid({ kind: 'parse', code }, PARSE_TIMEOUT_MS);
  } catch (e) {
    if (!(e instanceof MermaidTimeout)) throw e;
    if (e.startup) throw new ValidatorUnavailableError(e.message);
    return { ok: false, timedOut: true, message: `Mermaid's parser did not finish within ${e.limitMs} ms` };
  }
}

/** The verdict worded for people and the model's retry (in the thread that asked: the relay only relays). */
function describe(code: string, verdict: Verdict): ValidateResult {
  if (verdict.ok) return { ok: true, diagramType: normalizeDiagramType(verdict.diagramType) };
  if ('timedOut' in verdict) return { ok: false, message: verdict.message };
  if (verdict.render) return { ok: false, ...describeRenderProblem(code, verdict.message) };
  return { ok: false, ...describeError(code, verdict.message, verdict.locLine) };
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
  const sourceLine = sourceLineMap(code);
  const line = sourceLine(parsed);
  // Keep the message consistent with `line`: jison's "on line N" becomes ours;
  // Langium's "line N, column M" pairs are each mapped back.
  const fixed =
    locLine !== null
      ? message.replace(/\bon line \d+/i, `on line ${line}`)
      : message.replace(/\bline (\d+)/gi, (_, n: string) => `line ${sourceLine(Number(n))}`);
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
export async function validate(code: string): Promise<ValidateResult> {
  const text = String(code ?? '');
  return describe(text, await verdictOf(text));
}

/** Mermaid's verdict on `text`: through the port (whose end remembers), or remembered, or from the Mermaid worker. */
function verdictOf(text: string): Promise<Verdict> {
  if (remote) return remote.ask(text);
  const cached = recent.get(text);
  if (cached) return Promise.resolve(cached);
  return parseInWorker(text).then((verdict) => remember(text, verdict));
}

/**
 * The last few verdicts, by exact text. A parse is deterministic (mermaid
 * resets its config before each one), and the pipeline asks twice about the
 * same text (validate, then repair, which re-validates after sanitizing).
 * Timeouts are not remembered.
 */
const RECENT_MAX = 16;
const recent = new Map<string, Verdict>();

function remember(text: string, verdict: Verdict): Verdict {
  if ('timedOut' in verdict) return verdict;
  recent.delete(text);
  recent.set(text, verdict);
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
  return verdict;
}

type PortReply = { id: number; verdict: Verdict } | { id: number; unavailable: string };

/**
 * Answers `validate` requests that arrive on `port` (the repair thread's)
 * with Mermaid's raw verdict from this thread's worker and cache; the asking
 * thread words it, so this thread only relays. The port never keeps the
 * process alive.
 */
export function serveValidator(port: MessagePort): void {
  const reply = (message: PortReply) => relay.time(() => port.postMessage(message));
  port.on('message', ({ id, code }: { id: number; code: string }) =>
    relay.time(() =>
      verdictOf(code).then(
        (verdict) => reply({ id, verdict }),
        (e: unknown) => reply({ id, unavailable: e instanceof Error ? e.message : String(e) }),
      ),
    ),
  );
  port.unref();
}

/** The longest stretch this thread spent on one relayed request or answer (tests: the event loop only relays). */
const relay = stretchTracker();
export const relayMaxMs = relay.maxMs;

let remote: { ask: (code: string) => Promise<Verdict> } | null = null;

/** From now on, `validate` in this thread asks the validator at the other end of `port` (see serveValidator). */
export function validateThrough(port: MessagePort): void {
  const waiting = new Map<number, { resolve: (v: Verdict) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  port.on('message', (reply: PortReply) => {
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ('verdict' in reply) w?.resolve(reply.verdict);
    else w?.reject(new ValidatorUnavailableError(reply.unavailable));
  });
  port.unref();
  remote = {
    ask: (code) =>
      new Promise<Verdict>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        port.postMessage({ id, code });
      }),
  };
}

/** Forgets the remembered verdicts (benches: every run parses). */
export function forgetVerdicts(): void {
  recent.clear();
}

/** Starts the Mermaid worker and loads Mermaid (and every diagram type) now, so the first real call is fast. */
export async function warmUp(): Promise<void> {
  await validate('flowchart TD\n  A --> B');
}

/** Whether the loaded mermaid got the getConfig() speed patch; null before the first parse. */
export function parserPatched(): boolean | null {
  return mermaidPatched();
}

/** Stops the Mermaid worker (tests, shutdown). A later `validate` starts a new one. */
export async function closeValidator(): Promise<void> {
  recent.clear();
  if (!remote) await closeMermaid();
}
