import { describe, expect, it } from 'vitest';
import { MAX_DIAGRAM_CHARS } from '../../common/limits.ts';
import { decodeShare, encodeShare, shareUrl } from './share.ts';
import LZString from 'lz-string';

const compressToEncodedURIComponent = (s: string) => LZString.compressToEncodedURIComponent(s);

describe('share links', () => {
  it.each([
    { code: 'flowchart TD\n  A[Start] --> B{OK?}', description: 'login' },
    { code: 'flowchart LR\n  가["회원가입"] --> 나', description: '사용자가 회원가입 양식을 제출합니다' },
    { code: 'sequenceDiagram\n  A->>B: "quotes" & <tags> #hash %%', description: '' },
  ])('round-trips %#', (p) => {
    const hash = encodeShare(p);
    expect(hash).toMatch(/^d=[A-Za-z0-9+\-$]+$/);
    expect(decodeShare(`#${hash}`)).toEqual(p);
    const url = new URL(shareUrl('https://example.test/app/?x=1#old', p));
    expect(url.pathname + url.search).toBe('/app/?x=1');
    expect(decodeShare(url.hash)).toEqual(p);
  });

  it('compresses', () => {
    const code = `flowchart TD\n${Array.from({ length: 50 }, (_, i) => `  N${i}[Step ${i}] --> N${i + 1}`).join('\n')}`;
    expect(encodeShare({ code, description: '' }).length).toBeLessThan(code.length * 0.6);
  });

  it.each([
    ['', null],
    ['#other=1', null],
    ['#d=!!!', null],
    [`#d=${compressToEncodedURIComponent('{"v":2,"c":"x"}')}`, null],
    [`#d=${compressToEncodedURIComponent('{"v":1,"c":5}')}`, null],
    [`#d=${compressToEncodedURIComponent(JSON.stringify({ v: 1, c: 'x'.repeat(MAX_DIAGRAM_CHARS + 1) }))}`, null],
  ])('rejects %s', (hash, expected) => {
    expect(decodeShare(hash)).toBe(expected);
  });

  it('carries the refine thread: instructions and versions, changes recomputed on open', () => {
    const thread = [
      { id: 'a', instruction: '', code: 'flowchart TD\n  A[Start] --> B[Pay]', status: 'done' as const, changes: null, time: 1 },
      { id: 'b', instruction: 'add approval', code: 'flowchart TD\n  A[Start] --> M[Approve] --> B[Pay]', status: 'done' as const, changes: null, time: 2 },
      { id: 'c', instruction: 'this one failed', code: '', status: 'failed' as const, changes: null, time: 3 },
    ];
    const back = decodeShare(encodeShare({ code: thread[1]!.code, description: 'd', thread }));
    expect(back?.thread?.map((t) => [t.instruction, t.code, t.status])).toEqual([
      ['', thread[0]!.code, 'done'],
      ['add approval', thread[1]!.code, 'done'],
    ]);
    expect(back?.thread?.[1]?.changes?.added).toEqual(['Approve']);
    // A bad thread is dropped, the diagram still opens.
    const hash = `#d=${compressToEncodedURIComponent(JSON.stringify({ v: 1, c: 'x', t: [{ i: 5 }, 'junk'] }))}`;
    expect(decodeShare(hash)).toEqual({ code: 'x', description: '' });
  });
});
