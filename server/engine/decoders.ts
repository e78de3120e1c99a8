/**
 * Which decoder runs, on one device: the fused greedy loop (default) or
 * transformers.js `generate`, with the fallbacks between them, and the
 * 1-token warm-up that proves the choice runs.
 *
 * One model session: the model is a directory on disk (MODEL_PATH, or a Hub
 * model that hub-download.ts put in CACHE_DIR first), and the fused path
 * never builds a transformers.js session, so the weights are read once. The
 * step-by-step session is created only with FUSED=off or when the fused path
 * fails.
 */
import './float16.ts'; // first: hides Node 24's Float16Array from ONNX Runtime (see there)
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AutoModelForCausalLM, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import type { Logger } from '../log.ts';
import { chatInputs } from './decode-transformers.ts';
import { chooseDtype, dataFilesSize, onnxFilePath, type ConcreteDtype, type ResolvedDevice } from './files.ts';
import { generateFused, type TokenIO } from './fused/engine-adapter.ts';
import { FusedGenerator } from './fused/generate.ts';
import { ensureFusedModel } from './fused/transform.ts';
import type { LoadedTables } from './grammar/cache.ts';
import { loadModelGrammar } from './grammar/for-model.ts';
import { disposeDecoder, FusedRequiredError, type Decoded, type ResolvedOptions } from './model-options.ts';
import type { ChatMessage } from './types.ts';

export interface DecoderContext {
  opts: ResolvedOptions;
  log: Logger;
  /** The model directory (MODEL_PATH, or the Hub download's snapshot). */
  dir: string;
  /** Options for transformers.js's from_pretrained (local files only). */
  common: Record<string, unknown>;
  /** Says what is happening while ONNX Runtime reads weights (it reports no progress). */
  say(message: string): void;
  /** The tokenizer's end-of-turn ids (they go into the grammar tables with the model files' own). */
  tokenizerEos?: number[];
}

/** The grammar tables (CONSTRAINED on/auto), built once into CACHE_DIR/grammar, or null. */
async function loadGrammar(ctx: DecoderContext): Promise<LoadedTables | null> {
  if (ctx.opts.constrained === 'off') return null;
  try {
    const g = await loadModelGrammar({ dir: ctx.dir, tokenizerEos: ctx.tokenizerEos ?? [], cacheDir: ctx.opts.cacheDir });
    ctx.log.info({ ms: Math.round(g.ms), built: g.built, classes: g.tables.classes, states: g.tables.states }, 'grammar tables ready');
    return g;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (ctx.opts.constrained === 'on') throw new FusedRequiredError(`CONSTRAINED=on, but the grammar tables could not be built (${why}). Set CONSTRAINED=off.`);
    ctx.log.warn(`CONSTRAINED=auto: no grammar tables (${why}); answers are not constrained.`);
    return null;
  }
}

/**
 * One decoder on one device. A device failure is thrown as it is (the loader
 * explains it and may fall back to the CPU); a graph the fused transform
 * cannot handle falls back to transformers.js generate (`auto`) or fails the
 * load (`on`).
 */
export async function loadDecoder(ctx: DecoderContext, device: ResolvedDevice): Promise<Decoded> {
  const { opts, log } = ctx;
  const dtype = chooseDtype(opts.dtype, device, ctx.dir);
  const mode = opts.fused;
  if (mode === 'off') return { model: await loadTransformers(ctx, device, dtype), fused: null, device, dtype, grammar: opts.constrained === 'on' ? await loadGrammar(ctx) : null };
  const grammar = await loadGrammar(ctx);
  const grammarOption = grammar ? { grammar: { tables: grammar.tables, hash: grammar.hash } } : {};

  const onnxFile = onnxFilePath(ctx.dir, dtype);
  const cacheDir = path.join(opts.cacheDir, 'fused');
  const fallback = async (what: string, error: unknown): Promise<Decoded> => {
    const why = error instanceof Error ? error.message : String(error);
    if (mode === 'on') {
      // On CUDA the cause may be the device: the loader explains it (and may retry on the CPU).
      if (device === 'cuda' && what === 'did not load') throw error;
      throw new FusedRequiredError(`FUSED=on, but the fused greedy loop ${what} (${why}). Set FUSED=auto (or off) to decode with transformers.js generate.`);
    }
    log.warn(`FUSED=auto: the fused greedy loop ${what} on ${device} (${why}); decoding with transformers.js generate.`);
    // On a broken CUDA this throws too, and the loader explains it.
    return { model: await loadTransformers(ctx, device, dtype), fused: null, device, dtype, grammar };
  };

  try {
    if (!existsSync(onnxFile)) throw new Error(`the decoder file ${onnxFile} is not on disk`);
    await ensureFusedModel(onnxFile, { cacheDir, ...grammarOption });
  } catch (error) {
    return fallback('could not be built', error);
  }
  log.info({ device, dtype }, `loading model on ${device} (${dtype}) as a fused greedy loop`);
  const { size } = await stat(onnxFile).catch(() => ({ size: 0 }));
  const weights = await dataFilesSize(onnxFile);
  const gb = ((size + weights) / 1e9).toFixed(1);
  ctx.say(`Loading the decoder onto ${device} (${path.basename(onnxFile)}${Number(gb) >= 0.1 ? `, ${gb} GB` : ''})`);
  try {
    const fused = await FusedGenerator.create({ modelPath: onnxFile, device, cacheDir, ...grammarOption });
    return { model: null, fused, device, dtype, grammar };
  } catch (error) {
    return fallback('did not load', error);
  }
}

function loadTransformers(ctx: DecoderContext, device: ResolvedDevice, dtype: ConcreteDtype): Promise<PreTrainedModel> {
  ctx.log.info({ device, dtype }, `loading model on ${device} (${dtype}) through transformers.js`);
  return AutoModelForCausalLM.from_pretrained(ctx.dir, { ...ctx.common, device, dtype });
}

/**
 * The warm-up, with the fused loop's fallback: a fused loop that cannot run
 * one token is not used (FUSED=auto: transformers.js generate takes over on
 * the same device; FUSED=on: a load error). Whatever fails is released.
 */
export async function warmUpOrFallBack(ctx: DecoderContext, chosen: Decoded, tokenizer: PreTrainedTokenizer, eosIds: Set<number>): Promise<Decoded> {
  try {
    await warmUp(chosen, tokenizer, eosIds);
    return chosen;
  } catch (error) {
    await disposeDecoder(chosen);
    if (!chosen.fused) throw error;
    const why = error instanceof Error ? error.message : String(error);
    if (ctx.opts.fused === 'on') {
      throw new FusedRequiredError(`FUSED=on, but the fused greedy loop failed its warm-up (${why}). Set FUSED=auto (or off) to decode with transformers.js generate.`);
    }
    ctx.log.warn(`FUSED=auto: the fused greedy loop failed its warm-up (${why}); decoding with transformers.js generate.`);
    const fallback: Decoded = { ...chosen, fused: null, model: await loadTransformers(ctx, chosen.device, chosen.dtype) };
    try {
      await warmUp(fallback, tokenizer, eosIds);
      return fallback;
    } catch (second) {
      await disposeDecoder(fallback);
      throw second;
    }
  }
}

/** One greedy token through the chosen decoder: sessions initialised, and proof that it runs. */
async function warmUp(decoded: Decoded, tokenizer: PreTrainedTokenizer, eosIds: Set<number>): Promise<void> {
  const messages: ChatMessage[] = [{ role: 'user', content: 'Hi' }];
  if (decoded.fused) {
    await generateFused(decoded.fused, tokenIO(tokenizer), messages, { maxNewTokens: 1, eosTokenIds: [...eosIds] });
    return;
  }
  const inputs = chatInputs(tokenizer, messages);
  await decoded.model!.generate({ ...inputs, max_new_tokens: 1, do_sample: false } as Parameters<PreTrainedModel['generate']>[0]);
}

/** The chat template and the detokenizer, as the fused path needs them (ids, not tensors). */
export function tokenIO(tokenizer: PreTrainedTokenizer): TokenIO {
  return {
    encodeChat: (messages) =>
      tokenizer.apply_chat_template(messages as { role: string; content: string }[], {
        add_generation_prompt: true,
        tokenize: true,
        return_tensor: false,
        return_dict: false,
        enable_thinking: false,
      } as Parameters<PreTrainedTokenizer['apply_chat_template']>[1]) as unknown as number[],
    decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: true }),
    encodeText: (text) => tokenizer.encode(text, { add_special_tokens: false }),
  };
}
