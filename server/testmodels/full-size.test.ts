/**
 * The full-size writer's graph, laid out without writing its ~8 GB (a dry
 * run): Qwen3-4B shapes in fp16 and q4f16, structurally valid, weights as
 * expected, graph file far below protobuf's 2 GB limit. Writing and running
 * the real thing is for the GPU machine (`mermaid-flow test-model --kind qwen3-4b`).
 */
import { describe, expect, it } from 'vitest';
import { checkGraph } from './check.ts';
import { encodeModel } from './onnx-builder.ts';
import { QWEN3_4B } from './model-dir.ts';
import { buildQwen3Graph } from './qwen3-graph.ts';
import { weightBytes } from './qwen3.ts';
import { WeightWriter } from './weights.ts';

describe('Qwen3-4B-shaped graph (dry run)', () => {
  for (const dtype of ['fp16', 'q4f16'] as const) {
    it(`${dtype}: valid, all weights external, sizes as expected`, () => {
      const weights = new WeightWriter({ seed: 1, externalFile: `/nonexistent/model_${dtype}.onnx_data`, dryRun: true });
      const graph = buildQwen3Graph({ shape: QWEN3_4B, dtype, weights });
      expect(checkGraph(graph)).toEqual([]);
      const bytes = weights.close();
      expect(bytes / weightBytes(QWEN3_4B, dtype)).toBeGreaterThan(0.99);
      expect(bytes / weightBytes(QWEN3_4B, dtype)).toBeLessThan(1.01);
      expect(bytes).toBeGreaterThan(dtype === 'fp16' ? 8.0e9 : 2.9e9);
      const proto = encodeModel(graph, { contrib: true });
      expect(proto.length).toBeLessThan(32 * 2 ** 20); // metadata + the 65536-position rotary cache (gqa)
      expect(graph.input!.map((i) => i.name)).toContain('past_key_values.35.value');
      const past = graph.input!.find((i) => i.name === 'past_key_values.0.key')!;
      expect(past.type!.tensorType!.elemType).toBe(10); // float16 cache
      expect(past.type!.tensorType!.shape!.dim!.map((d) => d.dimValue ?? d.dimParam)).toEqual(['batch_size', 8, 'past_sequence_length', 128]);
      const ops = new Set(graph.node!.map((n) => n.opType));
      if (dtype === 'q4f16') {
        expect(ops).toContain('MatMulNBits');
        expect(ops).toContain('GroupQueryAttention');
        expect(graph.node!.filter((n) => n.opType === 'MatMulNBits')).toHaveLength(36 * 7 + 1);
      } else {
        expect(ops).not.toContain('MatMulNBits');
        expect(graph.node!.filter((n) => n.opType === 'MatMul' && n.input![1]!.endsWith('_proj.weight'))).toHaveLength(36 * 7);
      }
    });
  }
});
