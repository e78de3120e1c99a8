import { describe, expect, it } from 'vitest';
import type { Outcome } from './measure.ts';
import { compareTable, summarize, table } from './report.ts';

const o = (file: string, type: string, kinds: string[], valid: boolean, kept: boolean, ms: number, unchanged: boolean | null = null): Outcome => ({
  file, type, lang: 'en', kinds, form: ['fenced'], good: kinds.includes('good'), valid, kept, unchanged,
  repairMs: ms, repairCpuMs: ms / 2, repairs: [], changes: [], missingUnits: [], missingWords: [], wrongParents: [], invented: [], code: '',
});

describe('summarize', () => {
  const outcomes = [
    o('a', 'flowchart', ['good'], true, true, 5, true),
    o('b', 'flowchart', ['cut', 'special-chars'], true, false, 20),
    o('c', 'pie', ['cut'], false, false, 7),
  ];
  const report = summarize(outcomes);

  it('counts valid, kept, good unchanged and the worst time', () => {
    expect(report.total).toEqual({ group: 'all', n: 3, valid: 2, kept: 1, good: 1, unchanged: 1, worstMs: 20, worstCpuMs: 10 });
  });

  it('groups by type and by every kind an answer has, largest group first', () => {
    expect(report.byType.map((r) => [r.group, r.n, r.valid])).toEqual([['flowchart', 2, 2], ['pie', 1, 0]]);
    expect(report.byKind.map((r) => [r.group, r.n])).toEqual([['cut', 2], ['good', 1], ['special-chars', 1]]);
  });

  it('prints a Markdown table with percentages', () => {
    const md = table('type', report.byType);
    expect(md.split('\n')[2]).toBe('| flowchart | 2 | 100.0% | 50.0% | 1/1 | 20 | 10 |');
    expect(md.split('\n')[3]).toBe('| pie | 1 | 0.0% | 0.0% | – | 7 | 4 |');
  });

  it('puts a baseline beside the numbers, – where the baseline had no such group', () => {
    const before = summarize([o('a', 'flowchart', ['good'], true, true, 5, true), o('b', 'flowchart', ['cut'], false, false, 9)]);
    const md = compareTable('type', before.byType, report.byType).split('\n');
    expect(md[2]).toBe('| flowchart | 2 | 50.0% → **100.0%** | 50.0% → **50.0%** | 1/1 | 20 | 10 |');
    expect(md[3]).toBe('| pie | 1 | – → **0.0%** | – → **0.0%** | – | 7 | 4 |');
  });
});
