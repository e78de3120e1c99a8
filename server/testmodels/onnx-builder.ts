/**
 * A small, dependency-light builder for ONNX graphs, written with `onnx-proto`
 * (the ONNX protobuf schema compiled for protobufjs). Used by the test models
 * (`tape-graph.ts`, `qwen3-graph.ts`) and by the fused-decoding graphs (Loop).
 *
 * API in one screen:
 *
 *   const g = new GraphBuilder('main');
 *   const x = g.input('x', 'float32', ['batch', 4]);
 *   const w = g.constant('float32', [4, 2], new Float32Array(8)); // small initializer
 *   const y = g.op('MatMul', [x, w]);                               // one output, auto-named
 *   const [a, b] = g.node('Split', [y], { axis: 1, num_outputs: 2 }, { outputs: 2 });
 *   g.op('Identity', [a], {}, { outputs: ['out'] });                // name an output
 *   g.output('out', 'float32', ['batch', 1]);
 *   const bytes = encodeModel(g.toGraph(), { opset: 17 });          // ModelProto bytes
 *
 * Attributes: a JS number is an INT, `f(x)` a FLOAT, a string a STRING, number[]
 * INTS, `floats([...])` FLOATS, `tensorAttr(t)` a TENSOR, a `GraphProto`
 * (from `sub.toGraph()`) a GRAPH. Subgraphs (Loop/If bodies): `g.subgraph(name)`
 * returns a builder sharing this builder's name counter, so names never clash;
 * outer-scope values may be used in a subgraph by name.
 *
 * Initializers either carry their bytes (`rawData`) or point into an external
 * data file (`external: { location, offset, length }`, see `weights.ts`).
 */
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type NodeProto = onnxProto.onnx.INodeProto;

export type DType = 'float32' | 'float16' | 'int64' | 'int32' | 'bool' | 'uint8' | 'int8';
export type Dim = number | string;

/** ONNX TensorProto.DataType codes. */
export const DTYPE_CODE: Record<DType, number> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
};

export const BYTES_PER_ELEMENT: Record<DType, number> = {
  float32: 4,
  uint8: 1,
  int8: 1,
  int32: 4,
  int64: 8,
  bool: 1,
  float16: 2,
};

/** Marks a float attribute (plain numbers are ints). */
export interface FloatAttr { readonly __float: number }
export const f = (value: number): FloatAttr => ({ __float: value });
export interface FloatsAttr { readonly __floats: number[] }
export const floats = (values: number[]): FloatsAttr => ({ __floats: values });
export interface TensorAttr { readonly __tensor: TensorProto }
export const tensorAttr = (t: TensorProto): TensorAttr => ({ __tensor: t });

export type AttrValue = number | string | number[] | FloatAttr | FloatsAttr | TensorAttr | GraphProto;

export interface ExternalRef {
  /** File name relative to the .onnx file. */
  location: string;
  offset: number;
  length: number;
}

/** Raw bytes of a typed array (no copy). */
export function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A TensorProto with inline bytes or an external-data reference. */
export function makeTensor(
  name: string,
  dtype: DType,
  dims: number[],
  data: ArrayBufferView | ExternalRef,
): TensorProto {
  const t: TensorProto = { name, dataType: DTYPE_CODE[dtype], dims };
  if ('location' in data) {
    t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    t.externalData = [
      { key: 'location', value: data.location },
      { key: 'offset', value: String(data.offset) },
      { key: 'length', value: String(data.length) },
    ];
  } else {
    t.rawData = bytesOf(data);
  }
  return t;
}

function typedArrayFor(dtype: DType, values: ArrayLike<number | bigint> | ArrayBufferView): ArrayBufferView {
  if (ArrayBuffer.isView(values)) return values;
  const v = values as ArrayLike<number | bigint>;
  switch (dtype) {
    case 'float32':
      return Float32Array.from(v, Number);
    case 'int64':
      return BigInt64Array.from(v, (x) => BigInt(x));
    case 'int32':
      return Int32Array.from(v, Number);
    case 'bool':
    case 'uint8':
      return Uint8Array.from(v, Number);
    case 'int8':
      return Int8Array.from(v, Number);
    case 'float16':
      throw new Error('float16 constants: pass a Uint16Array of half bits (see weights.ts toHalf)');
  }
}

function valueInfo(name: string, dtype: DType, shape: Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: DTYPE_CODE[dtype],
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function makeAttr(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: ${v} is not an int; wrap floats with f()`);
    return { name, type: T.INT, i: v };
  }
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('__float' in v) return { name, type: T.FLOAT, f: v.__float };
  if ('__floats' in v) return { name, type: T.FLOATS, floats: v.__floats };
  if ('__tensor' in v) return { name, type: T.TENSOR, t: v.__tensor };
  return { name, type: T.GRAPH, g: v as GraphProto };
}

export interface NodeOptions {
  /** Number of outputs (auto-named), or explicit output names ('' = unused optional output). */
  outputs?: number | string[];
  domain?: string;
  name?: string;
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly counter: { n: number };

  constructor(
    readonly name: string,
    counter?: { n: number },
  ) {
    this.counter = counter ?? { n: 0 };
  }

  /** A fresh unique value name with a readable prefix. */
  fresh(prefix = 'v'): string {
    return `${prefix}_${this.counter.n++}`;
  }

  /** A child builder (Loop/If body) that shares the name counter. */
  subgraph(name: string): GraphBuilder {
    return new GraphBuilder(name, this.counter);
  }

  input(name: string, dtype: DType, shape: Dim[]): string {
    this.inputs.push(valueInfo(name, dtype, shape));
    return name;
  }

  /** Declares a graph output; `name` must be produced by a node (use `outputs: [name]`). */
  output(name: string, dtype: DType, shape: Dim[]): string {
    this.outputs.push(valueInfo(name, dtype, shape));
    return name;
  }

  /** Adds an initializer built with `makeTensor` (e.g. one pointing into external data). */
  initializer(t: TensorProto): string {
    this.initializers.push(t);
    return t.name!;
  }

  /** A small inline initializer; `dims` defaults to [values.length] (use [] for a scalar). */
  constant(dtype: DType, dims: number[] | undefined, values: ArrayLike<number | bigint> | ArrayBufferView, name?: string): string {
    const data = typedArrayFor(dtype, values);
    const n = name ?? this.fresh('const');
    const d = dims ?? [(data as unknown as { length: number }).length];
    this.initializers.push(makeTensor(n, dtype, d, data));
    return n;
  }

  /** int64 constant vector (shapes, axes, indices). */
  i64(values: number[], dims?: number[]): string {
    return this.constant('int64', dims ?? [values.length], values);
  }

  /** int64 scalar. */
  i64s(value: number): string {
    return this.constant('int64', [], [value]);
  }

  /** float32 scalar. */
  f32s(value: number): string {
    return this.constant('float32', [], [value]);
  }

  /** Adds a node; returns its output names. */
  node(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, opts: NodeOptions = {}): string[] {
    const outs =
      typeof opts.outputs === 'object'
        ? opts.outputs
        : Array.from({ length: opts.outputs ?? 1 }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({
      opType,
      input: inputs,
      output: outs,
      name: opts.name ?? this.fresh(`n_${opType}`),
      domain: opts.domain ?? '',
      attribute: Object.entries(attrs).map(([k, v]) => makeAttr(k, v)),
    });
    return outs;
  }

  /** Adds a single-output node; returns the output name. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, opts: NodeOptions = {}): string {
    return this.node(opType, inputs, attrs, opts)[0]!;
  }

  toGraph(): GraphProto {
    return {
      name: this.name,
      node: this.nodes,
      input: this.inputs,
      output: this.outputs,
      initializer: this.initializers,
    };
  }
}

export interface ModelOptions {
  /** Default-domain opset (default 17). */
  opset?: number;
  /** Add `com.microsoft` opset 1 (contrib ops: MatMulNBits, GroupQueryAttention…). */
  contrib?: boolean;
  producer?: string;
  metadata?: Record<string, string>;
}

/** Serialises a ModelProto (IR version 8). */
export function encodeModel(graph: GraphProto, opts: ModelOptions = {}): Uint8Array {
  const opsetImport = [{ domain: '', version: opts.opset ?? 17 }];
  if (opts.contrib) opsetImport.push({ domain: 'com.microsoft', version: 1 });
  const model: onnxProto.onnx.IModelProto = {
    irVersion: 8,
    producerName: opts.producer ?? 'mermaid-flow testmodels',
    opsetImport,
    graph,
    metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(model).finish();
}
