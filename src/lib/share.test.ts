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
});
