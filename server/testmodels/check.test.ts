import { describe, expect, it } from 'vitest';
import { checkGraph } from './check.ts';
import { encodeModel, f, GraphBuilder, onnx } from './onnx-builder.ts';
import { buildQwen3Graph } from './qwen3-graph.ts';
import { buildTapeGraph } from './tape-graph.ts';
import { WeightWriter } from './weights.ts';
import { TINY } from './index.ts';

const small = { ...TINY, vocab_size: 256 };

describe('graph checks', () => {
  it('accepts the tape and every Qwen3 variant', () => {
    expect(checkGraph(buildTapeGraph({ tape: [1, 2, 3], vocabSize: 16 }))).toEqual([]);
    for (const dtype of ['fp32', 'fp16', 'q4f16'] as const) {
      for (const attention of ['plain', 'gqa'] as const) {
        const graph = buildQwen3Graph({ shape: small, dtype, attention, weights: new WeightWriter({ seed: 1 }) });
        expect(checkGraph(graph), `${dtype}/${attention}`).toEqual([]);
      }
    }
  });

  it('reports use before definition, double definition, missing outputs and unknown domains', () => {
    const g = new GraphBuilder('bad');
    const x = g.input('x', 'float32', [1]);
    g.op('Relu', ['later']);
    g.op('Relu', [x], {}, { outputs: ['later'] });
    g.op('Relu', [x], {}, { outputs: ['later'] });
    g.op('Foo', [x], {}, { domain: 'ai.example' });
    g.output('y', 'float32', [1]);
    const problems = checkGraph(g.toGraph()).join('\n');
    expect(problems).toMatch(/input 'later' is not defined before use/);
    expect(problems).toMatch(/'later' is defined twice/);
    expect(problems).toMatch(/domain 'ai.example'/);
    expect(problems).toMatch(/graph output 'y' is never produced/);
  });

  it('sees outer-scope names inside a Loop body', () => {
    const g = new GraphBuilder('main');
    const x = g.input('x', 'float32', [1]);
    const body = g.subgraph('body');
    body.input('i', 'int64', []);
    const cond = body.input('cond_in', 'bool', []);
    body.input('acc_in', 'float32', [1]);
    body.op('Identity', [cond], {}, { outputs: ['cond_out'] });
    body.op('Add', ['acc_in', x], {}, { outputs: ['acc_out'] }); // x from the outer scope
    body.output('cond_out', 'bool', []);
    body.output('acc_out', 'float32', [1]);
    g.op('Loop', [g.i64s(3), '', x], { body: body.toGraph() }, { outputs: ['y'] });
    g.output('y', 'float32', [1]);
    expect(checkGraph(g.toGraph())).toEqual([]);
    // round trip through protobuf keeps it intact
    const decoded = onnx.ModelProto.decode(encodeModel(g.toGraph()));
    expect(checkGraph(decoded.graph!)).toEqual([]);
  });

  it('types attributes: ints, floats via f(), strings, int lists', () => {
    const g = new GraphBuilder('attrs');
    g.op('LeakyRelu', [g.input('x', 'float32', [1])], { alpha: f(0.5) });
    g.op('Cast', ['x'], { to: 7 });
    expect(() => g.op('LeakyRelu', ['x'], { alpha: 0.5 })).toThrow(/wrap floats with f\(\)/);
    const [leaky, cast] = g.nodes;
    expect(leaky!.attribute![0]).toMatchObject({ name: 'alpha', f: 0.5, type: onnx.AttributeProto.AttributeType.FLOAT });
    expect(cast!.attribute![0]).toMatchObject({ name: 'to', i: 7, type: onnx.AttributeProto.AttributeType.INT });
  });
});
