import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModelConfig, configProblem } from './model-config.ts';

const good = { model_type: 'qwen3', num_hidden_layers: 2, hidden_size: 64, num_attention_heads: 4, vocab_size: 151936 };

describe('configProblem', () => {
  it.each([
    ['a Qwen3 config', JSON.stringify(good), null],
    ['a Qwen2 config', JSON.stringify({ ...good, model_type: 'qwen2' }), null],
    ['not JSON', '{"model_type": "qwen3",', /not valid JSON/],
    ['an array', '[]', /not a JSON object/],
    ['no model_type', JSON.stringify({ ...good, model_type: undefined }), /no "model_type"/],
    ['BERT', JSON.stringify({ ...good, model_type: 'bert' }), /model_type "bert".*supported: qwen3/],
    ['a missing field', JSON.stringify({ ...good, hidden_size: undefined }), /"hidden_size" must be a positive integer \(got nothing\)/],
    ['a field of the wrong type', JSON.stringify({ ...good, num_hidden_layers: '2' }), /"num_hidden_layers" must be a positive integer \(got "2"\)/],
  ] as const)('%s', (_name, raw, expected) => {
    const problem = configProblem(raw);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('checkModelConfig', () => {
  it('names a missing config.json and a bad one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    try {
      await expect(checkModelConfig(dir, 'MODEL_PATH=m')).rejects.toThrow(/MODEL_PATH=m is not a model directory: config.json is missing/);
      await writeFile(join(dir, 'config.json'), 'nope');
      await expect(checkModelConfig(dir, 'MODEL_PATH=m')).rejects.toThrow(/MODEL_PATH=m: config.json is not valid JSON/);
      await writeFile(join(dir, 'config.json'), JSON.stringify(good));
      await expect(checkModelConfig(dir)).resolves.toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
