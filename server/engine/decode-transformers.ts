/**
 * The step-by-step decoder: transformers.js `generate` (the fallback when the
 * fused loop cannot be built, loaded or warmed up, and `FUSED=off`).
 *
 * It follows the engine's one stopping policy (stop.ts) and one streamer
 * (stream.ts). Its prefill runs in pieces of `prefillChunk` tokens: each piece
 * is a 1-token `generate` that returns the key/value cache
 * (`return_dict_in_generate`), the next piece goes on that cache, and the last
 * piece starts the real generation on it (transformers.js feeds only the ids
 * past the cache). Between pieces the policy is checked, so a budget, an abort
 * or a shutdown acts within one piece instead of after a whole long prompt.
 */
import './float16.ts'; // first: hides Node 24's Float16Array from ONNX Runtime (see there)
import {
  BaseStreamer,
  LogitsProcessor,
  LogitsProcessorList,
  StoppingCriteria,
  StoppingCriteriaList,
  Tensor,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import { completeText, createConstraint, type TokenConstraint } from './grammar/constraint.ts';
import type { GrammarTables } from './grammar/tables.ts';
import type { ConstraintSpec } from './grammar/types.ts';
import type { StopPolicy } from './stop.ts';
import { IncrementalText } from './stream.ts';
import type { ChatMessage, GenerationOutput } from './types.ts';
import { PREFILL_CHUNK } from './fused/generate.ts';

type GenerateArgs = Parameters<PreTrainedModel['generate']>[0];

export interface TransformersCall {
  policy: StopPolicy;
  eosIds: Set<number>;
  onToken?: (text: string, tokens: number) => void;
  prefillChunk?: number;
  /** Grammar-constrained decoding (CONSTRAINED=on): the answer is prefilled and masked on the host, as the fused loop does. */
  grammar?: { tables: GrammarTables; spec: ConstraintSpec };
}

/**
 * The grammar on the host: before each pick, the constraint takes the token
 * chosen last and masks the logits ([1, vocab] float32), with the fused loop's
 * closing rule (remaining = max tokens left).
 */
class GrammarProcessor extends LogitsProcessor {
  private seen = 0;
  constructor(
    private readonly constraint: TokenConstraint,
    private readonly promptTokens: number,
    private readonly maxNewTokens: number,
  ) {
    super();
  }
  override _call(input_ids: bigint[][], logits: Tensor): Tensor {
    const ids = input_ids[0]!;
    for (; this.seen < ids.length - this.promptTokens; this.seen++) this.constraint.accept(Number(ids[this.promptTokens + this.seen]));
    this.constraint.mask(logits.data as Float32Array, this.maxNewTokens - this.seen);
    return logits;
  }
}

/** transformers.js StoppingCriteria over the policy: one clock + signal + flag check per token. */
class PolicyCriteria extends StoppingCriteria {
  constructor(private readonly policy: StopPolicy) {
    super();
  }
  override _call(input_ids: number[][]): boolean[] {
    return new Array(input_ids.length).fill(this.policy.interrupted() !== null);
  }
}

/** Feeds generated ids (not the prompt, which generate() puts first) to the incremental streamer. */
class PieceStreamer extends BaseStreamer {
  private prompt = true;
  tokens = 0;
  firstAt: number | null = null;
  readonly pieces: string[] = [];
  private readonly text: IncrementalText;

  constructor(
    tokenizer: PreTrainedTokenizer,
    private readonly onToken?: (text: string, tokens: number) => void,
  ) {
    super();
    this.text = new IncrementalText((ids) => tokenizer.decode(ids, { skip_special_tokens: true }));
  }

  override put(value: bigint[][]): void {
    if (this.prompt) {
      this.prompt = false;
      return;
    }
    const ids = (value[0] ?? []).map(Number);
    this.tokens += ids.length;
    this.firstAt ??= performance.now();
    this.emit(this.text.push(ids));
  }

  override end(): void {
    this.emit(this.text.finish());
  }

  private emit(text: string): void {
    if (!text) return;
    this.pieces.push(text);
    this.onToken?.(text, this.tokens);
  }
}

/** The chat template's ids (as tensors) for `messages`. */
export function chatInputs(tokenizer: PreTrainedTokenizer, messages: ChatMessage[]): { input_ids: Tensor; attention_mask: Tensor } {
  return tokenizer.apply_chat_template(messages as { role: string; content: string }[], {
    add_generation_prompt: true,
    return_dict: true,
    // Qwen3-Instruct-2507's template has no thinking mode and ignores this; for hybrid
    // Qwen3 templates it is the documented way to skip the <think> block.
    enable_thinking: false,
  } as Parameters<PreTrainedTokenizer['apply_chat_template']>[1]) as unknown as { input_ids: Tensor; attention_mask: Tensor };
}

export async function generateTransformers(
  model: PreTrainedModel,
  tokenizer: PreTrainedTokenizer,
  messages: ChatMessage[],
  call: TransformersCall,
): Promise<GenerationOutput> {
  const t0 = performance.now();
  const { policy } = call;
  const g = call.grammar;
  let inputs = chatInputs(tokenizer, messages);
  if (g) {
    // the assistant turn starts with the prefill: the same ids the fused path feeds
    const ids = [...(inputs.input_ids.tolist() as bigint[][])[0]!, ...tokenizer.encode(g.spec.prefill, { add_special_tokens: false }).map(BigInt)];
    inputs = { input_ids: new Tensor('int64', BigInt64Array.from(ids), [1, ids.length]), attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]) };
  }
  const promptTokens = inputs.input_ids.dims.at(-1) ?? 0;
  const ms = () => Math.round(performance.now() - t0);
  const stopped = (): GenerationOutput => ({ text: '', tokens: 0, promptTokens, stopReason: policy.finish(false, 0), firstTokenMs: null, generationMs: ms() });
  if (policy.interrupted()) return stopped();

  // Prefill in pieces: all but the last piece, each on the cache of the ones before.
  const piece = Math.max(1, Math.floor(call.prefillChunk ?? PREFILL_CHUNK));
  let cache: unknown = undefined;
  for (let end = piece; end < promptTokens; end += piece) {
    const part = await model.generate({
      input_ids: inputs.input_ids.slice(null, [0, end]),
      attention_mask: inputs.attention_mask.slice(null, [0, end]),
      max_new_tokens: 1,
      do_sample: false,
      return_dict_in_generate: true,
      ...(cache ? { past_key_values: cache } : {}),
    } as GenerateArgs);
    cache = (part as { past_key_values: unknown }).past_key_values;
    if (policy.interrupted()) return stopped();
  }

  const streamer = new PieceStreamer(tokenizer, call.onToken);
  const criteria = new StoppingCriteriaList();
  criteria.push(new PolicyCriteria(policy));
  const processors = new LogitsProcessorList();
  if (g) {
    processors.push(new GrammarProcessor(createConstraint(g.spec, g.tables), promptTokens, policy.maxNewTokens));
    call.onToken?.(g.spec.prefill, 0);
  }
  const sequences = (await model.generate({
    ...inputs,
    ...(cache ? { past_key_values: cache } : {}),
    max_new_tokens: policy.maxNewTokens,
    do_sample: false,
    streamer,
    stopping_criteria: criteria,
    ...(g ? { logits_processor: processors } : {}),
  } as unknown as GenerateArgs)) as Tensor;

  const generated = ((sequences.tolist() as bigint[][])[0] ?? []).slice(promptTokens).map(Number);
  const last = generated.at(-1);
  const endedWithEos = last !== undefined && call.eosIds.has(last);
  let text = (g?.spec.prefill ?? '') + streamer.pieces.join('');
  if (g) {
    // a budget or abort stop before the closing rule finished: close it here (as the fused path does)
    const closed = completeText(g.tables, text);
    if (closed !== null && closed !== text) {
      if (closed.startsWith(text)) call.onToken?.(closed.slice(text.length), generated.length);
      text = closed;
    }
  }
  return {
    text,
    ...(g ? { constrained: true } : {}),
    tokens: generated.length,
    promptTokens,
    stopReason: policy.finish(endedWithEos, generated.length),
    firstTokenMs: streamer.firstAt === null ? null : Math.round(streamer.firstAt - t0),
    generationMs: ms(),
  };
}
