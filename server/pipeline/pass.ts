/**
 * The two steps describe() repeats: one model pass (`generatePass`, tokens
 * and throttled candidates) and the check of its text (`check`: extract,
 * validate, repair). Both are generators: they yield their events and
 * return their outcome, so describe() reads as one stream (`yield*`).
 */
import type { ParseError, RepairResult, StreamEvent } from '../../common/protocol.ts';
import type { ChatMessage, Engine, TokenChunk } from '../engine/types.ts';
import type { ConstraintSpec } from '../engine/grammar/types.ts';
import type { MermaidTools } from './tools.ts';
import { typeOfHeader } from './types.ts';
import { sleep } from './wait.ts';

/** Why nothing was drawn, when extraction finds no diagram at all. */
export const NO_DIAGRAM_ERROR = 'The model did not write a Mermaid diagram.';
/** Reported when the requested type's header line was put in front of headerless code. */
export const ADD_HEADER = 'add-header';
/** How long a finished pass waits for the candidate validation in flight (ms). */
export const CANDIDATE_GRACE_MS = 250;

export type PassOutput = Extract<TokenChunk, { type: 'end' }>;

export interface PassOptions {
  deadline: number;
  maxNewTokens: number;
  signal: AbortSignal;
  /** Least time between two `candidate` events (ms). */
  interval: number;
  tools: MermaidTools;
  now: () => number;
  /** Tokens of earlier passes, so `token` events count across passes. */
  tokensBefore?: number;
  /** Grammar-constrained decoding requested (server/engine/grammar). */
  constraint?: ConstraintSpec;
}

export function parseError(v: { line?: number; message: string }): ParseError {
  return v.line === undefined ? { message: v.message } : { line: v.line, message: v.message };
}

/**
 * One generation: a `token` event per chunk and, at most every `interval` ms
 * and only when a line has completed, the partial diagram as a `candidate`,
 * validated in the background, one validation at a time, and yielded with
 * the next chunk after it is known. When the pass ends, a validation still
 * in flight gets a short grace (none when aborted) and is dropped after it,
 * so a candidate never follows the pass's end and a cold parser never holds
 * the model.
 */
export async function* generatePass(engine: Engine, messages: ChatMessage[], o: PassOptions): AsyncGenerator<StreamEvent, PassOutput> {
  let text = '';
  let lastCandidateAt = -Infinity;
  let lastCandidate = '';
  // A holder: the validation's callback writes it.
  const v: { inFlight: Promise<void> | null; ready: StreamEvent | null } = { inFlight: null, ready: null };
  const offset = o.tokensBefore ?? 0;

  const maybeCandidate = () => {
    if (v.inFlight || o.now() - lastCandidateAt < o.interval) return;
    // Complete lines only: a chunk may carry the newline and the start of the next line ("\n  B["),
    // and a half-written line would make every candidate fail to parse.
    const code = o.tools.extract(text.slice(0, text.lastIndexOf('\n') + 1), true);
    if (!code || code === lastCandidate) return;
    lastCandidate = code;
    lastCandidateAt = o.now();
    v.inFlight = o.tools.validate(code).then(
      (r) => {
        v.inFlight = null;
        v.ready = r.ok ? { type: 'candidate', code, valid: true } : { type: 'candidate', code, valid: false, error: parseError(r) };
      },
      () => {
        v.inFlight = null;
      },
    );
  };
  const takeReady = () => {
    const ready = v.ready;
    v.ready = null;
    return ready;
  };

  let end: PassOutput | null = null;
  // Leaving this loop early (return()) stops the generation and waits until the model has let go.
  for await (const chunk of engine.generate({ messages, maxNewTokens: o.maxNewTokens, deadline: o.deadline, ...(o.constraint ? { constraint: o.constraint } : {}) }, o.signal)) {
    if (chunk.type === 'end') {
      end = chunk;
      break;
    }
    text += chunk.text;
    yield { type: 'token', text: chunk.text, tokens: offset + chunk.tokens };
    const ready = takeReady();
    if (ready) yield ready;
    if (chunk.text.includes('\n')) maybeCandidate();
  }
  if (!end) throw new Error('The model stream ended without its end chunk.');
  if (v.inFlight && !o.signal.aborted) await Promise.race([v.inFlight, sleep(CANDIDATE_GRACE_MS)]);
  const ready = takeReady();
  if (ready && !o.signal.aborted) yield ready;
  return end;
}

/** A pass's outcome after extraction, validation and (when needed) deterministic repair. */
export interface Checked {
  /** Code as extracted ('' when none). */
  extracted: string;
  /** The first validation's error, when the extracted code was invalid. */
  firstError?: ParseError;
  /** After repair (or as extracted when it validated). */
  result: RepairResult;
}

/**
 * Extract, validate, and when invalid announce it and repair. Repair runs on
 * valid code too: it strips configuration/styling the model must not inject.
 * Code without a header line (the model started at the first node) gets the
 * requested type's header first: the request says which type it is, so
 * nothing is invented; kept only when that makes the diagram valid.
 * `spent(ms)` is told the time spent in the Mermaid tools (not in the reader).
 */
export async function* check(text: string, tools: MermaidTools, header: string, now: () => number, spent: (ms: number) => void): AsyncGenerator<StreamEvent, Checked> {
  const timed = async <T>(work: Promise<T>): Promise<T> => {
    const start = now();
    try {
      return await work;
    } finally {
      spent(now() - start);
    }
  };
  const extracted = tools.extract(text, false)?.trim() ?? '';
  if (!extracted) {
    return { extracted, result: { code: '', valid: false, diagramType: null, repairs: [], changes: [], error: { message: NO_DIAGRAM_ERROR } } };
  }
  const v = await timed(tools.validate(extracted));
  if (v.ok) return { extracted, result: await timed(tools.repair(extracted)) };
  const firstError = parseError(v);
  yield { type: 'invalid', code: extracted, error: firstError };
  yield { type: 'repairing', stage: 'deterministic', reason: firstError.message };
  if (typeOfHeader(extracted) === null) {
    const withHeader = await timed(tools.repair(`${header}\n${extracted}`));
    if (withHeader.valid) return { extracted, firstError, result: { ...withHeader, repairs: [ADD_HEADER, ...withHeader.repairs] } };
  }
  return { extracted, firstError, result: await timed(tools.repair(extracted)) };
}
