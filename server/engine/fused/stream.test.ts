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
});
