/**
 * Seeded random weights, written inline (small models) or streamed to an ONNX
 * external-data file (large models: nothing but one chunk is ever in memory).
 *
 *   const w = new WeightWriter({ seed: 1 });                                  // inline
 *   const w = new WeightWriter({ seed: 1, externalFile: '/d/onnx/model_fp16.onnx_data' });
 *   w.float('embed', 'float16', [V, H], { std: 0.02 })  → TensorProto (uniform, given std)
 *   w.float('norm', 'float32', [H], { constant: 1 })    → TensorProto
 *   w.randomBytes('q', 'uint8', [N, B, 16])             → TensorProto (random bytes: 4-bit weights)
 *   w.close()                                           → bytes written
 *   new WeightWriter({ seed, externalFile, dryRun: true }) → layout only, nothing written
 *
 * Every tensor draws from its own stream, seeded by (seed, tensor name), so a
 * tensor's values do not depend on the order tensors are created in. Values are
 * uniform in [-std·√3, std·√3] (that range has the given standard deviation),
 * on a grid of 65536 levels (16 random bits per value).
 * External tensors are aligned to 4 KiB (as `onnx.save(..., location=…)` does
 * for mmap) and referenced by file name relative to the .onnx file.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { BYTES_PER_ELEMENT, makeTensor, type DType, type TensorProto } from './onnx-builder.ts';

export type Init = { std: number } | { constant: number };

/** FNV-1a of a string mixed with the seed: the per-tensor stream seed. */
function streamSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: fast, decent 32-bit generator; returns a function of uint32 draws. */
export function rng32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * Fills `out` from a 65536-entry table of values, two 16-bit mulberry32 draws
 * per step (inlined for speed: this loop writes every weight of the 8 GB
 * model); returns the new generator state.
 */
function fillFromTable(out: Float32Array | Uint16Array, table: Float32Array | Uint16Array, state: number): number {
  let a = state >>> 0;
  const n = out.length;
  for (let i = 0; i < n; i += 2) {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    t = t ^ (t >>> 14);
    out[i] = table[t & 0xffff]!;
    if (i + 1 < n) out[i + 1] = table[t >>> 16]!;
  }
  return a >>> 0;
}

/** The 65536 uniform levels in [-scale, scale) as float32 or half bits. */
function uniformTable(dtype: 'float32' | 'float16', scale: number): Float32Array | Uint16Array {
  const k = (2 * scale) / 65536;
  const levels = new Float32Array(65536);
  for (let i = 0; i < 65536; i++) levels[i] = i * k - scale;
  return dtype === 'float32' ? levels : toHalves(levels);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half bits of a float (round to nearest even; overflow → inf). */
export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** Converts a float32 array to IEEE half bits in one tight loop (round to nearest even). */
export function toHalves(src: Float32Array, dst: Uint16Array = new Uint16Array(src.length)): Uint16Array {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i]!;
    const e = ((x >>> 23) & 0xff) - 112;
    if (e > 0 && e < 31) {
      // normal half: round the 13 dropped mantissa bits to nearest even
      const h = ((x >>> 16) & 0x8000) | (e << 10) | ((x >>> 13) & 0x3ff);
      const rem = x & 0x1fff;
      dst[i] = rem > 0x1000 || (rem === 0x1000 && h & 1) ? h + 1 : h;
    } else {
      dst[i] = toHalf(src[i]!);
    }
  }
  return dst;
}

/** Elements generated per chunk when streaming (4 Mi: 8–16 MB of bytes). */
const CHUNK = 1 << 22;
const ALIGN = 4096;

export interface WeightWriterOptions {
  seed: number;
  /** Stream all tensors into this file (its basename is the `location`). */
  externalFile?: string;
  /**
   * With `externalFile`: write nothing, generate nothing, only lay out the
   * references (checks a full-size graph's shapes and data size in a second).
   */
  dryRun?: boolean;
}

export class WeightWriter {
  private readonly fd: number | null;
  private readonly location: string | null;
  private offset = 0;
  /** Bytes of tensor data written so far (inline or external). */
  bytes = 0;

  constructor(private readonly opts: WeightWriterOptions) {
    this.fd = opts.externalFile && !opts.dryRun ? openSync(opts.externalFile, 'w') : null;
    this.location = opts.externalFile ? basename(opts.externalFile) : null;
  }

  /** A float tensor (float32 or float16) with uniform random values of the given std, or a constant. */
  float(name: string, dtype: 'float32' | 'float16', dims: number[], init: Init): TensorProto {
    let state = streamSeed(this.opts.seed, name);
    const scale = 'std' in init ? init.std * Math.sqrt(3) : 0;
    const constant = 'constant' in init ? init.constant : 0;
    const constHalf = toHalf(constant);
    const table = scale === 0 ? null : uniformTable(dtype, scale);
    const fill = (count: number): ArrayBufferView => {
      const out = dtype === 'float32' ? new Float32Array(count) : new Uint16Array(count);
      if (table) state = fillFromTable(out, table, state);
      else out.fill(dtype === 'float32' ? constant : constHalf);
      return out;
    };
    return this.emit(name, dtype, dims, fill);
  }

  /** A tensor of uniformly random bytes (packed 4-bit weights). */
  randomBytes(name: string, dtype: 'uint8', dims: number[]): TensorProto {
    const next = rng32(streamSeed(this.opts.seed, name));
    return this.emit(name, dtype, dims, (count) => {
      const out = new Uint8Array(count);
      const words = new Uint32Array(out.buffer, 0, count >>> 2);
      for (let i = 0; i < words.length; i++) words[i] = next();
      for (let i = words.length * 4; i < count; i++) out[i] = next() & 0xff;
      return out;
    });
  }

  private emit(name: string, dtype: DType, dims: number[], fill: (count: number) => ArrayBufferView): TensorProto {
    const total = dims.reduce((a, b) => a * b, 1);
    if (this.location === null) {
      const data = fill(total);
      this.bytes += data.byteLength;
      return makeTensor(name, dtype, dims, data);
    }
    const pad = (ALIGN - (this.offset % ALIGN)) % ALIGN;
    const start = this.offset + pad;
    if (this.fd === null) {
      // dry run: the layout only
      const length = total * BYTES_PER_ELEMENT[dtype];
      this.offset = start + length;
      this.bytes += length;
      return makeTensor(name, dtype, dims, { location: this.location!, offset: start, length });
    }
    if (pad) writeSync(this.fd, new Uint8Array(pad));
    let written = 0;
    for (let done = 0; done < total; done += CHUNK) {
      const data = fill(Math.min(CHUNK, total - done));
      written += writeAll(this.fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    this.offset = start + written;
    this.bytes += written;
    return makeTensor(name, dtype, dims, { location: this.location!, offset: start, length: written });
  }

  close(): number {
    if (this.fd !== null) closeSync(this.fd);
    return this.bytes;
  }
}

function writeAll(fd: number, bytes: Uint8Array): number {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
  return bytes.length;
}
