/**
 * float16.ts's contract, in fresh threads (this file's thread already ran the
 * shim as the test setup): importing any module that owns ONNX Runtime or
 * transformers.js first, in a thread that has a native Float16Array, leaves
 * float16 tensors in Uint16Array, the layout onnxruntime-node's binding reads.
 * Only meaningful on Node 24 and later; on older Node it skips, saying why.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  const { register } = await import('tsx/esm/api');
  register();
  const native = typeof globalThis.Float16Array;
  if (workerData.module) await import(workerData.module);
  const ort = (await import('onnxruntime-node')).default;
  const t = new ort.Tensor('float16', new Uint16Array(2), [2]);
  parentPort.postMessage({ native, data: t.data.constructor.name });
})().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;

interface Report {
  native?: string;
  data?: string;
  error?: string;
}

const inFreshThread = (module: string | null) =>
  new Promise<Report>((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: { module } });
    w.once('message', (m: Report) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });

const baseline = await inFreshThread(null);
const hasFloat16Array = baseline.native === 'function';
if (!hasFloat16Array) console.warn(`float16.test: skipped, Node ${process.versions.node} has no native Float16Array`);

describe.skipIf(!hasFloat16Array)('Float16Array hidden from ONNX Runtime (Node 24+)', () => {
  it('without the shim, onnxruntime-common stores float16 data as Float16Array (what the binding misreads)', () => {
    expect(baseline).toEqual({ native: 'function', data: 'Float16Array' });
  });

  it.each([
    'server/engine/float16.ts',
    'server/engine/model.ts',
    'server/engine/load.ts',
    'server/engine/decoders.ts',
    'server/engine/decode-transformers.ts',
    'server/engine/fused/generate.ts',
    'server/engine/grammar/reference.ts',
    'server/testmodels/ort-greedy.ts',
    'server/testmodels/stepwise.ts',
  ])('importing %s first leaves float16 tensors in Uint16Array', async (module) => {
    const report = await inFreshThread(new URL(`../../${module}`, import.meta.url).href);
    expect(report).toEqual({ native: 'function', data: 'Uint16Array' });
  });
});
