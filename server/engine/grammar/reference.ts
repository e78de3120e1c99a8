/**
 * The step-by-step reference with the grammar applied on the host: the plain
 * decoder, one `session.run` per token (testmodels/stepwise.ts's loop), the constraint's mask on the last
 * logits, argmax (first index on ties, like ONNX ArgMax), then accept. What a
 * step-by-step decoder with a TokenConstraint does; tests and the benchmark
 * compare the fused loop with it token for token.
 *
 *   const out = await hostConstrainedGreedy(session, promptIds, { maxNewTokens, eosTokenIds, constraint })
 */
import '../float16.ts'; // first: hides Node 24's Float16Array from ONNX Runtime (see there)
import ort from 'onnxruntime-node';
import { halfToFloat, stepwiseGenerate } from '../../testmodels/stepwise.ts';
import type { TokenConstraint } from './constraint.ts';

export interface HostGreedyOptions {
  maxNewTokens: number;
  eosTokenIds: number[];
  constraint: TokenConstraint | null;
}

export async function hostConstrainedGreedy(session: ort.InferenceSession, promptIds: number[], opts: HostGreedyOptions): Promise<{ ids: number[]; maskMs: number }> {
  let maskMs = 0;
  // The plain step-by-step loop (cache, feeds, EOS) is stepwiseGenerate's; only the choice of the token differs.
  const { ids } = await stepwiseGenerate(session, promptIds, {
    maxNewTokens: opts.maxNewTokens,
    eosTokenIds: opts.eosTokenIds,
    pick: (logits, remaining) => {
      const V = logits.dims[logits.dims.length - 1]!;
      const data = logits.data as Float32Array | Uint16Array;
      const start = data.length - V;
      const row = logits.type === 'float16' ? Float32Array.from(data.subarray(start), halfToFloat) : Float32Array.from(data.subarray(start));
      const m0 = performance.now();
      opts.constraint?.mask(row, remaining);
      let next = 0;
      for (let i = 1; i < V; i++) if (row[i]! > row[next]!) next = i;
      opts.constraint?.accept(next);
      maskMs += performance.now() - m0;
      return next;
    },
  });
  return { ids, maskMs };
}
