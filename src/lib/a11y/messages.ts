/**
 * What the live region says about a run and about the editor's parser, as
 * pure functions of the state (tested in messages.test.ts). A message is only
 * produced when the phase changes: the token count, the tokens/s and the
 * loading percentage are on screen, not read out.
 */
import type { RunState, Validation } from '../state/types.ts';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} seconds`;

/** The message for entering `run.phase`, or null for a phase that says nothing new. */
export function runMessage(run: RunState): string | null {
  const verb = run.kind === 'refine' ? 'Refining' : 'Generating';
  switch (run.phase) {
    case 'connecting':
      return `${verb} the diagram…`;
    case 'queued':
      return run.queuePosition ? `Waiting in the queue, position ${run.queuePosition}.` : 'Waiting in the queue.';
    case 'loading':
      return 'Loading the model…';
    case 'repairing':
      return 'Repairing the diagram…';
    case 'done': {
      const r = run.result;
      if (!r) return 'Done.';
      const type = r.diagramType ? ` ${r.diagramType}` : '';
      return r.valid
        ? `Done in ${secs(r.timings.totalMs)}: a valid${type} diagram, ${r.tokens} tokens.`
        : `Finished in ${secs(r.timings.totalMs)}, but the diagram does not parse.`;
    }
    case 'aborted':
      return 'Stopped. The last valid drawing is kept.';
    case 'error':
      return `Generation failed: ${run.error?.message ?? 'unknown error'}`;
    default:
      // 'generating' follows 'connecting' at once: the start is already announced.
      return null;
  }
}

/** The message for a settled parser result while editing, or null while it is still checking or receiving. */
export function validationMessage(v: Validation, renderError: boolean): string | null {
  if (v.status === 'valid') return renderError ? 'Parses, but cannot be drawn.' : `Valid${v.diagramType ? ` ${v.diagramType}` : ''}.`;
  if (v.status === 'invalid') return v.error.line ? `Parser error on line ${v.error.line}.` : 'Parser error.';
  return null;
}
