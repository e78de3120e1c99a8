import { describe, expect, it } from 'vitest';
import type { ReadyStatus } from '../../common/protocol.ts';
import { StatusBoard } from './status.ts';

describe('StatusBoard', () => {
  it('starts idle, merges patches, reads the queue depth when asked and tells every listener', () => {
    let depth = 0;
    const board = new StatusBoard('m', () => depth);
    expect(board.snapshot()).toEqual({ state: 'idle', progress: 0, message: 'Model not loaded yet.', model: 'm', device: null, dtype: null, queueDepth: 0 });
    const seen: ReadyStatus[] = [];
    const off = board.subscribe((s) => seen.push(s));
    depth = 3;
    board.update({ state: 'loading', progress: 40 });
    expect(board.state).toBe('loading');
    expect(seen).toEqual([expect.objectContaining({ state: 'loading', progress: 40, model: 'm', queueDepth: 3 })]);
    off();
    board.update({ state: 'ready' });
    expect(seen).toHaveLength(1);
  });

  it('an explicit error: undefined clears the error; a throwing listener does not stop the others', () => {
    const board = new StatusBoard('m');
    const seen: string[] = [];
    board.subscribe(() => {
      throw new Error('listener bug');
    });
    board.subscribe((s) => seen.push(s.state));
    board.update({ state: 'error', error: 'disk full' });
    expect(board.snapshot().error).toBe('disk full');
    board.update({ state: 'loading', error: undefined });
    expect('error' in board.snapshot()).toBe(false);
    expect(seen).toEqual(['error', 'loading']);
  });
});
