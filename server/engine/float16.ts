/**
 * Node 24 and later have a native `Float16Array`; onnxruntime-node 1.29/1.30
 * cannot take one as input. When the global exists, onnxruntime-common turns
 * every float16 tensor's data into a Float16Array view (even one built from a
 * Uint16Array), and the native binding sizes its input buffer through
 * node-addon-api's `TypedArray::ByteLength()`, whose element-size table
 * predates Float16Array: the buffer reads as 0 bytes and every run with a
 * float16 input (the fp16 key/value cache of the q4f16 model, our default
 * on CUDA) fails with "not enough space: expected N, got 0". Upstream:
 * microsoft/onnxruntime PR #32323 (open when this was written).
 *
 * The fix here: in a thread that runs ONNX Runtime, remove the global before
 * onnxruntime-common or transformers.js first look at it (transformers.js
 * reads it when its module is evaluated; onnxruntime-common at the first
 * Tensor). Both then store float16 data in Uint16Array, exactly as on Node 20,
 * and the binding reads the right length. Nothing in this project uses
 * Float16Array itself. Globals are per thread, so every thread that may
 * touch ONNX Runtime imports this module before anything else: the engine
 * worker's entry (worker/boot.mjs), the modules that import transformers.js
 * or onnxruntime-node (first import, so importing them in any order works),
 * the test setup (vite.config.ts) and the benches.
 *
 * Remove this module when the binding reads Float16Array inputs; the Node 24
 * pass of CI runs the fp16 and q4f16 tests that fail without it.
 */
const g = globalThis as { Float16Array?: unknown };

/** True when this thread had a native Float16Array and it is now hidden. */
export const float16ArrayHidden = typeof g.Float16Array !== 'undefined' && delete g.Float16Array;
