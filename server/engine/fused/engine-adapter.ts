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
import { completeText, createConstraint } from '../grammar/constraint.ts';
import type { GrammarTables } from '../grammar/tables.ts';
import type { ConstraintSpec } from '../grammar/types.ts';
import { IncrementalText } from '../stream.ts';
import type { ChatMessage, GenerationOutput } from '../types.ts';
import type { FusedGenerator } from './generate.ts';

export interface TokenIO {
  /** The model's chat template with the generation prompt, as token ids. */
  encodeChat(messages: ChatMessage[]): number[];
  /** Text of ids, special tokens skipped. */
  decode(ids: number[]): string;
  /** Plain text as ids, no special tokens added (a constraint's prefill). */
  encodeText?(text: string): number[];
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
  /**
   * Grammar-constrained decoding: the tables the generator was built with and
   * the request's spec (the answer is prefilled with spec.prefill and stays in
   * the grammar; ../grammar). Without both, the call is unconstrained.
   */
  grammar?: { tables: GrammarTables; spec: ConstraintSpec };
}

export async function generateFused(gen: FusedGenerator, io: TokenIO, messages: ChatMessage[], call: FusedCall): Promise<GenerationOutput> {
  const g = call.grammar;
  if (g && !io.encodeText) throw new Error('generateFused: a constrained call needs TokenIO.encodeText');
  // the assistant turn starts with the prefill (the diagram's header)
  const promptIds = g ? [...io.encodeChat(messages), ...io.encodeText!(g.spec.prefill)] : io.encodeChat(messages);
  const constraint = g ? createConstraint(g.spec, g.tables) : null;
  const streamer = new IncrementalText((ids) => io.decode(ids));
  const pieces: string[] = [];
  if (g) {
    pieces.push(g.spec.prefill);
    call.onToken?.(g.spec.prefill, 0);
  }
  const out = await gen.generate(promptIds, {
    ...(g && constraint ? { grammar: { tables: g.tables, state: constraint.state } } : {}),
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
  let text = pieces.join('');
  if (g && out.grammarState !== undefined && !g.tables.accepting[out.grammarState]) {
    // stopped between chunks (budget, abort) before the closing rule finished: close it here
    const closed = completeText(g.tables, text);
    if (closed !== null && closed !== text) {
      if (closed.startsWith(text)) call.onToken?.(closed.slice(text.length), out.ids.length);
      text = closed;
    }
  }
  return {
    // the pieces are the text (decoding all ids again would be one more pass over the output)
    text,
    ...(g ? { constrained: true } : {}),
    tokens: out.ids.length,
    promptTokens: promptIds.length,
    stopReason: out.stopReason,
    firstTokenMs: out.firstTokenMs === null ? null : Math.round(out.firstTokenMs),
    generationMs: Math.round(out.generationMs),
  };
}
