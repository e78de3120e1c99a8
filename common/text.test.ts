import { describe, expect, it } from 'vitest';
import { cutUtf16 } from './text.ts';

describe('cutUtf16', () => {
  it.each([
    ['shorter than the limit', 'abc', 5, 'abc'],
    ['exactly the limit', 'abcde', 5, 'abcde'],
    ['plain cut', 'abcdef', 4, 'abcd'],
    ['an emoji whole before the cut', 'ab😀cd', 4, 'ab😀'],
    ['an emoji straddling the cut loses both halves', 'abc😀d', 4, 'abc'],
    ['CJK (one unit each)', '한국어흐름도', 3, '한국어'],
  ])('%s', (_name, input, max, expected) => {
    const out = cutUtf16(input, max);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(max);
    // No lone surrogate at the end.
    const last = out.charCodeAt(out.length - 1);
    expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
  });
});
