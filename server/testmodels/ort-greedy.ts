/**
 * Reference greedy decoding straight on onnxruntime-node, for checking the
 * test models (and any other decoder with the transformers.js Qwen3 I/O).
 *
 *   const d = await OrtDecoder.open(file)       // reads KV layout from the session metadata
 *   await d.greedy(promptIds, n, 'uncached')    // recompute the whole sequence every step
 *   await d.greedy(promptIds, n, 'cached')      // prefill once, then one token per step with past
 *
 * Batch size 1; stops after n tokens (no EOS handling: it compares raw streams).
 */
import '../engine/float16.ts'; // first: hides Node 24's Float16Array from ONNX Runtime (see there)
import * as ort from 'onnxruntime-node';
// The same host argmax (fp16-aware) as the engine's step-by-step reference.
import { argmaxLast } from './stepwise.ts';

type Feeds = Record<string, ort.Tensor>;

const i64 = (values: number[], dims: number[]) => new ort.Tensor('int64', BigInt64Array.from(values, BigInt), dims);

export class OrtDecoder {
  private constructor(
    readonly session: ort.InferenceSession,
    private readonly pastNames: string[],
    private readonly pastType: 'float32' | 'float16',
    private readonly kvDims: [number, number],
  ) {}

  static async open(file: string, options: ort.InferenceSession.SessionOptions = {}): Promise<OrtDecoder> {
    const session = await ort.InferenceSession.create(file, options);
    const meta = session.inputMetadata.filter((m) => m.name.startsWith('past_key_values.'));
    const first = meta[0] as unknown as { type: string; shape: Array<number | string> } | undefined;
    if (!first) throw new Error('no past_key_values inputs');
    return new OrtDecoder(
      session,
      meta.map((m) => m.name),
      first.type as 'float32' | 'float16',
      [first.shape[1] as number, first.shape[3] as number],
    );
  }

  /** Runs one step; `past` null means an empty cache. */
  async step(ids: number[], start: number, past: Feeds | null): Promise<{ token: number; present: Feeds }> {
    const S = ids.length;
    const feeds: Feeds = {
      input_ids: i64(ids, [1, S]),
      attention_mask: i64(new Array(start + S).fill(1), [1, start + S]),
      position_ids: i64(Array.from({ length: S }, (_, i) => start + i), [1, S]),
    };
    if (this.session.inputNames.includes('num_logits_to_keep')) feeds.num_logits_to_keep = i64([1], []);
    for (const name of this.pastNames) {
      feeds[name] =
        past?.[name] ??
        new ort.Tensor(this.pastType, this.pastType === 'float32' ? new Float32Array(0) : new Uint16Array(0), [1, this.kvDims[0], 0, this.kvDims[1]]);
    }
    const out = await this.session.run(feeds);
    const present: Feeds = {};
    for (const name of this.pastNames) present[name] = out[name.replace('past_key_values', 'present')]!;
    return { token: argmaxLast(out.logits!), present };
  }

  async greedy(prompt: number[], n: number, mode: 'cached' | 'uncached'): Promise<number[]> {
    const seq = [...prompt];
    const out: number[] = [];
    let past: Feeds | null = null;
    for (let t = 0; t < n; t++) {
      if (mode === 'uncached') {
        const r = await this.step(seq, 0, null);
        out.push(r.token);
        seq.push(r.token);
      } else {
        const r: { token: number; present: Feeds } =
          past === null ? await this.step(seq, 0, null) : await this.step([seq.at(-1)!], seq.length - 1, past);
        past = r.present;
        out.push(r.token);
        seq.push(r.token);
      }
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
