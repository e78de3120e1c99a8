import { describe, expect, it } from 'vitest';
import type { DiagramResult } from '../../../common/protocol.ts';
import { GradioTranslator, QueueMessages, callFrame, diffValue } from './frames.ts';

const result = { code: 'flowchart TD\n  a --> b', valid: true } as DiagramResult;

describe('diffValue (Gradio sse_v3 diffs)', () => {
  it.each([
    ['ab', 'ab', []],
    ['ab', 'abc', [['append', [], 'c']]],
    ['ab', 'xy', [['replace', [], 'xy']]],
    [{ a: 1 }, { a: 1 }, []],
    [{ a: 1 }, { a: 2 }, [['replace', [], { a: 2 }]]],
  ])('%j → %j', (prev, next, edits) => {
    expect(diffValue(prev, next)).toEqual(edits);
  });
});

describe('GradioTranslator + QueueMessages', () => {
  it('maps a run onto estimation, process_starts, process_generating (full, then diffs) and process_completed', () => {
    const tr = new GradioTranslator();
    const qm = new QueueMessages('e1');
    const msgs = [
      { type: 'queued', position: 2, queueLength: 3 },
      { type: 'started', budgetMs: 1000 },
      { type: 'token', text: 'flow', tokens: 1 },
      { type: 'candidate', code: 'flowchart TD', valid: false },
      { type: 'candidate', code: 'flowchart TD\n  a --> b', valid: true },
      { type: 'done', result },
    ].flatMap((ev) => tr.translate(ev as never).map((a) => qm.render(a)));
    expect(msgs[0]).toEqual({ msg: 'estimation', event_id: 'e1', rank: 1, queue_size: 3, rank_eta: null });
    expect(msgs[1]).toEqual({ msg: 'process_starts', event_id: 'e1', eta: null });
    expect(msgs[2]).toMatchObject({ msg: 'process_generating', output: { data: ['', { stage: 'generating', tokens: 1 }], is_generating: true } });
    expect((msgs[3] as { output: { data: unknown[] } }).output.data[0]).toEqual([['append', [], 'flowchart TD']]);
    expect((msgs[4] as { output: { data: unknown[] } }).output.data[0]).toEqual([['append', [], '\n  a --> b']]);
    const done = msgs[5] as { msg: string; success: boolean; output: Record<string, unknown> };
    expect(done).toMatchObject({ msg: 'process_completed', success: true, output: { data: [result.code, result], is_generating: false } });
    expect('error' in done.output).toBe(false); // the JS client tests `in`
  });

  it('an error becomes a failed completion with exactly error/title/duration/visible', () => {
    const tr = new GradioTranslator();
    const [a] = tr.translate({ type: 'error', error: { code: 'queue_full', message: 'The queue is full; try again in 5 s.' } });
    const msg = new QueueMessages('e2').render(a!) as { success: boolean; output: Record<string, unknown> };
    expect(msg.success).toBe(false);
    expect(Object.keys(msg.output).sort()).toEqual(['duration', 'error', 'title', 'visible']);
    expect(msg.output).toMatchObject({ error: 'The queue is full; try again in 5 s.', title: 'Busy', visible: true });
    expect(callFrame(a!)).toMatchObject({ event: 'error', data: { error: 'The queue is full; try again in 5 s.' } });
  });
});
