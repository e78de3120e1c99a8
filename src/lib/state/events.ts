/**
 * The stream reducer: how each StreamEvent changes the state. Pure over the
 * state object it is given (the state module calls it inside its single
 * mutation gateway), so it holds the rules in one place: queue, loading and
 * tokens go to `run`; candidates move `code`, and `renderCode` only when the
 * candidate parsed; `done` saves the result to history.
 */
import type { ParseError, StreamEvent } from '../../../common/protocol.ts';
import { addEntry, newId } from './history.ts';
import type { DiagramState, RunState } from './types.ts';

/** The longest raw model text kept for display; older text is dropped. */
const MAX_RAW_TEXT = 200_000;

export function freshRun(kind: RunState['kind']): RunState {
  return {
    kind,
    phase: 'connecting',
    queuePosition: null,
    queueLength: null,
    loadingProgress: 0,
    loadingMessage: '',
    budgetMs: null,
    startedAt: null,
    tokens: 0,
    text: '',
    repairing: null,
    result: null,
    error: null,
  };
}

export function setCandidate(s: DiagramState, code: string, valid: boolean, error?: ParseError): void {
  s.code = code;
  if (!code.trim()) s.validation = { status: 'empty' };
  else if (valid) {
    s.validation = { status: 'valid', diagramType: null };
    s.renderCode = code;
    s.renderError = null;
  } else if (error) s.validation = { status: 'invalid', error };
  else s.validation = { status: 'partial' };
}

/**
 * A streamed candidate is worth drawing once it says more than its header: a
 * bare `flowchart TD` (the first complete line of every run) parses, but
 * draws an empty canvas in place of the previous diagram.
 */
export function hasBody(code: string): boolean {
  return code.split('\n').filter((l) => l.trim() && !l.trim().startsWith('%%')).length > 1;
}

/** Applies `ev` to `s`; `now` is the clock (ms). */
export function reduceEvent(s: DiagramState, ev: StreamEvent, now: number): void {
  const run = (s.run ??= freshRun('generate'));
  switch (ev.type) {
    case 'queued':
      run.phase = 'queued';
      run.queuePosition = ev.position;
      run.queueLength = ev.queueLength;
      break;
    case 'loading':
      run.phase = 'loading';
      run.loadingProgress = Math.max(0, Math.min(100, ev.progress));
      run.loadingMessage = ev.message;
      break;
    case 'started':
      run.phase = 'generating';
      run.queuePosition = null;
      run.budgetMs = ev.budgetMs;
      run.startedAt = now;
      break;
    case 'token':
      run.phase = 'generating';
      run.startedAt ??= now;
      run.tokens = ev.tokens;
      run.text = (run.text + ev.text).slice(-MAX_RAW_TEXT);
      break;
    case 'candidate':
      // A header alone is shown as "receiving", not drawn: the last drawing stays until there is something to draw.
      setCandidate(s, ev.code, ev.valid && hasBody(ev.code), ev.error);
      break;
    case 'invalid':
      setCandidate(s, ev.code, false, ev.error);
      break;
    case 'repairing':
      run.phase = 'repairing';
      run.repairing = { stage: ev.stage, reason: ev.reason };
      break;
    case 'done': {
      const r = ev.result;
      run.phase = 'done';
      run.result = r;
      run.repairing = null;
      if (r.code.trim()) {
        setCandidate(s, r.code, r.valid, r.valid ? undefined : (r.error ?? { message: 'The diagram does not parse.' }));
        if (r.valid) s.validation = { status: 'valid', diagramType: r.diagramType };
        s.history = addEntry(s.history, {
          id: newId(now),
          description: s.description,
          code: r.code,
          time: now,
          diagramType: r.diagramType,
          thread: s.thread.filter((t) => t.status !== 'running'),
        });
      }
      s.baseline = { description: s.description, code: s.code };
      break;
    }
    case 'error':
      run.phase = 'error';
      run.error = ev.error;
      break;
  }
}
