import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoModelForCausalLM, AutoTokenizer, env, type PreTrainedTokenizer, type Tensor } from '@huggingface/transformers';
import { ensureTestModel, TINY } from './index.ts';
import { OrtDecoder } from './ort-greedy.ts';
import { writeQwen3Model } from './qwen3.ts';

env.allowRemoteModels = false;
env.allowLocalModels = true;

const STEPS = 12;

async function transformersGreedy(dir: string, dtype: 'fp32' | 'q4f16', tok: PreTrainedTokenizer, prompt: number[]): Promise<number[]> {
  const model = await AutoModelForCausalLM.from_pretrained(dir, { dtype, device: 'cpu' });
  try {
    const input_ids = new (await import('@huggingface/transformers')).Tensor('int64', BigInt64Array.from(prompt, BigInt), [1, prompt.length]);
    const out = (await model.generate({ input_ids, max_new_tokens: STEPS, do_sample: false, min_new_tokens: STEPS })) as Tensor;
    return Array.from(out.slice(0, [prompt.length, out.dims[1]!]).data as BigInt64Array, Number);
  } finally {
    await model.dispose();
  }
}

describe('tiny random Qwen3', () => {
  let dir: string;
  let tok: PreTrainedTokenizer;
  let prompt: number[];

  beforeAll(async () => {
    dir = await ensureTestModel({ kind: 'tiny', seed: 1 });
    tok = await AutoTokenizer.from_pretrained(dir);
    const chat = tok.apply_chat_template([{ role: 'user', content: 'Draw a flowchart of a login.' }], {
      add_generation_prompt: true,
      tokenize: true,
      return_tensor: false,
    }) as unknown as { input_ids: number[] };
    prompt = chat.input_ids;
    expect(prompt.length).toBeGreaterThan(10);
  });

  it('is a valid graph that onnxruntime loads, with the Qwen3 export I/O', async () => {
    const d = await OrtDecoder.open(join(dir, 'onnx', 'model.onnx'));
    const names = d.session.inputNames;
    expect(names.slice(0, 3)).toEqual(['input_ids', 'attention_mask', 'position_ids']);
    expect(names).toContain(`past_key_values.${TINY.num_hidden_layers - 1}.value`);
    expect(d.session.outputNames).toEqual(['logits', 'present.0.key', 'present.0.value', 'present.1.key', 'present.1.value']);
    await d.release();
  });

  it('gives the same greedy tokens cached (transformers.js generate) and uncached (full recomputation)', async () => {
    const d = await OrtDecoder.open(join(dir, 'onnx', 'model.onnx'));
    const uncached = await d.greedy(prompt, STEPS, 'uncached');
    expect(await d.greedy(prompt, STEPS, 'cached')).toEqual(uncached);
    await d.release();
    expect(await transformersGreedy(dir, 'fp32', tok, prompt)).toEqual(uncached);
    expect(new Set(uncached).size).toBeGreaterThan(1); // not a degenerate constant stream
  });

  it('a left-padded batch through transformers.js gives each row its own greedy tokens', async () => {
    const model = await AutoModelForCausalLM.from_pretrained(dir, { dtype: 'fp32', device: 'cpu' });
    const d = await OrtDecoder.open(join(dir, 'onnx', 'model.onnx'));
    const short = prompt.slice(-5);
    const { Tensor } = await import('@huggingface/transformers');
    const width = prompt.length;
    const rows = [prompt, short];
    const ids = rows.flatMap((r) => [...new Array(width - r.length).fill(tok.pad_token_id), ...r]);
    const mask = rows.flatMap((r) => [...new Array(width - r.length).fill(0), ...new Array(r.length).fill(1)]);
    const out = (await model.generate({
      input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [2, width]),
      attention_mask: new Tensor('int64', BigInt64Array.from(mask, BigInt), [2, width]),
      max_new_tokens: 6,
      min_new_tokens: 6,
      do_sample: false,
    })) as Tensor;
    const got = (row: number) => Array.from(out.slice(row, [width, out.dims[1]!]).data as BigInt64Array, Number);
    expect(got(0)).toEqual(await d.greedy(prompt, 6, 'uncached'));
    expect(got(1)).toEqual(await d.greedy(short, 6, 'uncached'));
    await Promise.all([model.dispose(), d.release()]);
  });

  it('plain-op attention matches onnxruntime GroupQueryAttention on the same weights', async () => {
    const g = await ensureTestModel({ kind: 'tiny', seed: 1, attention: 'gqa' });
    const d = await OrtDecoder.open(join(g, 'onnx', 'model.onnx'));
    const plain = await OrtDecoder.open(join(dir, 'onnx', 'model.onnx'));
    expect(await d.greedy(prompt, STEPS, 'cached')).toEqual(await plain.greedy(prompt, STEPS, 'cached'));
    expect(await d.greedy(prompt, STEPS, 'uncached')).toEqual(await d.greedy(prompt, STEPS, 'cached'));
    await Promise.all([d.release(), plain.release()]);
  });

  it('q4f16 (MatMulNBits + GroupQueryAttention) runs on CPU and decodes the same cached and uncached', async () => {
    const q = await ensureTestModel({ kind: 'tiny', seed: 1, dtype: 'q4f16' });
    const d = await OrtDecoder.open(join(q, 'onnx', 'model_q4f16.onnx'));
    const uncached = await d.greedy(prompt, STEPS, 'uncached');
    await d.release();
    expect(await transformersGreedy(q, 'q4f16', tok, prompt)).toEqual(uncached);
  });
});

describe('writer', () => {
  const tmp: string[] = [];
  const fresh = async () => {
    const d = await mkdtemp(join(tmpdir(), 'qwen3-'));
    tmp.push(d);
    return d;
  };
  afterAll(() => Promise.all(tmp.map((d) => rm(d, { recursive: true, force: true }))));
  const sha = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

  it('is deterministic for a seed and differs across seeds', async () => {
    const [a, b, c] = [await fresh(), await fresh(), await fresh()];
    const small = { ...TINY, vocab_size: 512 };
    await writeQwen3Model(a, { shape: small, dtype: 'fp32', seed: 7 });
    await writeQwen3Model(b, { shape: small, dtype: 'fp32', seed: 7 });
    await writeQwen3Model(c, { shape: small, dtype: 'fp32', seed: 8 });
    const file = (d: string) => join(d, 'onnx', 'model.onnx');
    expect(await sha(file(a))).toBe(await sha(file(b)));
    expect(await sha(file(a))).not.toBe(await sha(file(c)));
  });

  it('streams fp16 weights to external data that transformers.js and onnxruntime load, same as inline', async () => {
    const medium = { ...TINY, num_hidden_layers: 2, hidden_size: 128, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 32, intermediate_size: 256, vocab_size: 8192 };
    const [ext, inl] = [await fresh(), await fresh()];
    const r = await writeQwen3Model(ext, { shape: medium, dtype: 'fp16', seed: 3, external: true });
    await writeQwen3Model(inl, { shape: medium, dtype: 'fp16', seed: 3, external: false });
    expect(r.dataFile).toBe(join(ext, 'onnx', 'model_fp16.onnx_data'));
    expect((await stat(r.dataFile!)).size).toBeGreaterThanOrEqual(r.bytes);
    expect((await stat(r.file)).size).toBeLessThan(200_000);
    const config = JSON.parse(await readFile(join(ext, 'config.json'), 'utf8'));
    expect(config['transformers.js_config'].use_external_data_format).toEqual({ 'model_fp16.onnx': 1 });

    const prompt = [977, 11, 1879, 0];
    const a = await OrtDecoder.open(r.file);
    const b = await OrtDecoder.open(join(inl, 'onnx', 'model_fp16.onnx'));
    const want = await b.greedy(prompt, 4, 'cached');
    expect(await a.greedy(prompt, 4, 'cached')).toEqual(want);
    await Promise.all([a.release(), b.release()]);

    const model = await AutoModelForCausalLM.from_pretrained(ext, { dtype: 'fp16', device: 'cpu' });
    const { Tensor } = await import('@huggingface/transformers');
    const out = (await model.generate({ input_ids: new Tensor('int64', BigInt64Array.from(prompt, BigInt), [1, 4]), max_new_tokens: 4, min_new_tokens: 4, do_sample: false })) as Tensor;
    expect(Array.from(out.slice(0, [4, 8]).data as BigInt64Array, Number)).toEqual(want);
    await model.dispose();
  });
});
