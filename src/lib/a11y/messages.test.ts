import { describe, expect, it } from 'vitest';
import type { DiagramResult } from '../../../common/protocol.ts';
import { freshRun } from '../state/events.ts';
import type { RunState } from '../state/types.ts';
import { diagramResult } from '../testing/result.ts';
import { runMessage, validationMessage } from './messages.ts';

const run = (over: Partial<RunState>): RunState => ({ ...freshRun('generate'), ...over });
// 42 tokens in 2.14 s: what the messages below say.
const result = (over: Partial<DiagramResult> = {}): DiagramResult =>
  diagramResult({ tokens: 42, timings: { queueMs: 0, loadMs: 0, firstTokenMs: 10, generationMs: 2000, repairMs: 0, totalMs: 2140 }, ...over });

describe('live region messages', () => {
  it('announces the start, the end and failures of a run', () => {
    expect(runMessage(run({ phase: 'connecting' }))).toBe('Generating the diagram…');
    expect(runMessage(run({ phase: 'connecting', kind: 'refine' }))).toBe('Refining the diagram…');
    expect(runMessage(run({ phase: 'queued', queuePosition: 2 }))).toBe('Waiting in the queue, position 2.');
    expect(runMessage(run({ phase: 'done', result: result() }))).toBe('Done in 2.1 seconds: a valid flowchart diagram, 42 tokens.');
    expect(runMessage(run({ phase: 'done', result: result({ valid: false }) }))).toBe('Finished in 2.1 seconds, but the diagram does not parse.');
    expect(runMessage(run({ phase: 'aborted' }))).toBe('Stopped. The last valid drawing is kept.');
    expect(runMessage(run({ phase: 'error', error: { code: 'queue_full', message: 'The queue is full.' } }))).toBe(
      'Generation failed: The queue is full.',
    );
  });

  it('says nothing while tokens stream (the start was already announced)', () => {
    expect(runMessage(run({ phase: 'generating', tokens: 120 }))).toBeNull();
  });

  it('announces settled parser results only', () => {
    expect(validationMessage({ status: 'pending' }, false)).toBeNull();
    expect(validationMessage({ status: 'partial' }, false)).toBeNull();
    expect(validationMessage({ status: 'empty' }, false)).toBeNull();
    expect(validationMessage({ status: 'valid', diagramType: 'flowchart' }, false)).toBe('Valid flowchart.');
    expect(validationMessage({ status: 'valid', diagramType: 'flowchart' }, true)).toBe('Parses, but cannot be drawn.');
    expect(validationMessage({ status: 'invalid', error: { message: 'x', line: 7 } }, false)).toBe('Parser error on line 7.');
  });
});
