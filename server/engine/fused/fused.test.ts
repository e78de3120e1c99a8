/**
 * The fused path (greedy Loop inside the graph) against the step-by-step
 * reference (plain decoder, argmax on the host): token for token, for several
 * prompts, chunk sizes 1/7/64, EOS inside a chunk, both cache modes, and the
 * budget/abort semantics between chunks. Models: a mini decoder built here
 * (embedded and external weights), the tape model and the tiny random Qwen3
 * from server/testmodels.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FusedGenerator, planChunk, type ChunkPlan } from './generate.ts';
import { writeMiniDecoder } from '../../testmodels/mini-decoder.ts';
import { stepwiseGenerate } from '../../testmodels/stepwise.ts';
import { ensureFusedModel, externalDataFiles, fuseDecoder } from './transform.ts';

const PROMPTS = [[5, 17, 33, 2, 8], [1], [90, 3, 3, 3, 41, 12, 7, 60, 61, 62, 5], [44, 44]];
const CHUNKS = [1, 7, 64];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fused-'));
});
afterAll(async () => {
  await chmod(dir, 0o755).catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

/** Step-by-step reference and fused generator for one decoder file. */
async function pair(modelPath: string) {
  const plain = await ort.InferenceSession.create(modelPath);
  const fused = await FusedGenerator.create({ modelPath });
  return { plain, fused };
}

/** An EOS id that first appears strictly inside the reference output (index ≥ 2), and that index. */
function eosInside(ref: number[]): { id: number; at: number } {
  for (let i = 2; i < ref.length; i++) if (!ref.slice(0, i).includes(ref[i]!)) return { id: ref[i]!, at: i };
  return { id: ref[0]!, at: 0 }; // a model that repeats itself: EOS on the first token
}

describe('fuseDecoder (graph structure)', () => {
  it('moves the nodes into a Loop body and keeps the weights in the outer graph, referenced not copied', async () => {
    const path = join(dir, 'struct.onnx');
    await writeMiniDecoder(path, { seed: 2 });
    const src = await readFile(path);
    const { bytes, info } = fuseDecoder(src, { sourceFile: 'struct.onnx' });
    const m = onnxProto.onnx.ModelProto.decode(bytes);
    const g = m.graph!;
    const loop = g.node!.find((n) => n.opType === 'Loop')!;
    expect(loop).toBeTruthy();
    const body = loop.attribute!.find((a) => a.name === 'body')!.g!;
    expect(body.node!.some((n) => n.opType === 'ArgMax')).toBe(true);
    // weights: all outer, large ones point into the source file, small ones inline
    const big = g.initializer!.filter((t) => t.dataLocation === onnxProto.onnx.TensorProto.DataLocation.EXTERNAL);
    expect(big.length).toBeGreaterThan(5);
    expect(externalDataFiles(bytes)).toEqual(['struct.onnx']);
    expect(bytes.byteLength).toBeLessThan(src.byteLength / 5);
    expect(body.initializer!.every((t) => (t.rawData?.byteLength ?? 0) <= 8)).toBe(true);
    expect(info.layers).toHaveLength(2);
    expect(g.input!.map((i) => i.name)).toEqual(expect.arrayContaining(['input_ids', 'attention_mask', 'position_ids', 'max_new_tokens', 'eos_token_ids']));
    expect(g.output!.map((o) => o.name)).toEqual(['tokens', 'present.0.key', 'present.0.value', 'present.1.key', 'present.1.value']);
  });

  it('keeps external-data locations and writes into a cache folder when the model folder is read-only; the session loads from there', async () => {
    const ro = join(dir, 'ro');
    await mkdir(ro);
    const path = join(ro, 'model.onnx');
    await writeMiniDecoder(path, { seed: 4, weights: 'external' });
    await chmod(ro, 0o555);
    const isRoot = process.getuid?.() === 0; // root ignores the read-only bit: force the cache folder
    const cacheDir = join(dir, 'cache');
    const info = await ensureFusedModel(path, { cacheDir, preferCacheDir: isRoot });
    // one folder per source model under the cache root
    const outDir = dirname(info.path);
    expect(dirname(outDir)).toBe(cacheDir);
    expect(basename(outDir)).toMatch(/^[0-9a-f]{16}$/);
    expect(basename(info.path)).toBe('model.fused.onnx');
    expect(externalDataFiles(await readFile(info.path))).toEqual(['model.onnx_data']);
    // cached: second call does not rewrite
    const before = (await stat(info.path)).mtimeMs;
    await ensureFusedModel(path, { cacheDir, preferCacheDir: isRoot });
    expect((await stat(info.path)).mtimeMs).toBe(before);
    // the session is made from the cached file (not one beside the source), its weights read from the source folder
    const plain = await ort.InferenceSession.create(path);
    const fused = await FusedGenerator.create({ modelPath: path, cacheDir, preferCacheDir: isRoot });
    expect(fused.info.path).toBe(info.path);
    const ref = await stepwiseGenerate(plain, PROMPTS[0]!, { maxNewTokens: 20, eosTokenIds: [] });
    const got = await fused.generate(PROMPTS[0]!, { maxNewTokens: 20, eosTokenIds: [], chunkSize: 7 });
    expect(got.ids).toEqual(ref.ids);
  });
});

describe('weights in several external data files (as the Qwen3-4B-Instruct-2507 q4f16 export: model_q4f16.onnx_data and _data_1)', () => {
  it('the fused graph references both files; beside the source and from the cache folder (read-only model folder) it decodes like the plain decoder', async () => {
    const ro = join(dir, 'two-files');
    await mkdir(ro);
    const path = join(ro, 'model_q4f16.onnx');
    await writeMiniDecoder(path, { seed: 21, weights: 'external', dataFiles: 2 });
    const files = ['model_q4f16.onnx_data', 'model_q4f16.onnx_data_1'];
    for (const f of files) expect((await stat(join(ro, f))).size).toBeGreaterThan(1000);
    expect(externalDataFiles(await readFile(path)).sort()).toEqual(files);
    const { bytes } = fuseDecoder(await readFile(path), { sourceFile: 'model_q4f16.onnx' });
    expect(externalDataFiles(bytes).sort()).toEqual(files);

    const plain = await ort.InferenceSession.create(path);
    const refs = [];
    for (const prompt of PROMPTS.slice(0, 2)) refs.push((await stepwiseGenerate(plain, prompt, { maxNewTokens: 20, eosTokenIds: [] })).ids);

    // writable folder: the fused file sits beside the source
    const beside = await FusedGenerator.create({ modelPath: path });
    expect(dirname(beside.info.path)).toBe(ro);
    for (const [i, prompt] of PROMPTS.slice(0, 2).entries()) {
      expect((await beside.generate(prompt, { maxNewTokens: 20, eosTokenIds: [], chunkSize: 7 })).ids).toEqual(refs[i]);
    }
    await beside.dispose();

    // read-only folder (a baked image): the fused file goes to the cache folder; the weights stay where they are
    await rm(beside.info.path);
    await chmod(ro, 0o555);
    const isRoot = process.getuid?.() === 0; // root ignores the read-only bit: force the cache folder
    const cacheDir = join(dir, 'two-files-cache');
    const cached = await FusedGenerator.create({ modelPath: path, cacheDir, preferCacheDir: isRoot });
    const outDir = dirname(cached.info.path);
    expect(dirname(outDir)).toBe(cacheDir);
    expect((await readdir(outDir)).sort()).toEqual(['model_q4f16.fused.onnx', 'model_q4f16.fused.onnx.json']);
    for (const [i, prompt] of PROMPTS.slice(0, 2).entries()) {
      for (const cacheMode of ['carry', 'recompute'] as const) {
        expect((await cached.generate(prompt, { maxNewTokens: 20, eosTokenIds: [], chunkSize: 7, cacheMode })).ids).toEqual(refs[i]);
      }
    }
    await cached.dispose();
    await chmod(ro, 0o755);
  });

  it('concurrent builds of the same fused file all succeed (unique temporary names, atomic renames)', async () => {
    const path = join(dir, 'concurrent.onnx');
    await writeMiniDecoder(path, { seed: 22, weights: 'external', dataFiles: 2 });
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => ensureFusedModel(path)));
    expect(results.map((r) => (r.status === 'fulfilled' ? 'ok' : String(r.reason)))).toEqual(['ok', 'ok', 'ok', 'ok']);
    const fused = await FusedGenerator.create({ modelPath: path });
    expect((await fused.generate([1, 2], { maxNewTokens: 5, eosTokenIds: [] })).ids).toHaveLength(5);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('fused ≡ step-by-step on the mini decoder', () => {
  for (const variant of [
    { name: 'embedded weights', spec: { seed: 7 } },
    { name: 'external weights + num_logits_to_keep', spec: { seed: 11, weights: 'external' as const, numLogitsToKeep: true } },
    { name: 'GroupQueryAttention contrib op (com.microsoft)', spec: { seed: 13, gqa: true } },
  ]) {
    it(`${variant.name}: prompts × chunk sizes 1/7/64, both cache modes, EOS inside a chunk`, async () => {
      const path = join(dir, `mini-${variant.spec.seed}.onnx`);
      await writeMiniDecoder(path, variant.spec);
      const { plain, fused } = await pair(path);
      for (const prompt of PROMPTS) {
        const ref = await stepwiseGenerate(plain, prompt, { maxNewTokens: 40, eosTokenIds: [] });
        expect(ref.ids).toHaveLength(40);
        for (const chunkSize of CHUNKS) {
          for (const cacheMode of ['carry', 'recompute'] as const) {
            const chunks: number[][] = [];
            const got = await fused.generate(prompt, { maxNewTokens: 40, eosTokenIds: [], chunkSize, cacheMode, onChunk: (ids) => chunks.push(ids) });
            expect(got.ids, `prompt ${prompt} K=${chunkSize} ${cacheMode}`).toEqual(ref.ids);
            expect(got.stopReason).toBe('max_tokens');
            expect(chunks.flat()).toEqual(got.ids);
            expect(chunks[0]).toHaveLength(1); // first chunk: prefill + one token
            expect(Math.max(...chunks.map((c) => c.length))).toBe(Math.min(chunkSize, 39));
          }
        }
        // EOS in the middle of a chunk: both stop right after it
        const eos = eosInside(ref.ids);
        const refEos = await stepwiseGenerate(plain, prompt, { maxNewTokens: 40, eosTokenIds: [eos.id] });
        expect(refEos.ids).toEqual(ref.ids.slice(0, eos.at + 1));
        expect(refEos.stopReason).toBe('eos');
        for (const chunkSize of CHUNKS) {
          const got = await fused.generate(prompt, { maxNewTokens: 40, eosTokenIds: [eos.id, 1000], chunkSize });
          expect(got.ids).toEqual(refEos.ids);
          expect(got.stopReason).toBe('eos');
        }
        // ignoreEos runs on through the end token
        const forced = await fused.generate(prompt, { maxNewTokens: 40, eosTokenIds: [eos.id], ignoreEos: true, chunkSize: 64 });
        expect(forced.ids).toEqual(ref.ids);
      }
    });
  }
});

describe('planChunk', () => {
  const base: ChunkPlan = { chunkIndex: 1, remaining: 1000, chunkSize: 64, firstChunk: 1, msPerToken: 2, msLeft: Infinity, targetChunkMs: 150, maxChunk: 128 };
  it.each([
    [{ chunkIndex: 0 }, 1],
    [{ chunkIndex: 0, firstChunk: 4 }, 4],
    [{}, 64],
    [{ remaining: 10 }, 10],
    [{ msLeft: 50 }, 25], // 50 ms left at 2 ms/token
    [{ msLeft: 1 }, 1],
    [{ chunkSize: 'auto' }, 75], // 150 ms / 2 ms
    [{ chunkSize: 'auto', msPerToken: 0.1 }, 128], // capped
    [{ chunkSize: 'auto', msPerToken: null }, 8],
    [{ chunkSize: 'auto', msPerToken: 500 }, 1],
  ] as [Partial<ChunkPlan>, number][])('%o → %i', (over, want) => {
    expect(planChunk({ ...base, ...over })).toBe(want);
  });
});

describe('budget and cancellation between chunks', () => {
  let fused: FusedGenerator;
  beforeAll(async () => {
    const path = join(dir, 'budget.onnx');
    await writeMiniDecoder(path, { seed: 5 });
    fused = await FusedGenerator.create({ modelPath: path });
  });

  it('an expired budget stops before the first chunk', async () => {
    const r = await fused.generate([1, 2, 3], { maxNewTokens: 50, eosTokenIds: [], deadline: Date.now() - 1 });
    expect(r).toMatchObject({ ids: [], stopReason: 'budget', firstTokenMs: null });
  });

  it('a budget that runs out during a chunk stops after it, keeping its tokens', async () => {
    // far enough that a slow first chunk (busy machine) does not shrink the second one (chunks are sized to the budget)
    const deadline = Date.now() + 5_000;
    let calls = 0;
    const r = await fused.generate([1, 2, 3], {
      maxNewTokens: 200,
      eosTokenIds: [],
      chunkSize: 7,
      deadline,
      onChunk: () => {
        if (++calls === 2) while (Date.now() < deadline); // this chunk "took" the rest of the budget
      },
    });
    expect(r.stopReason).toBe('budget');
    expect(r.ids).toHaveLength(1 + 7);
  }, 30_000);

  it('abort stops at the next chunk boundary', async () => {
    const ac = new AbortController();
    let calls = 0;
    const r = await fused.generate([1, 2, 3], {
      maxNewTokens: 200,
      eosTokenIds: [],
      chunkSize: 5,
      signal: ac.signal,
      onChunk: () => {
        if (++calls === 3) ac.abort();
      },
    });
    expect(r.stopReason).toBe('aborted');
    expect(r.ids).toHaveLength(1 + 5 + 5);
    expect(r.chunks).toBe(3);
  });

  it('auto chunk size follows the pace', async () => {
    const sizes: number[] = [];
    await fused.generate([1, 2, 3], { maxNewTokens: 300, eosTokenIds: [], chunkSize: 'auto', targetChunkMs: 20, onChunk: (ids) => sizes.push(ids.length) });
    expect(sizes[0]).toBe(1);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(300);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
  });
});

describe('edge cases of one call', () => {
  let plain: ort.InferenceSession;
  let fused: FusedGenerator;
  beforeAll(async () => {
    const path = join(dir, 'edges.onnx');
    await writeMiniDecoder(path, { seed: 9, maxPos: 200 });
    ({ plain, fused } = await pair(path));
  });
  const ref = (prompt: number[], maxNewTokens: number) => stepwiseGenerate(plain, prompt, { maxNewTokens, eosTokenIds: [] }).then((r) => r.ids);

  it('an already-aborted signal stops before the first chunk', async () => {
    const r = await fused.generate([1, 2, 3], { maxNewTokens: 50, eosTokenIds: [], signal: AbortSignal.abort() });
    expect(r).toMatchObject({ ids: [], stopReason: 'aborted', firstTokenMs: null, chunks: 0 });
  });

  it('EOS as the very first token (one of several EOS ids): one chunk, that token, eos', async () => {
    const first = (await ref([4, 8, 15], 1))[0]!;
    const r = await fused.generate([4, 8, 15], { maxNewTokens: 50, eosTokenIds: [(first + 1) % 97, first], chunkSize: 16 });
    expect(r).toMatchObject({ ids: [first], stopReason: 'eos', chunks: 1 });
    expect(r.firstTokenMs).not.toBeNull();
  });

  it('maxNewTokens smaller than the first chunk: exactly maxNewTokens, max_tokens', async () => {
    const want = await ref([4, 8, 15], 2);
    const r = await fused.generate([4, 8, 15], { maxNewTokens: 2, eosTokenIds: [], firstChunk: 4 });
    expect(r).toMatchObject({ ids: want, stopReason: 'max_tokens', chunks: 1 });
  });

  it('a prompt much longer than a chunk: same tokens in both cache modes', async () => {
    const prompt = Array.from({ length: 150 }, (_, i) => (i * 31 + 7) % 97);
    const want = await ref(prompt, 30);
    for (const cacheMode of ['carry', 'recompute'] as const) {
      expect((await fused.generate(prompt, { maxNewTokens: 30, eosTokenIds: [], chunkSize: 7, cacheMode })).ids, cacheMode).toEqual(want);
    }
  });

  it('a prompt prefilled in pieces gives the step-by-step tokens (pieces of 1, 7, 64; both cache modes)', async () => {
    const prompt = Array.from({ length: 150 }, (_, i) => (i * 31 + 7) % 97);
    const want = await ref(prompt, 20);
    for (const prefillChunk of [1, 7, 64]) {
      for (const cacheMode of ['carry', 'recompute'] as const) {
        const pieces: number[] = [];
        const got = await fused.generate(prompt, { maxNewTokens: 20, eosTokenIds: [], chunkSize: 7, cacheMode, prefillChunk, onPrefill: (done) => pieces.push(done) });
        expect(got.ids, `${prefillChunk} ${cacheMode}`).toEqual(want);
        expect(pieces).toHaveLength(Math.ceil(prompt.length / prefillChunk) - 1); // the last piece runs with the first chunk
      }
    }
  });

  it('an abort during the prefill stops before the next piece: no tokens, aborted', async () => {
    const prompt = Array.from({ length: 100 }, (_, i) => (i * 7 + 3) % 97);
    const ac = new AbortController();
    const pieces: number[] = [];
    const r = await fused.generate(prompt, { maxNewTokens: 20, eosTokenIds: [], prefillChunk: 10, signal: ac.signal, onPrefill: (done) => pieces.push(done) === 2 && ac.abort() });
    expect(r).toMatchObject({ ids: [], stopReason: 'aborted', firstTokenMs: null, chunks: 0 });
    expect(pieces).toEqual([10, 20]);
    // the shared flag the worker uses acts the same way
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const viaFlag = await fused.generate(prompt, { maxNewTokens: 20, eosTokenIds: [], prefillChunk: 10, abortFlag: flag, onPrefill: () => Atomics.store(flag, 0, 1) });
    expect(viaFlag).toMatchObject({ ids: [], stopReason: 'aborted', chunks: 0 });
  });

  it('a budget that runs out during the prefill stops before the next piece: no tokens, budget', async () => {
    const prompt = Array.from({ length: 100 }, (_, i) => (i * 5 + 1) % 97);
    const deadline = Date.now() + 1_000;
    const pieces: number[] = [];
    const r = await fused.generate(prompt, {
      maxNewTokens: 20,
      eosTokenIds: [],
      prefillChunk: 10,
      deadline,
      onPrefill: (done) => {
        pieces.push(done);
        while (Date.now() < deadline); // this piece "took" the rest of the budget
      },
    });
    expect(r).toMatchObject({ ids: [], stopReason: 'budget', chunks: 0 });
    expect(pieces).toEqual([10]);
  });

  it('a prompt near the model’s last position decodes up to it; one step past it fails loudly, like the plain decoder', async () => {
    const prompt = Array.from({ length: 196 }, (_, i) => (i * 13 + 1) % 97);
    const want = await ref(prompt, 4); // positions 0..199: the last one the model has
    expect((await fused.generate(prompt, { maxNewTokens: 4, eosTokenIds: [], chunkSize: 7 })).ids).toEqual(want);
    await expect(stepwiseGenerate(plain, prompt, { maxNewTokens: 6, eosTokenIds: [] })).rejects.toThrow();
    await expect(fused.generate(prompt, { maxNewTokens: 6, eosTokenIds: [], chunkSize: 7 })).rejects.toThrow();
  });

  it('concurrent calls on one generator (one ORT session) do not interfere: each gets its own tokens and chunks', async () => {
    const calls = [
      { prompt: PROMPTS[0]!, chunkSize: 3, cacheMode: 'carry' as const },
      { prompt: PROMPTS[2]!, chunkSize: 7, cacheMode: 'recompute' as const },
      { prompt: PROMPTS[3]!, chunkSize: 'auto' as const, cacheMode: 'carry' as const },
    ];
    const wants = await Promise.all(calls.map((c) => ref(c.prompt, 40)));
    const streamed: number[][] = calls.map(() => []);
    const got = await Promise.all(
      calls.map((c, i) => fused.generate(c.prompt, { maxNewTokens: 40, eosTokenIds: [], chunkSize: c.chunkSize, cacheMode: c.cacheMode, onChunk: (ids) => streamed[i]!.push(...ids) })),
    );
    expect(got.map((g) => g.ids)).toEqual(wants);
    expect(streamed).toEqual(wants);
  });
});

// The project's test models (server/testmodels): tape (fixed greedy output) and tiny random Qwen3.
const testmodels = await import('../../testmodels/index.ts').catch(() => null);
const { IM_END, END_OF_TEXT, encodeText } = await import('../../testmodels/tokenizer.ts');
const EOS = [IM_END, END_OF_TEXT];

async function modelFile(spec: Parameters<NonNullable<typeof testmodels>['ensureTestModel']>[0], file = 'model.onnx'): Promise<string | null> {
  if (!testmodels) return null;
  try {
    return join(await testmodels.ensureTestModel(spec), 'onnx', file);
  } catch (e) {
    if (/not implemented/.test(String(e))) return null; // builder not there yet
    throw e;
  }
}

describe('fused ≡ step-by-step on the project test models', () => {
  it('tape model: the fused path replays the tape and stops on <|im_end|>, any chunk size', async () => {
    const text = 'flowchart TD\n  A[Start] --> B{Ok?}\n  B -->|yes| C[Done]\n';
    const file = await modelFile({ kind: 'tape', text });
    if (!file) return;
    const { plain, fused } = await pair(file);
    const expected = [...encodeText(text), IM_END];
    for (const prompt of [[9707, 11, 1879], [100]]) {
      const ref = await stepwiseGenerate(plain, prompt, { maxNewTokens: 500, eosTokenIds: EOS });
      expect(ref.ids).toEqual(expected);
      for (const chunkSize of CHUNKS) {
        const got = await fused.generate(prompt, { maxNewTokens: 500, eosTokenIds: EOS, chunkSize });
        expect(got.ids).toEqual(expected);
        expect(got.stopReason).toBe('eos');
      }
      const cut = await fused.generate(prompt, { maxNewTokens: 10, eosTokenIds: EOS, chunkSize: 7 });
      expect(cut).toMatchObject({ ids: expected.slice(0, 10), stopReason: 'max_tokens' });
    }
  });

  it('tiny random Qwen3: prompts × chunk sizes, EOS inside a chunk', async () => {
    const file = await modelFile({ kind: 'tiny', seed: 1 });
    if (!file) return;
    const { plain, fused } = await pair(file);
    for (const prompt of [[151644, 872, 198, 9707], [40, 1079, 264, 1273, 13, 576, 220]]) {
      const ref = await stepwiseGenerate(plain, prompt, { maxNewTokens: 32, eosTokenIds: [] });
      for (const [chunkSize, cacheMode] of [[1, 'carry'], [7, 'carry'], [64, 'carry'], [7, 'recompute']] as const) {
        const got = await fused.generate(prompt, { maxNewTokens: 32, eosTokenIds: [], chunkSize, cacheMode });
        expect(got.ids, `K=${chunkSize} ${cacheMode}`).toEqual(ref.ids);
      }
      const eos = eosInside(ref.ids);
      for (const chunkSize of CHUNKS) {
        const got = await fused.generate(prompt, { maxNewTokens: 32, eosTokenIds: [eos.id], chunkSize });
        expect(got).toMatchObject({ ids: ref.ids.slice(0, eos.at + 1), stopReason: 'eos' });
      }
    }
  });

  it('tiny random Qwen3 q4f16 (MatMulNBits contrib op, fp16 cache and logits): chunk sizes, EOS inside a chunk', async () => {
    const file = await modelFile({ kind: 'tiny', seed: 1, dtype: 'q4f16' }, 'model_q4f16.onnx');
    if (!file) return;
    const { plain, fused } = await pair(file);
    expect(fused.info.kvType).toBe('float16');
    for (const prompt of [[151644, 872, 198, 9707, 11, 1879], [3]]) {
      const ref = await stepwiseGenerate(plain, prompt, { maxNewTokens: 24, eosTokenIds: [] });
      for (const chunkSize of CHUNKS) {
        const got = await fused.generate(prompt, { maxNewTokens: 24, eosTokenIds: [], chunkSize });
        expect(got.ids, `K=${chunkSize}`).toEqual(ref.ids);
      }
      const eos = eosInside(ref.ids);
      const got = await fused.generate(prompt, { maxNewTokens: 24, eosTokenIds: [eos.id], chunkSize: 7 });
      expect(got).toMatchObject({ ids: ref.ids.slice(0, eos.at + 1), stopReason: 'eos' });
    }
  });

});
