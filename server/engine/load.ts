/**
 * One load of the real model: check the source (a local directory, or the
 * Hub through transformers.js), decide the device before reading anything
 * big, read the tokenizer and the end-of-turn ids, pick the decoder (with the
 * CUDA → CPU and fused → generate fallbacks) and warm it up. Progress goes to
 * `report`; a failure is thrown as a ModelLoadError whose message says why
 * and what to do (`onFailing` hears the first explanation at once, before the
 * slower Hub diagnosis, so the status never shows "loading" for a load that
 * has already failed).
 */
import './float16.ts'; // first: hides Node 24's Float16Array from ONNX Runtime (see there)
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AutoConfig, AutoTokenizer, env } from '@huggingface/transformers';
import type { ReadyStatus } from '../../common/protocol.ts';
import type { Logger } from '../log.ts';
import { cudaPrecheck, explainCudaFailure } from './cuda.ts';
import { loadDecoder, warmUpOrFallBack, type DecoderContext } from './decoders.ts';
import { modelFilesDir, readLocalJson, type ResolvedDevice } from './files.ts';
import { diagnoseHub, explainLoadError, fetchWithToken } from './hub.ts';
import { checkModelConfig } from './model-config.ts';
import { FusedRequiredError, ModelLoadError, type Decoded, type Loaded, type ResolvedOptions } from './model-options.ts';
import { ProgressAggregator } from './progress.ts';
import { addedTokenStrings, createNeutraliser } from './special-tokens.ts';

export interface LoadContext {
  opts: ResolvedOptions;
  log: Logger;
  /** Status while loading (state, percent, message, device, dtype). */
  report(patch: Partial<Omit<ReadyStatus, 'queueDepth'>>): void;
  /** Called with the first explanation of a failure, before any slow diagnosis. */
  onFailing?(message: string): void;
}

const LOAD_WEIGHT = 90; // % of the bar for downloads/reads; the rest is session creation + warm-up

export async function loadModel(ctx: LoadContext): Promise<Loaded> {
  const { opts, log } = ctx;
  const local = opts.modelPath;
  const source = local ?? opts.modelId;
  let shownPct = -1;
  let shownState: ReadyStatus['state'] = 'loading';
  const show = (pct: number, message: string, state: ReadyStatus['state'] = 'loading') => {
    const rounded = Math.floor(pct);
    if (rounded === shownPct && state === shownState) return;
    shownPct = rounded;
    shownState = state;
    ctx.report({ state, progress: rounded, message });
  };
  const progress = new ProgressAggregator();
  const progress_callback = (info: { status: string; file?: string; loaded?: number; total?: number }) => {
    if (info.status === 'progress_total' || info.status === 'ready') return;
    const pct = progress.update(info);
    const { loaded, total } = progress.bytes;
    const mb = (n: number) => (n / 1e6).toFixed(0);
    show((pct * LOAD_WEIGHT) / 100, total > 5e6 ? `Loading model files (${mb(loaded)}/${mb(total)} MB)` : 'Loading model files');
  };

  try {
    if (local) {
      if (!existsSync(local)) {
        throw new Error(`MODEL_PATH=${local} does not exist. Point MODEL_PATH at a model directory (config.json, tokenizer files, onnx/model*.onnx) or unset it to download ${opts.modelId} from the Hub.`);
      }
      await checkModelConfig(local, `MODEL_PATH=${local}`);
    } else {
      // transformers.js keeps these in its global env; this engine (one per worker thread) is their only writer.
      env.remoteHost = `${opts.hubUrl}/`;
      env.remotePathTemplate = '{model}/resolve/{revision}/';
      const fetchBase = globalThis.fetch.bind(globalThis);
      env.fetch = opts.hfToken ? fetchWithToken(fetchBase, opts.hfToken, new URL(opts.hubUrl).hostname) : fetchBase;
    }
    const common = { progress_callback, cache_dir: opts.cacheDir, local_files_only: Boolean(local), revision: opts.revision };

    // Decide the device before reading anything big, so a forced CUDA that cannot work fails at once.
    const requested = opts.device;
    let tryCuda = false;
    let cudaBinDir: string | undefined;
    if (requested !== 'cpu') {
      const pre = cudaPrecheck();
      if (pre.possible) {
        tryCuda = true;
        cudaBinDir = pre.binDir;
      } else if (requested === 'cuda') {
        throw new Error(`DEVICE=cuda was requested but CUDA is not available: ${pre.reason} Or set DEVICE=cpu (or auto) to run on the CPU.`);
      } else {
        log.info(`device auto: using CPU because ${pre.reason}`);
      }
    }

    if (!local) await checkHubConfig(opts, common);
    const tokenizer = await AutoTokenizer.from_pretrained(source, common);

    // The eos ids come from the model's own files (generation_config.json, config.json) and the tokenizer.
    const eosIds = new Set<number>();
    const addEos = (v: unknown) => {
      for (const id of Array.isArray(v) ? v : [v]) if (typeof id === 'number') eosIds.add(id);
    };
    addEos((tokenizer as unknown as { eos_token_id?: unknown }).eos_token_id);

    const dctx: DecoderContext = { opts, log, source, common, tokenizerEos: [...eosIds], say: (message) => ctx.report({ message }) };
    const loadOn = (device: ResolvedDevice) => loadDecoder(dctx, device);
    let chosen: Decoded;
    if (!tryCuda) {
      chosen = await loadOn('cpu');
    } else {
      try {
        chosen = await loadOn('cuda');
        log.info(`device ${requested}: using CUDA (the CUDA execution provider loaded)`);
      } catch (error) {
        if (error instanceof FusedRequiredError) throw error;
        const why = await explainCudaFailure(error, { binDir: cudaBinDir });
        if (requested === 'cuda') throw new Error(`DEVICE=cuda was requested but ${why}`);
        log.warn(`device auto: CUDA failed, falling back to CPU. ${why}`);
        chosen = await loadOn('cpu');
      }
    }
    if (chosen.model) {
      addEos((chosen.model.generation_config as { eos_token_id?: unknown } | null)?.eos_token_id);
      addEos((chosen.model.config as { eos_token_id?: unknown }).eos_token_id);
    } else {
      // The fused decoder alone: the model's files are on disk, in the local directory or where
      // transformers.js cached the Hub download (its session was released once the fused one loaded).
      const dir = modelFilesDir(opts);
      for (const file of ['generation_config.json', 'config.json']) addEos(await readLocalJson(dir, file, 'eos_token_id'));
    }
    ctx.report({ device: chosen.device, dtype: chosen.dtype });

    if (opts.warmup) {
      show(95, 'Warming up', 'warming');
      try {
        chosen = await warmUpOrFallBack(dctx, chosen, tokenizer, eosIds);
      } catch (error) {
        // A session can start on CUDA and still fail its first run (no kernels for this GPU, out of memory).
        if (chosen.device !== 'cuda' || error instanceof FusedRequiredError) throw error;
        const why = await explainCudaFailure(error, { binDir: cudaBinDir });
        if (requested === 'cuda') throw new Error(`DEVICE=cuda was requested but the model could not run on CUDA: ${why}`);
        log.warn(`device auto: the model loaded on CUDA but could not run there, falling back to CPU. ${why}`);
        chosen = await warmUpOrFallBack(dctx, await loadOn('cpu'), tokenizer, eosIds);
        ctx.report({ device: chosen.device, dtype: chosen.dtype });
      }
    }
    const neutralise = createNeutraliser(addedTokenStrings((tokenizer as unknown as { _tokenizerJSON?: { added_tokens?: { content?: unknown }[] } })._tokenizerJSON));
    return { tokenizer, eosIds, neutralise, ...chosen };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const first = explainLoadError(message, opts);
    ctx.onFailing?.(first);
    // Only failures that can come from fetching are diagnosed against the Hub (not, say, a forced CUDA).
    const fromFetch = /fetch|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network|not found|could not locate|undefined|\b40[134]\b|unauthori[sz]ed/i;
    const friendly = (!local && fromFetch.test(message) && (await diagnoseHub(opts, env.fetch as typeof fetch))) || first;
    throw new ModelLoadError(friendly, { cause: error });
  }
}

/** A Hub model's config.json (a small download) checked before the tokenizer and the weights. */
async function checkHubConfig(opts: ResolvedOptions, common: Record<string, unknown>): Promise<void> {
  const dir = modelFilesDir(opts);
  const onDisk = () => existsSync(path.join(dir, 'config.json'));
  try {
    await AutoConfig.from_pretrained(opts.modelId, common);
  } catch (error) {
    // transformers.js's own JSON error says less than ours
    if (onDisk()) await checkModelConfig(dir, opts.modelId);
    throw error;
  }
  if (onDisk()) await checkModelConfig(dir, opts.modelId);
}
