/**
 * Grammar tables on disk: built once per tokenizer + grammar, then read back
 * (a few MB, milliseconds) on every later load.
 *
 *   const { tables, built, ms } = await loadGrammarTables({ tokenizerJson, vocabSize, eosIds, cacheDir })
 *
 * File: `<cacheDir>/grammar/flowchart-<hash>.bin`, the hash covering the
 * tokenizer.json bytes, the logits width, the EOS ids, the grammar options and
 * GRAMMAR_FORMAT_VERSION. Layout: u32 header length, JSON header (sizes), then
 * the typed arrays, each 4-byte aligned. Written under a temporary name and
 * renamed, so concurrent builders never publish half a file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { flowchartDfa, type FlowchartGrammarOptions } from './flowchart.ts';
import { buildTables, type GrammarTables } from './tables.ts';
import { vocabFromTokenizerJson } from './vocab.ts';

/** Bump when the grammar, the table layout or the loop ops (mask-graph.ts) change: cached tables and fused graphs are rebuilt. */
export const GRAMMAR_FORMAT_VERSION = 2;

export interface LoadTablesOptions {
  /** Path of the model's tokenizer.json (byte-level BPE). */
  tokenizerJson: string;
  /** Width of the model's logits. */
  vocabSize: number;
  eosIds: number[];
  /** Root cache folder (the engine's CACHE_DIR); tables go to `<cacheDir>/grammar/`. */
  cacheDir: string;
  grammar?: FlowchartGrammarOptions;
}

export interface LoadedTables {
  tables: GrammarTables;
  /** True when built now (false: read from the cache). */
  built: boolean;
  ms: number;
  file: string;
  /** Identifies tokenizer + grammar (part of the fused graph's file name). */
  hash: string;
}

export async function loadGrammarTables(opts: LoadTablesOptions): Promise<LoadedTables> {
  const t0 = performance.now();
  const text = await readFile(opts.tokenizerJson);
  const hash = createHash('sha256')
    .update(text)
    .update(JSON.stringify({ v: GRAMMAR_FORMAT_VERSION, vocabSize: opts.vocabSize, eos: opts.eosIds, grammar: opts.grammar ?? {} }))
    .digest('hex')
    .slice(0, 16);
  const dir = join(opts.cacheDir, 'grammar');
  const file = join(dir, `flowchart-${hash}.bin`);
  try {
    return { tables: decodeTables(await readFile(file)), built: false, ms: performance.now() - t0, file, hash };
  } catch {
    /* build */
  }
  const vocab = vocabFromTokenizerJson(JSON.parse(text.toString('utf8')), { vocabSize: opts.vocabSize, eosIds: opts.eosIds });
  const { tables } = buildTables(flowchartDfa(opts.grammar), vocab);
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, encodeTables(tables));
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
  return { tables, built: true, ms: performance.now() - t0, file, hash };
}

const FIELDS = ['tokenClass', 'next', 'dist', 'accepting', 'dfaNext', 'dfaAccepting'] as const;

function arrays(t: GrammarTables) {
  return { tokenClass: t.tokenClass, next: t.next, dist: t.dist, accepting: t.accepting, dfaNext: t.dfa.next, dfaAccepting: t.dfa.accepting };
}

export function encodeTables(t: GrammarTables): Uint8Array {
  const a = arrays(t);
  const header = JSON.stringify({ v: GRAMMAR_FORMAT_VERSION, vocabSize: t.vocabSize, states: t.states, classes: t.classes, dfaSize: t.dfa.size, dfaStart: t.dfa.start, lengths: FIELDS.map((f) => a[f].byteLength) });
  const head = new TextEncoder().encode(header);
  const pad = (n: number) => (n + 3) & ~3;
  let size = pad(4 + head.length);
  for (const f of FIELDS) size += pad(a[f].byteLength);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  let at = pad(4 + head.length);
  for (const f of FIELDS) {
    out.set(new Uint8Array(a[f].buffer, a[f].byteOffset, a[f].byteLength), at);
    at += pad(a[f].byteLength);
  }
  return out;
}

export function decodeTables(buf: Uint8Array): GrammarTables {
  const bytes = new Uint8Array(buf); // own, aligned copy
  const len = new DataView(bytes.buffer).getUint32(0, true);
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + len))) as { v: number; vocabSize: number; states: number; classes: number; dfaSize: number; dfaStart: number; lengths: number[] };
  if (h.v !== GRAMMAR_FORMAT_VERSION) throw new Error('grammar tables: old format');
  let at = (4 + len + 3) & ~3;
  const take = (i: number) => {
    const start = at;
    at += (h.lengths[i]! + 3) & ~3;
    return bytes.buffer.slice(start, start + h.lengths[i]!);
  };
  const tokenClass = new Int32Array(take(0));
  const next = new Int32Array(take(1));
  const dist = new Int32Array(take(2));
  const accepting = new Uint8Array(take(3));
  const dfaNext = new Int32Array(take(4));
  const dfaAccepting = new Uint8Array(take(5));
  if (tokenClass.length !== h.vocabSize || next.length !== h.states * h.classes || dist.length !== h.states || dfaNext.length !== h.dfaSize * 256) {
    throw new Error('grammar tables: sizes do not match');
  }
  return { vocabSize: h.vocabSize, states: h.states, classes: h.classes, tokenClass, next, dist, accepting, dfa: { size: h.dfaSize, start: h.dfaStart, next: dfaNext, accepting: dfaAccepting } };
}
