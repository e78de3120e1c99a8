/**
 * `mermaid-flow test-model --kind tiny|tape|qwen3-4b --out DIR [--text FILE]
 *  [--dtype fp32|fp16|q4f16] [--seed N] [--attention plain|gqa] [--layers N]`
 *
 * Writes a model directory that `--model DIR` / `MODEL_PATH=DIR` load:
 *   tape      greedy output = the UTF-8 text of FILE, then end of turn (any dtype name loads it)
 *   tiny      random Qwen3, 2 layers, hidden 64 (default dtype fp32)
 *   qwen3-4b  random weights with Qwen3-4B-Instruct-2507's shapes, weights streamed
 *             to external data (default dtype fp16: about 8 GB; q4f16: about 3 GB)
 */
import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeTestModel, type TestModelDtype, type TestModelSpec } from '../testmodels/index.ts';
import type { Qwen3Attention } from '../testmodels/qwen3-graph.ts';

const USAGE = `usage: mermaid-flow test-model --kind tiny|tape|qwen3-4b --out DIR [--text FILE] [--dtype fp32|fp16|q4f16] [--seed N]
                                [--attention plain|gqa] [--layers N]

  --kind    tape: greedy output is FILE's text then end of turn, whatever the prompt
            tiny: random 2-layer Qwen3 (CPU tests)
            qwen3-4b: random weights, Qwen3-4B-Instruct-2507 shapes (GPU benchmarks)
  --out     directory to write (created; use it as --model DIR or MODEL_PATH=DIR)
  --text    UTF-8 file with the tape's text (tape only)
  --dtype   fp32 | fp16 | q4f16 (tiny: fp32, qwen3-4b: fp16 by default; ignored for tape)
  --seed    weight seed (default 1)
  --attention  plain ONNX ops, or com.microsoft GroupQueryAttention as real exports use
            (default: gqa for q4f16, plain otherwise; tiny and qwen3-4b)
  --layers  qwen3-4b only: fewer than 36 layers, for quick smoke tests`;

const DTYPES: TestModelDtype[] = ['fp32', 'fp16', 'q4f16'];

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        kind: { type: 'string' },
        out: { type: 'string' },
        text: { type: 'string' },
        dtype: { type: 'string' },
        seed: { type: 'string' },
        attention: { type: 'string' },
        layers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const fail = (message: string) => {
    console.error(`test-model: ${message}\n\n${USAGE}`);
    return 2;
  };
  if (!values.out) return fail('--out DIR is required');
  const dtype = values.dtype as TestModelDtype | undefined;
  if (dtype && !DTYPES.includes(dtype)) return fail(`--dtype must be one of ${DTYPES.join(', ')}`);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) return fail('--seed must be a non-negative integer');

  const attention = values.attention as Qwen3Attention | undefined;
  if (attention && attention !== 'plain' && attention !== 'gqa') return fail('--attention must be plain or gqa');
  const layers = values.layers === undefined ? undefined : Number(values.layers);
  if (layers !== undefined && (!Number.isInteger(layers) || layers < 1 || layers > 36)) return fail('--layers must be 1..36');
  if (layers !== undefined && values.kind !== 'qwen3-4b') return fail('--layers applies to --kind qwen3-4b only');

  let spec: TestModelSpec;
  switch (values.kind) {
    case 'tape': {
      if (!values.text) return fail('--text FILE is required for --kind tape');
      let text: string;
      try {
        text = await readFile(values.text, 'utf8');
      } catch (err) {
        return fail(`cannot read --text ${values.text}: ${(err as Error).message}`);
      }
      spec = { kind: 'tape', text };
      break;
    }
    case 'tiny':
      spec = { kind: 'tiny', seed, dtype: dtype ?? 'fp32', attention };
      break;
    case 'qwen3-4b':
      spec = {
        kind: 'qwen3-4b',
        seed,
        dtype: dtype ?? 'fp16',
        attention,
        layers,
        onProgress: (m) => console.error(`qwen3-4b: ${m}`),
      };
      break;
    default:
      return fail('--kind must be tiny, tape or qwen3-4b');
  }

  const out = resolve(values.out);
  const t0 = Date.now();
  try {
    await mkdir(out, { recursive: true });
    await writeTestModel(spec, out);
  } catch (err) {
    console.error(`test-model: writing ${out} failed: ${(err as Error).message}`);
    return 1;
  }
  const used = spec.kind === 'tape' ? 'fp32 (any dtype name loads it)' : spec.dtype;
  console.log(`wrote ${spec.kind} model to ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s; dtype ${used}`);
  console.log(`use it with: --model ${out}   or   MODEL_PATH=${out}`);
  return 0;
}
