/**
 * The hand scanners that replaced super-linear patterns agree with the
 * patterns they replaced, on many short random texts over the characters
 * that matter (on short texts the old patterns are still fast).
 */
import { describe, expect, it } from 'vitest';
import { commentLines, frontMatter } from '../../common/lineMap.ts';
import { edgeTextAt } from '../../server/mermaid/flowchart.ts';
import { participantPair, reversedMessage } from '../../server/mermaid/repairs/sequence.ts';
import { parseParticipant } from '../../server/mermaid/sequence.ts';
import { shapedState } from '../../server/mermaid/repairs/state.ts';
import { uniqueToUK } from '../../server/mermaid/repairs/er.ts';
import { maskQuotesAndTags } from '../../server/mermaid/repairs/classDiagram.ts';
import { splitLinks } from '../../server/mermaid/repairs/spacedIds.ts';
import { trimEndSemicolon } from '../../common/text.ts';
import { ARROW, nodeMatches, splitOutside, withoutEdgeText } from '../../src/lib/diagram/units.ts';

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

  it('UI units: edge text removal and arrow split', () => {
    const oldEdge = /(--|==|-\.)\s*[^-=.>|\s][^>|]*?\s*(-->|==>|\.->)/g;
    const oldArrow = /\s*(?:<?[-=.]+[->ox]|<?-\.+->?|~~~)(?:\|[^|]*\|)?\s*/;
    const alphabet = ['-', '=', '.', '>', '|', ' ', 'a', 'o', 'x', '<', '~', '-->', '-.'];
    let changed = 0;
    for (const text of texts(alphabet, 30_000, 14)) {
      const want = text.replace(oldEdge, '-->');
      if (want !== text) changed++;
      expect(withoutEdgeText(text), JSON.stringify(text)).toBe(want);
      const trimmed = (parts: string[]) => parts.map((p) => p.trim());
      expect(trimmed(splitOutside(text, ARROW)), JSON.stringify(text)).toEqual(trimmed(text.split(oldArrow)));
    }
    expect(changed).toBeGreaterThan(100);
  });

  it('sequence: reversed arrows, participant pairs, participant lines', () => {
    const oldBack = /^(\s*)(.+?)\s*<<?(--?)\s*([+-]?)(.+?)\s*$/;
    const oldPair = /^(.+?)\s*(?:\s|\band\b|&)\s*(.+)$/;
    const oldParticipant = /^(\s*)(participant|actor)\s+(.+?)(?:\s+as\s+(.*))?\s*$/i;
    const alphabet = [' ', ' ', '<', '-', '+', 'a', 'B', 'and', '&', 'as', 'AS', '\t'];
    let hits = 0;
    for (const [n, text] of [...texts(alphabet, 30_000, 10)].entries()) {
      const back = oldBack.exec(text);
      if (back) hits++;
      expect(reversedMessage(text), JSON.stringify(text)).toEqual(back ? { indent: back[1], from: back[2], dashes: back[3], mark: back[4], to: back[5] } : null);
      const pair = oldPair.exec(text);
      expect(participantPair(text), JSON.stringify(text)).toEqual(pair ? [pair[1], pair[2]] : null);
      const line = (n % 2 ? 'participant' : '  Actor') + text;
      const p = oldParticipant.exec(line);
      expect(parseParticipant(line), JSON.stringify(line)).toEqual(p ? [p[0], p[1], p[2], p[3], p[4]] : null);
    }
    expect(hits).toBeGreaterThan(100);
  });

  it('trimEndSemicolon', () => {
    for (const text of texts([' ', ';', 'a', '\t'], 5_000, 10)) expect(trimEndSemicolon(text)).toBe(text.replace(/\s*;\s*$/, ''));
  });

  it('UI units: nodes with shapes', () => {
    const old = /([A-Za-z_][\w-]*)\s*(?:\[\[|\[\(|\(\[|\(\(|\[\/|\[\\|\[|\(|\{\{|\{|>)\s*(?:"([^"]*)"|([^\]\)\}"|]*?))\s*(?:\]\]|\)\]|\]\)|\)\)|\/\]|\\\]|\]|\)|\}\}|\})/g;
    const alphabet = ['A', 'b', '9', '-', ' ', '[', ']', '(', ')', '{', '}', '"', '|', '/', '\\', '>', 'x'];
    let hits = 0;
    for (const text of texts(alphabet, 30_000, 12)) {
      const want = [...text.matchAll(old)].map((m) => ({ start: m.index, end: m.index + m[0].length, id: m[1], quoted: m[2], bare: m[3] }));
      hits += want.length;
      const got = nodeMatches(text).map((m) => ({ start: m.start, end: m.end, id: m.id, quoted: m.quoted, bare: m.bare }));
      expect(got, JSON.stringify(text)).toEqual(want);
    }
    expect(hits).toBeGreaterThan(100);
  });

  it('state: shaped names', () => {
    const old = /^([\p{L}\p{N}_]+)\s*(?:\[\[?|\(\(?|\{\{?)\s*"?(.*?)"?\s*(?:\]\]?|\)\)?|\}\}?)$/u;
    const alphabet = ['A', ' ', '[', ']', '(', ')', '{', '}', '"', 'x', ' '];
    let hits = 0;
    for (const [n, random] of [...texts(alphabet, 30_000, 9)].entries()) {
      const text = (n % 2 ? 'S' : 'Wait') + random;
      const m = old.exec(text);
      if (m) hits++;
      expect(shapedState(text), JSON.stringify(text)).toEqual(m ? [m[0], m[1], m[2]] : null);
    }
    expect(hits).toBeGreaterThan(100);
  });

  it('er: unique → UK', () => {
    const old = /^([^"]*?\S\s+\S+\s+)unique(?:\s+key)?\b/i;
    const alphabet = ['a', ' ', 'unique', 'UNIQUE', 'key', 'x', '"', '\t', 's'];
    let hits = 0;
    for (const text of texts(alphabet, 30_000, 9)) {
      const want = text.replace(old, '$1UK');
      if (want !== text) hits++;
      expect(uniqueToUK(text), JSON.stringify(text)).toBe(want);
    }
    expect(hits).toBeGreaterThan(100);
  });

  it('class: quotes and tags masked; flowchart: links split', () => {
    const oldTags = /"[^"]*"|<\/?(?:br|b|i|u|em|strong|sub|sup|span|div|p|a|code|small|s|del)\b[^<>]*>/gi;
    const tagAlphabet = ['"', '<', '>', '/', 'b', 'BR', 'i', 'x', ' ', 'span', 'del'];
    const oldLink = /(\s*(?:--\s+\u0000\d+\u0000\s+(?:-->|---|==>|-\.->)|<?(?:-{2,}|={2,}|-\.+-)[>ox]?(?:\|\u0000\d+\u0000\|)?|~~~|&)\s*)/;
    const linkAlphabet = ['-', '=', '.', '<', '>', 'o', 'x', '~', '&', ' ', '|', '\u00001\u0000', 'A'];
    let hits = 0;
    for (const text of texts(tagAlphabet, 20_000, 10)) {
      const want = text.replace(oldTags, (m) => `[${m}]`);
      if (want !== text) hits++;
      expect(maskQuotesAndTags(text, (m) => `[${m}]`), JSON.stringify(text)).toBe(want);
    }
    for (const text of texts(linkAlphabet, 30_000, 10)) {
      const want = text.split(oldLink);
      if (want.length > 1) hits++;
      expect(splitLinks(text), JSON.stringify(text)).toEqual(want);
    }
    expect(hits).toBeGreaterThan(200);
  });
});
