/**
 * One load of the real model: check the source (a local directory, or a Hub
 * model downloaded once into CACHE_DIR by hub-download.ts and then loaded
 * like a local directory), decide the device before reading anything big,
 * read the tokenizer and the end-of-turn ids, pick the decoder (with the
 * CUDA → CPU and fused → generate fallbacks) and warm it up. Progress goes to
 * `report`; a failure is thrown as a ModelLoadError whose message says why
 * and what to do (`onFailing` hears the first explanation at once, before the
 * slower Hub diagnosis, so the status never shows "loading" for a load that
 * has already failed).
 */
import './float16.ts'; // first: hides Node 24's Float16Array from ONNX Runtime (see there)
import { existsSync } from 'node:fs';
import { AutoTokenizer } from '@huggingface/transformers';
import type { ReadyStatus } from '../../common/protocol.ts';
import type { Logger } from '../log.ts';
import { cudaPrecheck, explainCudaFailure } from './cuda.ts';
import { loadDecoder, warmUpOrFallBack, type DecoderContext } from './decoders.ts';
import { chooseDtype, readLocalJson, type ResolvedDevice } from './files.ts';
import { openHubSnapshot, type DownloadProgress, type HubSnapshot } from './hub-download.ts';
import { diagnoseHub, explainLoadError, fetchWithToken } from './hub.ts';
import { checkModelConfig } from './model-config.ts';
import { FusedRequiredError, ModelLoadError, type Decoded, type Loaded, type ResolvedOptions } from './model-options.ts';
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
  let shownPct = -1;
  let shownState: ReadyStatus['state'] = 'loading';
  const show = (pct: number, message: string, state: ReadyStatus['state'] = 'loading') => {
    const rounded = Math.floor(pct);
    if (rounded === shownPct && state === shownState) return;
    shownPct = rounded;
    shownState = state;
    ctx.report({ state, progress: rounded, message });
  };
  const onProgress = ({ loaded, total }: DownloadProgress) => {
    const mb = (n: number) => (n / 1e6).toFixed(0);
    const pct = total > 0 ? (100 * loaded) / total : 100;
    show((pct * LOAD_WEIGHT) / 100, total > 5e6 ? `Downloading model files (${mb(loaded)}/${mb(total)} MB)` : 'Downloading model files');
  };
  const base = globalThis.fetch.bind(globalThis);
  const hubFetch = opts.hfToken ? fetchWithToken(base, opts.hfToken, new URL(opts.hubUrl).hostname) : base;

  try {
    if (local) {
      if (!existsSync(local)) {
        throw new Error(`MODEL_PATH=${local} does not exist. Point MODEL_PATH at a model directory (config.json, tokenizer files, onnx/model*.onnx) or unset it to download ${opts.modelId} from the Hub.`);
      }
      await checkModelConfig(local, `MODEL_PATH=${local}`);
    }

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

    // A Hub model: the files the first device's dtype needs, downloaded once (config.json checked
    // before the weights); from here on it is a local directory.
    let snapshot: HubSnapshot | null = null;
    const ensureHub = async (device: ResolvedDevice) => {
      snapshot ??= await openHubSnapshot({ ...opts, fetch: base, log: (m) => log.info(m) });
      await snapshot.ensure(chooseDtype(opts.dtype, device, null), { onProgress, beforeWeights: (d) => checkModelConfig(d, opts.modelId) });
      return snapshot.dir;
    };
    const dir = local ?? (await ensureHub(tryCuda ? 'cuda' : 'cpu'));
    const common = { local_files_only: true };
    show(LOAD_WEIGHT, 'Reading the tokenizer');
    const tokenizer = await AutoTokenizer.from_pretrained(dir, common);

    // The eos ids come from the model's own files (generation_config.json, config.json) and the tokenizer.
    const eosIds = new Set<number>();
    const addEos = (v: unknown) => {
      for (const id of Array.isArray(v) ? v : [v]) if (typeof id === 'number') eosIds.add(id);
    };
    addEos((tokenizer as unknown as { eos_token_id?: unknown }).eos_token_id);

    const dctx: DecoderContext = { opts, log, dir, common, tokenizerEos: [...eosIds], say: (message) => ctx.report({ message }) };
    // After a CUDA failure a Hub model may need the CPU's dtype too (a second, smaller download).
    const loadOn = async (device: ResolvedDevice) => {
      if (!local) await ensureHub(device);
      return loadDecoder(dctx, device);
    };
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
      // The fused decoder alone: the model's files are on disk (the local directory or the Hub download).
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
    const friendly = (!local && fromFetch.test(message) && (await diagnoseHub(opts, hubFetch))) || first;
    throw new ModelLoadError(friendly, { cause: error });
  }
}
