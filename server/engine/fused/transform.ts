/**
 * Greedy decoding inside the ONNX graph: turns a decoder export (the layout
 * transformers.js loads for Qwen3: `input_ids`, `attention_mask`,
 * `position_ids`, `past_key_values.{i}.key|value` in; `logits`,
 * `present.{i}.key|value` out) into a model whose main graph is one `Loop`
 * running up to `max_new_tokens` greedy steps per `session.run`.
 *
 *   fuseDecoder(bytes, { sourceFile }) → { bytes, info }        (pure, in memory)
 *   ensureFusedModel(onnxPath)        → FusedModelInfo         (cached file next to the model)
 *
 * The fused model's inputs are the decoder's own (same names, same meaning),
 * plus `max_new_tokens` (int64 scalar: the Loop's trip count) and
 * `eos_token_ids` (int64 [E]: the loop stops after a step whose token is one of
 * them; feed [-1] to never stop). Any other decoder input (e.g. the tape
 * models' `num_logits_to_keep`) stays a loop-invariant input of the same name.
 * Outputs: `tokens` (int64 [N, batch, 1], N ≤ max_new_tokens: the new tokens in
 * order) and `present.{i}.key|value` (the cache after feeding every token but
 * the last new one, which is the next call's `input_ids`).
 *
 * One iteration = one decoder step: iteration 1 may feed the whole prompt on an
 * empty cache (prefill inside the loop), later ones feed the previous token;
 * `position_ids` advance by one from the last column, `attention_mask` gains a
 * column of ones, the cache is carried (its length grows, which ONNX Loop
 * allows). ArgMax over the last position's logits picks the token (first index
 * on ties, like the host reference).
 *
 * Weights are never copied: the decoder's nodes move into the Loop body, its
 * initializers stay in the outer graph (a body may read outer-scope values).
 * External-data initializers keep their `location` (every data file: large
 * exports spread weights over `<name>.onnx_data`, `_data_1`, …); large
 * initializers stored inside the source .onnx become external references into
 * the source file itself (offset/length), so a 1 GB single-file model costs no
 * second GB. Those locations are relative to the *source's* folder: load the
 * fused graph with that folder as the external-data base (FusedGenerator does),
 * wherever the fused file itself is kept.
 * The body's value_info is dropped (ONNX Runtime re-infers shapes; stale
 * shapes from the flat graph would be wrong for carried values).
 */
import { createHash, randomBytes } from 'node:crypto';
import { access, constants as fsConstants, mkdir, readFile, rename, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import onnxProto from 'onnx-proto';
import { GRAMMAR_INPUT_REMAINING, GRAMMAR_INPUT_STATE, GRAMMAR_OUTPUT_STATE, grammarMaskParts } from '../grammar/mask-graph.ts';
import type { GrammarTables } from '../grammar/tables.ts';

const onnx = onnxProto.onnx;
type IModelProto = onnxProto.onnx.IModelProto;
type IGraphProto = onnxProto.onnx.IGraphProto;
type INodeProto = onnxProto.onnx.INodeProto;
type ITensorProto = onnxProto.onnx.ITensorProto;
type IValueInfoProto = onnxProto.onnx.IValueInfoProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;

/** Bump when the fused graph's layout changes: cached files are rebuilt. */
export const FUSED_FORMAT_VERSION = 1;

export const FUSED_INPUT_MAX_STEPS = 'max_new_tokens';
export const FUSED_INPUT_EOS = 'eos_token_ids';
export const FUSED_OUTPUT_TOKENS = 'tokens';

/** What a generator needs to know to feed the fused model (also written as `<fused>.json`). */
export interface FusedModelInfo {
  format: number;
  /** Absolute path of the fused .onnx (set by ensureFusedModel; '' for in-memory results). */
  path: string;
  /** The source decoder file name. */
  source: string;
  /** Cache inputs in feed order: one per layer. */
  layers: { key: string; value: string; presentKey: string; presentValue: string }[];
  /** 'float32' | 'float16' (ORT tensor type name) of the cache. */
  kvType: 'float32' | 'float16';
  /** Cache dims after batch: [kvHeads, (past), headDim]; null where the export leaves them symbolic. */
  kvHeads: number | null;
  headDim: number | null;
  /** Whether the decoder takes `position_ids`. */
  hasPositionIds: boolean;
  /** Decoder inputs carried unchanged into every step (e.g. `num_logits_to_keep`). */
  invariantInputs: { name: string; elemType: number; rank: number }[];
  opset: number;
  /** The loop masks logits with grammar tables (inputs grammar_state, grammar_remaining; output grammar_state_out). */
  grammar?: boolean;
}

export interface FuseOptions {
  /**
   * Base name of the source .onnx as the fused file will see it: embedded
   * initializers of at least `referenceThreshold` bytes become external
   * references into it. Omit to copy embedded initializers instead.
   */
  sourceFile?: string;
  /** Default 1024 bytes (ONNX's own convention for external data). */
  referenceThreshold?: number;
  /** Grammar tables: the loop carries an automaton state and masks the logits (../grammar/mask-graph.ts). */
  grammar?: GrammarTables;
}

const INT64_MAX = 9223372036854775807n;

const TYPE_NAMES: Record<number, 'float32' | 'float16'> = { 1: 'float32', 10: 'float16' };

function tensorType(vi: IValueInfoProto): { elemType: number; dims: (number | string | null)[] } {
  const t = vi.type?.tensorType;
  if (!t) throw new Error(`value ${vi.name} is not a tensor`);
  const dims = (t.shape?.dim ?? []).map((d) => {
    if (d.dimParam) return d.dimParam;
    const v = Number(d.dimValue ?? 0);
    return v > 0 ? v : null;
  });
  return { elemType: t.elemType ?? 0, dims };
}

function vinfo(name: string, elemType: number, dims: (number | string | null)[]): IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : d === null ? {} : { dimParam: d })) },
      },
    },
  };
}

function i64Tensor(name: string, values: bigint[], dims: number[]): ITensorProto {
  const data = BigInt64Array.from(values);
  return { name, dataType: 7, dims, rawData: new Uint8Array(data.buffer) };
}

/** Renames value references in nodes (recursively into subgraph attributes, respecting shadowing). */
function renameInNodes(nodes: INodeProto[], map: Map<string, string>): void {
  if (map.size === 0) return;
  for (const n of nodes) {
    n.input = (n.input ?? []).map((x) => map.get(x) ?? x);
    n.output = (n.output ?? []).map((x) => map.get(x) ?? x);
    for (const a of n.attribute ?? []) {
      for (const g of [a.g, ...(a.graphs ?? [])]) if (g) renameInSubgraph(g, map);
    }
  }
}

function renameInSubgraph(g: IGraphProto, map: Map<string, string>): void {
  // names defined inside the subgraph shadow outer ones
  const local = new Set<string>();
  for (const i of g.input ?? []) if (i.name) local.add(i.name);
  for (const t of g.initializer ?? []) if (t.name) local.add(t.name);
  for (const n of g.node ?? []) for (const o of n.output ?? []) local.add(o);
  const inner = new Map([...map].filter(([k]) => !local.has(k)));
  renameInNodes(g.node ?? [], inner);
  for (const o of g.output ?? []) if (o.name && inner.has(o.name)) o.name = inner.get(o.name)!;
}

function node(opType: string, input: string[], output: string[], attrs: IAttributeProto[] = []): INodeProto {
  return { opType, input, output, name: `fused/${output[0]}`, domain: '', attribute: attrs };
}
const A = onnx.AttributeProto.AttributeType;
const intAttr = (name: string, i: number): IAttributeProto => ({ name, type: A.INT, i });

/**
 * Builds the fused model from the decoder's bytes. Pure: returns new bytes
 * (weights inline or referenced as described above) and the feed description.
 */
export function fuseDecoder(source: Uint8Array, opts: FuseOptions = {}): { bytes: Uint8Array; info: FusedModelInfo } {
  const model = onnx.ModelProto.decode(source) as IModelProto;
  const g = model.graph;
  if (!g) throw new Error('model has no graph');
  const opset = Number((model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0);
  if (opset < 11) throw new Error(`fused decoding needs default-domain opset ≥ 11 (model has ${opset})`);

  const initNames = new Set((g.initializer ?? []).map((t) => t.name!));
  const inputs = (g.input ?? []).filter((i) => !initNames.has(i.name!));
  const byName = new Map(inputs.map((i) => [i.name!, i]));
  const outByName = new Map((g.output ?? []).map((o) => [o.name!, o]));
  for (const need of ['input_ids', 'attention_mask']) if (!byName.has(need)) throw new Error(`decoder has no ${need} input`);
  if (!outByName.has('logits')) throw new Error('decoder has no logits output');
  const hasPositionIds = byName.has('position_ids');

  // cache inputs: past_key_values.{i}.key|value ↔ present.{i}.key|value
  const layers: FusedModelInfo['layers'] = [];
  for (let i = 0; byName.has(`past_key_values.${i}.key`); i++) {
    const l = {
      key: `past_key_values.${i}.key`,
      value: `past_key_values.${i}.value`,
      presentKey: `present.${i}.key`,
      presentValue: `present.${i}.value`,
    };
    for (const n of [l.value]) if (!byName.has(n)) throw new Error(`decoder has no ${n} input`);
    for (const n of [l.presentKey, l.presentValue]) if (!outByName.has(n)) throw new Error(`decoder has no ${n} output`);
    layers.push(l);
  }
  if (layers.length === 0) throw new Error('decoder has no past_key_values.{i}.key inputs (not a cached decoder export)');
  const kv = tensorType(byName.get(layers[0]!.key)!);
  const kvType = TYPE_NAMES[kv.elemType];
  if (!kvType) throw new Error(`unsupported cache element type ${kv.elemType}`);

  const carriedInputs = new Set(['input_ids', 'attention_mask', ...(hasPositionIds ? ['position_ids'] : []), ...layers.flatMap((l) => [l.key, l.value])]);
  const invariant = inputs.filter((i) => !carriedInputs.has(i.name!));
  const usedNames = new Set<string>([...byName.keys(), ...initNames, ...(g.node ?? []).flatMap((n) => n.output ?? [])]);
  for (const n of [FUSED_INPUT_MAX_STEPS, FUSED_INPUT_EOS, FUSED_OUTPUT_TOKENS, GRAMMAR_INPUT_STATE, GRAMMAR_INPUT_REMAINING, GRAMMAR_OUTPUT_STATE]) {
    if (usedNames.has(n)) throw new Error(`decoder already uses the name ${n}`);
  }
  for (const n of usedNames) if (n.startsWith('fused/') || n.startsWith('loop/') || n.startsWith('grammar/')) throw new Error(`decoder uses reserved name ${n}`);

  // --- the body: the decoder's nodes, carried inputs/outputs renamed loop/<name>
  const rn = new Map<string, string>();
  for (const n of carriedInputs) rn.set(n, `loop/${n}`);
  rn.set('logits', 'loop/logits');
  for (const l of layers) {
    rn.set(l.presentKey, `loop/${l.presentKey}`);
    rn.set(l.presentValue, `loop/${l.presentValue}`);
  }
  const bodyNodes = g.node ?? [];
  renameInNodes(bodyNodes, rn);

  const consts: ITensorProto[] = [
    i64Tensor('fused/minus1', [-1n], [1]),
    i64Tensor('fused/int64max', [INT64_MAX], [1]),
    i64Tensor('fused/axis1', [1n], [1]),
    i64Tensor('fused/one', [1n], [1]),
    { name: 'fused/zero_f', dataType: 1, dims: [], rawData: new Uint8Array(new Float32Array([0]).buffer) },
  ];
  const gmask = opts.grammar
    ? grammarMaskParts(opts.grammar, {
        logits: 'fused/last_logits',
        logitsType: tensorType(outByName.get('logits')!).elemType,
        masked: 'fused/masked_logits',
        token: 'fused/next',
        iter: 'fused/iter',
        stateIn: 'fused/grammar_state_in',
        stateOut: 'fused/grammar_state_next',
      })
    : null;
  const added: INodeProto[] = [
    // next token = argmax of the last position's logits (masked by the grammar, if any) → [batch, 1]
    node('Slice', ['loop/logits', 'fused/minus1', 'fused/int64max', 'fused/axis1'], ['fused/last_logits']),
    ...(gmask?.before ?? []),
    node('ArgMax', [gmask ? 'fused/masked_logits' : 'fused/last_logits'], ['fused/next'], [intAttr('axis', 2), intAttr('keepdims', 0)]),
    ...(gmask?.after ?? []),
    node('Identity', ['fused/next'], ['fused/token_scan']),
    // finished rows: token ∈ eos set
    node('Equal', ['fused/next', FUSED_INPUT_EOS], ['fused/eq']),
    node('Cast', ['fused/eq'], ['fused/eq_f'], [intAttr('to', 1)]),
    opset >= 13
      ? node('ReduceSum', ['fused/eq_f', 'fused/axis1'], ['fused/hits'], [intAttr('keepdims', 1)])
      : { ...node('ReduceSum', ['fused/eq_f'], ['fused/hits'], [intAttr('keepdims', 1)]), attribute: [intAttr('keepdims', 1), { name: 'axes', type: A.INTS, ints: [1] }] },
    node('Greater', ['fused/hits', 'fused/zero_f'], ['fused/is_eos']),
    node('Or', ['fused/finished_in', 'fused/is_eos'], ['fused/finished_out']),
    node('Not', ['fused/finished_out'], ['fused/running']),
    node('Cast', ['fused/running'], ['fused/running_f'], [intAttr('to', 1)]),
    node('ReduceSum', ['fused/running_f'], ['fused/n_running'], [intAttr('keepdims', 0)]),
    node('Greater', ['fused/n_running', 'fused/zero_f'], ['fused/cond_out']),
    // mask gains a column of ones
    node('Shape', ['fused/next'], ['fused/next_shape']),
    {
      ...node('ConstantOfShape', ['fused/next_shape'], ['fused/ones']),
      attribute: [{ name: 'value', type: A.TENSOR, t: i64Tensor('fused/one_value', [1n], [1]) }],
    },
    node('Concat', ['loop/attention_mask', 'fused/ones'], ['fused/mask_out'], [intAttr('axis', 1)]),
  ];
  if (hasPositionIds) {
    added.push(
      node('Slice', ['loop/position_ids', 'fused/minus1', 'fused/int64max', 'fused/axis1'], ['fused/last_pos']),
      node('Add', ['fused/last_pos', 'fused/one'], ['fused/pos_out']),
    );
  }

  const ids = tensorType(byName.get('input_ids')!);
  const mask = tensorType(byName.get('attention_mask')!);
  const bodyInputs: IValueInfoProto[] = [
    vinfo('fused/iter', 7, []),
    vinfo('fused/cond_in', 9, []),
    vinfo('loop/input_ids', ids.elemType, ['batch', 'seq']),
    vinfo('loop/attention_mask', mask.elemType, ['batch', 'total']),
  ];
  const bodyOutputs: IValueInfoProto[] = [
    vinfo('fused/cond_out', 9, []),
    vinfo('fused/next', 7, ['batch', 1]),
    vinfo('fused/mask_out', mask.elemType, ['batch', 'total_next']),
  ];
  const loopIn = [FUSED_INPUT_MAX_STEPS, 'fused/true', 'input_ids', 'attention_mask'];
  const loopOut = ['fused/last_token', 'fused/last_mask'];
  if (hasPositionIds) {
    const pos = tensorType(byName.get('position_ids')!);
    bodyInputs.push(vinfo('loop/position_ids', pos.elemType, ['batch', 'seq']));
    bodyOutputs.push(vinfo('fused/pos_out', pos.elemType, ['batch', 1]));
    loopIn.push('position_ids');
    loopOut.push('fused/last_pos');
  }
  const outputs: IValueInfoProto[] = [vinfo(FUSED_OUTPUT_TOKENS, 7, ['steps', 'batch', 1])];
  for (const l of layers) {
    for (const [inName, outName] of [[l.key, l.presentKey], [l.value, l.presentValue]] as const) {
      const t = tensorType(byName.get(inName)!);
      const dims = [t.dims[0] ?? 'batch', t.dims[1] ?? null, 'past', t.dims[3] ?? null];
      bodyInputs.push(vinfo(`loop/${inName}`, t.elemType, dims));
      bodyOutputs.push(vinfo(`loop/${outName}`, t.elemType, [dims[0]!, dims[1]!, 'total', dims[3]!]));
      loopIn.push(inName);
      loopOut.push(outName);
      outputs.push(vinfo(outName, t.elemType, [dims[0]!, dims[1]!, 'total', dims[3]!]));
    }
  }
  bodyInputs.push(vinfo('fused/finished_in', 9, ['batch', 1]));
  bodyOutputs.push(vinfo('fused/finished_out', 9, ['batch', 1]));
  loopIn.push('fused/finished0');
  loopOut.push('fused/finished');
  if (gmask) {
    bodyInputs.push(vinfo('fused/grammar_state_in', 6, ['batch', 1]));
    bodyOutputs.push(vinfo('fused/grammar_state_next', 6, ['batch', 1]));
    loopIn.push(GRAMMAR_INPUT_STATE);
    loopOut.push(GRAMMAR_OUTPUT_STATE);
    outputs.push(vinfo(GRAMMAR_OUTPUT_STATE, 6, ['batch', 1]));
  }
  bodyOutputs.push(vinfo('fused/token_scan', 7, ['batch', 1]));
  loopOut.push(FUSED_OUTPUT_TOKENS);

  const body: IGraphProto = {
    name: `${g.name ?? 'decoder'}_step`,
    node: [...bodyNodes, ...added],
    input: bodyInputs,
    output: bodyOutputs,
    initializer: [...consts, ...(gmask?.bodyConsts ?? [])],
  };

  // --- outer graph: weights, the Loop, and finished0 = false [batch, 1]
  const initializers = (g.initializer ?? []).map((t) => referenceEmbedded(t, source, opts));
  initializers.push(
    { name: 'fused/true', dataType: 9, dims: [], rawData: new Uint8Array([1]) },
    i64Tensor('fused/batch_start', [0n], [1]),
    i64Tensor('fused/batch_end', [1n], [1]),
    i64Tensor('fused/col', [1n], [1]),
    ...(gmask?.initializers ?? []),
  );
  const outerNodes: INodeProto[] = [
    node('Shape', ['input_ids'], ['fused/ids_shape']),
    node('Slice', ['fused/ids_shape', 'fused/batch_start', 'fused/batch_end'], ['fused/batch']),
    node('Concat', ['fused/batch', 'fused/col'], ['fused/flag_shape'], [intAttr('axis', 0)]),
    {
      ...node('ConstantOfShape', ['fused/flag_shape'], ['fused/finished0']),
      attribute: [{ name: 'value', type: A.TENSOR, t: { name: 'fused/false_value', dataType: 9, dims: [1], rawData: new Uint8Array([0]) } }],
    },
    ...(gmask?.outerNodes ?? []),
    { ...node('Loop', loopIn, loopOut), attribute: [{ name: 'body', type: A.GRAPH, g: body }] },
  ];

  const fusedGraph: IGraphProto = {
    name: `${g.name ?? 'decoder'}_fused_greedy`,
    node: outerNodes,
    initializer: initializers,
    sparseInitializer: g.sparseInitializer,
    input: [
      ...inputs,
      vinfo(FUSED_INPUT_MAX_STEPS, 7, []),
      vinfo(FUSED_INPUT_EOS, 7, ['eos']),
      ...(gmask ? [vinfo(GRAMMAR_INPUT_STATE, 6, ['batch', 1]), vinfo(GRAMMAR_INPUT_REMAINING, 6, [])] : []),
      // IR < 4 lists initializers as inputs too; keep them so the file stays valid
      ...(g.input ?? []).filter((i) => initNames.has(i.name!)),
    ],
    output: outputs,
    doc_string: undefined,
  } as IGraphProto;
  const fused: IModelProto = {
    ...model,
    graph: fusedGraph,
    metadataProps: [...(model.metadataProps ?? []), { key: 'mermaid_flow.fused_greedy', value: String(FUSED_FORMAT_VERSION) }],
  };
  const info: FusedModelInfo = {
    format: FUSED_FORMAT_VERSION,
    path: '',
    source: opts.sourceFile ?? '',
    layers,
    kvType,
    kvHeads: typeof kv.dims[1] === 'number' ? kv.dims[1] : null,
    headDim: typeof kv.dims[3] === 'number' ? kv.dims[3] : null,
    hasPositionIds,
    invariantInputs: invariant.map((i) => {
      const t = tensorType(i);
      return { name: i.name!, elemType: t.elemType, rank: t.dims.length };
    }),
    opset,
    ...(gmask ? { grammar: true } : {}),
  };
  return { bytes: onnx.ModelProto.encode(fused).finish(), info };
}

/** An initializer stored inside the source file becomes a reference to its bytes there (no copy). */
function referenceEmbedded(t: ITensorProto, source: Uint8Array, opts: FuseOptions): ITensorProto {
  const raw = t.rawData;
  const threshold = opts.referenceThreshold ?? 1024;
  if (!opts.sourceFile || !raw || raw.byteLength < threshold || t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) return t;
  if (raw.buffer !== source.buffer) return t; // decoded as a copy: keep inline
  const offset = raw.byteOffset - source.byteOffset;
  if (offset < 0 || offset + raw.byteLength > source.byteLength) return t;
  return {
    ...t,
    rawData: undefined,
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [
      { key: 'location', value: opts.sourceFile },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(raw.byteLength) },
    ],
  };
}

/** External data files the model points to (relative locations). */
export function externalDataFiles(bytes: Uint8Array): string[] {
  const m = onnx.ModelProto.decode(bytes) as IModelProto;
  const files = new Set<string>();
  const visit = (g: IGraphProto | null | undefined) => {
    for (const t of g?.initializer ?? []) {
      const loc = (t.externalData ?? []).find((e) => e.key === 'location')?.value;
      if (loc) files.add(loc);
    }
    for (const n of g?.node ?? []) for (const a of n.attribute ?? []) for (const sg of [a.g, ...(a.graphs ?? [])]) visit(sg);
  };
  visit(m.graph);
  return [...files];
}

export interface EnsureOptions {
  /**
   * Root of the cache used when the model's folder is read-only; each source
   * model gets its own `<hash>` folder below it (default: `<os tmpdir>/mermaid-flow-fused`).
   * The engine passes `<CACHE_DIR>/fused`, so the derived files survive restarts.
   */
  cacheDir?: string;
  /** Force the cache dir even when the model's folder is writable. */
  preferCacheDir?: boolean;
  /** Grammar tables for the loop, and their hash (part of the file name: one fused file per grammar). */
  grammar?: { tables: GrammarTables; hash: string };
}

/**
 * The fused model for `onnxPath`, built on first use and cached as
 * `<name>.fused.onnx` (+ `.json` sidecar) beside it; rebuilt when the source's
 * size/mtime or the format version change. Where the folder is read-only, it
 * goes into `<cacheDir>/<hash>/`. Either way its external-data locations are
 * relative to the source's folder (ONNX Runtime refuses data files outside
 * the folder it is told to read them from, after resolving symlinks, so links
 * in the cache folder would not do): see FusedGenerator.create.
 */
export async function ensureFusedModel(onnxPath: string, opts: EnsureOptions = {}): Promise<FusedModelInfo> {
  const src = await stat(onnxPath);
  const dir = dirname(onnxPath);
  const base = basename(onnxPath).replace(/\.onnx$/, '');
  const stamp = { format: FUSED_FORMAT_VERSION, size: src.size, mtimeMs: Math.round(src.mtimeMs), ...(opts.grammar ? { grammar: opts.grammar.hash } : {}) };

  let outDir = dir;
  if (opts.preferCacheDir || !(await writable(dir))) {
    const h = createHash('sha256').update(`${onnxPath}:${src.size}:${src.mtimeMs}`).digest('hex').slice(0, 16);
    outDir = join(opts.cacheDir ?? join(tmpdir(), 'mermaid-flow-fused'), h);
  }
  const fusedPath = join(outDir, opts.grammar ? `${base}.fused.g-${opts.grammar.hash}.onnx` : `${base}.fused.onnx`);
  const sidecar = `${fusedPath}.json`;
  try {
    const cached = JSON.parse(await readFile(sidecar, 'utf8')) as FusedModelInfo & { stamp: typeof stamp };
    if (JSON.stringify(cached.stamp) === JSON.stringify(stamp)) {
      await stat(fusedPath);
      return { ...cached, path: fusedPath };
    }
  } catch {
    /* build */
  }
  const source = await readFile(onnxPath);
  const { bytes, info } = fuseDecoder(source, { sourceFile: basename(onnxPath), grammar: opts.grammar?.tables });
  await mkdir(outDir, { recursive: true });
  // Written under unique names and renamed into place: concurrent builders (two engines, two
  // processes) each publish a complete file, and a reader never sees a partial one.
  await writeAtomic(fusedPath, bytes);
  const full = { ...info, path: fusedPath, stamp };
  await writeAtomic(sidecar, JSON.stringify(full, null, 2) + '\n');
  return full;
}

async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
}

async function writable(dir: string): Promise<boolean> {
  try {
    await access(dir, fsConstants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Lists `*.fused.onnx` files in a folder (for cleanup tools). */
export async function listFused(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.fused.onnx'));
}
