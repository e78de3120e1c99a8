import { beforeAll, describe, expect, it } from 'vitest';
import { AutoModelForCausalLM, AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer, type Tensor } from '@huggingface/transformers';
import { ensureTestModel } from './index.ts';
import { encodeText, IM_END } from './tokenizer.ts';

const TEXT = 'flowchart TD\n  A[Start] --> B{ok?}\n  B -->|yes| C[한국어 ✓]\n<think>not a diagram</think>';

describe('tape model through transformers.js', () => {
  let tok: PreTrainedTokenizer;
  let model: PreTrainedModel;

  beforeAll(async () => {
    const dir = await ensureTestModel({ kind: 'tape', text: TEXT });
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    tok = await AutoTokenizer.from_pretrained(dir);
    model = await AutoModelForCausalLM.from_pretrained(dir, { dtype: 'fp32', device: 'cpu' });
  });

  async function generate(prompt: string, maxNewTokens = 200): Promise<number[]> {
    const inputs = tok.apply_chat_template([{ role: 'user', content: prompt }], {
      add_generation_prompt: true,
      return_dict: true,
    }) as { input_ids: Tensor; attention_mask: Tensor };
    const out = (await model.generate({ ...inputs, max_new_tokens: maxNewTokens, do_sample: false })) as Tensor;
    const n = inputs.input_ids.dims[1]!;
    return Array.from(out.slice(0, [n, out.dims[1]!]).data as BigInt64Array, Number);
  }

  it('is a qwen3 model whose tokenizer matches the tape encoder', () => {
    expect(model.config.model_type).toBe('qwen3');
    expect(Array.from(tok.encode(TEXT, { add_special_tokens: false }))).toEqual(encodeText(TEXT));
  });

  it('emits the text then <|im_end|>, whatever the prompt, in fresh generate calls', async () => {
    const want = [...encodeText(TEXT), IM_END];
    expect(await generate('draw a login flow')).toEqual(want);
    expect(await generate('x')).toEqual(want);
    expect(await generate('a much longer prompt '.repeat(50))).toEqual(want);
    expect(tok.decode(want, { skip_special_tokens: true })).toBe(TEXT);
  });

  it('stops at max_new_tokens with the tape prefix', async () => {
    expect(await generate('hi', 3)).toEqual(encodeText(TEXT).slice(0, 3));
  });

  it('works from a one-token prompt without chat template (warm-up style)', async () => {
    const out = (await model.generate({ input_ids: tok('a').input_ids, max_new_tokens: 2, do_sample: false })) as Tensor;
    expect(Array.from(out.slice(0, [1, out.dims[1]!]).data as BigInt64Array, Number)).toEqual(encodeText(TEXT).slice(0, 2));
  });
});
