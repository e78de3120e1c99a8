/**
 * The fused path behind the Engine contract (types.ts): chat messages in,
 * GenerationOutput out, text streamed per chunk through `onToken`, the budget
 * (deadline) and the AbortSignal checked between chunks. The tokenizer comes
 * from the caller (model.ts owns transformers.js):
 *
 *   const io: TokenIO = {
 *     encodeChat: (m) => tokenizer.apply_chat_template(m, { add_generation_prompt: true, tokenize: true, return_tensor: false, return_dict: false, enable_thinking: false }) as number[],
 *     decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: true }),
 *   };
 *   const out = await generateFused(fusedGenerator, io, messages, { ...options, maxNewTokens, eosTokenIds: [...eosIds] });
 */
import type { ChatMessage, GenerateOptions, GenerationOutput } from '../types.ts';
import type { FusedGenerator } from './generate.ts';
import { ChunkTextDecoder } from './stream.ts';

export interface TokenIO {
  /** The model's chat template with the generation prompt, as token ids. */
  encodeChat(messages: ChatMessage[]): number[];
  /** Text of ids, special tokens skipped. */
  decode(ids: number[]): string;
}

export interface FusedCall extends GenerateOptions {
  maxNewTokens: number;
  eosTokenIds: number[];
  /** Default 'auto' (one chunk ≈ 150 ms at the measured pace). */
  chunkSize?: number | 'auto';
  /** Default 'carry'. */
  cacheMode?: 'carry' | 'recompute';
}

export async function generateFused(gen: FusedGenerator, io: TokenIO, messages: ChatMessage[], call: FusedCall): Promise<GenerationOutput> {
  const promptIds = io.encodeChat(messages);
  const decode = (ids: number[]) => (ids.length ? io.decode(ids) : '');
  const dec = new ChunkTextDecoder(decode);
  const out = await gen.generate(promptIds, {
    maxNewTokens: Math.max(1, Math.floor(call.maxNewTokens)),
    eosTokenIds: call.eosTokenIds,
    deadline: call.deadline,
    signal: call.signal,
    chunkSize: call.chunkSize ?? 'auto',
    cacheMode: call.cacheMode,
    onChunk: (ids, info) => {
      const text = dec.push(ids);
      if (text) call.onToken?.(text, info.total);
    },
  });
  const rest = dec.finish();
  if (rest) call.onToken?.(rest, out.ids.length);
  return {
    text: decode(out.ids),
    tokens: out.ids.length,
    promptTokens: promptIds.length,
    stopReason: out.stopReason,
    firstTokenMs: out.firstTokenMs === null ? null : Math.round(out.firstTokenMs),
    generationMs: Math.round(out.generationMs),
  };
}
