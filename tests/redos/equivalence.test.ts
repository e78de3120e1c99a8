/**
 * The hand scanners that replaced super-linear patterns agree with the
 * patterns they replaced, on many short random texts over the characters
 * that matter (on short texts the old patterns are still fast).
 */
import { describe, expect, it } from 'vitest';
import { commentLines, frontMatter } from '../../common/lineMap.ts';
import { edgeTextAt } from '../../server/mermaid/flowchart.ts';

/** Deterministic pseudo-random texts (no flaky seeds). */
function* texts(alphabet: string[], count: number, maxLength: number): Generator<string> {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let n = 0; n < count; n++) {
    const length = Math.floor(next() * maxLength);
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)]!;
    yield s;
  }
}

const ranges = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => [m.index, m.index + m[0].length]);

describe('scanners equal the patterns they replaced', () => {
  it('front matter (mermaid\'s frontMatterRegex)', () => {
    const old = /^([^\S\n\r]*)-{3}\s*[\n\r](.*?)[\n\r]\1-{3}\s*[\n\r]+/s;
    const alphabet = ['-', '---', '\n', '\r', ' ', '\t', 'a', '---\n', '\n---'];
    let matched = 0;
    for (const text of texts(alphabet, 20_000, 14)) {
      const m = old.exec(text);
      if (m) matched++;
      expect(frontMatter(text), JSON.stringify(text)).toEqual(m ? [[0, m[0].length]] : []);
    }
    expect(matched).toBeGreaterThan(100);
  });

  it('%% comment lines', () => {
    const old = /^\s*%%(?!\{)[^\n]+\n?/gm;
    const alphabet = ['%', '%%', '{', '\n', '\r', ' ', 'a', '\u2028'];
    let matched = 0;
    for (const text of texts(alphabet, 20_000, 16)) {
      const want = ranges(old, text);
      matched += want.length;
      expect(commentLines(text), JSON.stringify(text)).toEqual(want);
    }
    expect(matched).toBeGreaterThan(100);
  });

  it('flowchart edge text (`A -- text --> B`)', () => {
    const old = /^(\s(?:--|==|-\.)\s+)(.+?)(\s+(?:-->|---|==>|===|\.->|-\.-|--[ox]))(?=\s|$|\w)/;
    const alphabet = [' ', ' ', '--', '==', '-.', '-->', '---', '.->', '--x', 'o', 'a', '!', '\r', '>'];
    let matched = 0;
    const openers = [' -- ', ' ==  ', ' -.   ', '\t--\t'];
    for (const [n, random] of [...texts(alphabet, 30_000, 12)].entries()) {
      const text = n % 2 ? random : openers[n % openers.length] + random;
      const m = old.exec(text);
      if (m) matched++;
      const want = m ? { open: m[1]!.length, label: m[2]!.length, close: m[3]!.length } : null;
      expect(edgeTextAt(text, 0), JSON.stringify(text)).toEqual(want);
    }
    expect(matched).toBeGreaterThan(100);
  });
});
