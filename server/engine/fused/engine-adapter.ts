/**
 * The fused path behind the engine's decoder contract: chat messages in,
 * GenerationOutput out, text streamed per chunk through `onToken` (the one
 * incremental streamer, ../stream.ts), the stopping policy (../stop.ts)
 * checked between prefill pieces and between chunks. The tokenizer comes
 * from the caller (model.ts owns transformers.js):
 *
 *   const io: TokenIO = {
 *     encodeChat: (m) => tokenizer.apply_chat_template(m, { add_generation_prompt: true, tokenize: true, return_tensor: false, return_dict: false, enable_thinking: false }) as number[],
 *     decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: true }),
 *   };
 *   const out = await generateFused(fusedGenerator, io, messages, { maxNewTokens, deadline, signal, eosTokenIds: [...eosIds], onToken });
 */
import { IncrementalText } from '../stream.ts';
import type { ChatMessage, GenerationOutput } from '../types.ts';
import type { FusedGenerator } from './generate.ts';

export interface TokenIO {
  /** The model's chat template with the generation prompt, as token ids. */
  encodeChat(messages: ChatMessage[]): number[];
  /** Text of ids, special tokens skipped. */
  decode(ids: number[]): string;
}

export interface FusedCall {
  maxNewTokens: number;
  eosTokenIds: number[];
  deadline?: number;
  signal?: AbortSignal;
  abortFlag?: Int32Array;
  /** Display-safe text as it arrives, with the running token count. */
  onToken?: (text: string, tokens: number) => void;
  /** Default 'auto' (one chunk ≈ 150 ms at the measured pace). */
  chunkSize?: number | 'auto';
  /** Default 'carry'. */
  cacheMode?: 'carry' | 'recompute';
  /** Prompt tokens per prefill run (default 256). */
  prefillChunk?: number;
}

export async function generateFused(gen: FusedGenerator, io: TokenIO, messages: ChatMessage[], call: FusedCall): Promise<GenerationOutput> {
  const promptIds = io.encodeChat(messages);
  const streamer = new IncrementalText((ids) => io.decode(ids));
  const pieces: string[] = [];
  const out = await gen.generate(promptIds, {
    maxNewTokens: Math.max(1, Math.floor(call.maxNewTokens)),
    eosTokenIds: call.eosTokenIds,
    deadline: call.deadline,
    signal: call.signal,
    abortFlag: call.abortFlag,
    chunkSize: call.chunkSize ?? 'auto',
    cacheMode: call.cacheMode,
    prefillChunk: call.prefillChunk,
    onChunk: (ids, info) => {
      const text = streamer.push(ids);
      if (!text) return;
      pieces.push(text);
      call.onToken?.(text, info.total);
    },
  });
  const rest = streamer.finish();
  if (rest) {
    pieces.push(rest);
    call.onToken?.(rest, out.ids.length);
  }
  return {
    // the pieces are the text (decoding all ids again would be one more pass over the output)
    text: pieces.join(''),
    tokens: out.ids.length,
    promptTokens: promptIds.length,
    stopReason: out.stopReason,
    firstTokenMs: out.firstTokenMs === null ? null : Math.round(out.firstTokenMs),
    generationMs: Math.round(out.generationMs),
  };
}
