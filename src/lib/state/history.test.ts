import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT } from '../../../common/limits.ts';
import { addEntry, parseHistory, removeEntry, type HistoryEntry } from './history.ts';

const e = (id: string, code = `c${id}`, description = `d${id}`): HistoryEntry => ({ id, code, description, time: 1 });

describe('history', () => {
  it('adds newest first and caps at the limit', () => {
    let list: HistoryEntry[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 3; i++) list = addEntry(list, e(String(i)));
    expect(list).toHaveLength(HISTORY_LIMIT);
    expect(list[0]!.id).toBe(String(HISTORY_LIMIT + 2));
    expect(list.at(-1)!.id).toBe('3');
  });

  it('moves a repeated diagram to the top instead of duplicating it', () => {
    const list = addEntry([e('1', 'x', 'y'), e('2')], e('3', 'x', 'y'));
    expect(list.map((x) => x.id)).toEqual(['3', '2']);
  });

  it('removes by id', () => {
    expect(removeEntry([e('1'), e('2')], '1').map((x) => x.id)).toEqual(['2']);
  });

  it('keeps only well-formed stored entries', () => {
    expect(parseHistory('nope')).toEqual([]);
    expect(parseHistory([null, { id: 1 }, { id: 'a', code: 'c', time: 2 }, e('b')])).toEqual([
      { id: 'a', code: 'c', time: 2, description: '', diagramType: null },
      { ...e('b'), diagramType: null },
    ]);
  });
});
