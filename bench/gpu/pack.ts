/**
 * Pure helpers of the GPU bundle (tested in pack.test.ts):
 *
 *   chunkBytes(repoBytes)            → size of one part so part + working tree fit one device call
 *   splitFile(file, outDir, size)    → part_aa, part_ab, … (+ sha256 of each)
 *   deviceCallPlan(manifest)         → the device-tool calls to make, in order, as text
 *
 * A device call carries at most 64 MiB: the working tree (tracked and
 * untracked-not-ignored files) plus the ignored paths named in `carry`.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const MiB = 1024 * 1024;
/** What one device call may carry. */
export const CALL_LIMIT = 64 * MiB;
/** Largest part, as in ../shared/gpu/README.md's recipe. */
export const MAX_PART = 58 * MiB;
/** Room kept for files that travel beside a part (manifest, scripts' growth). */
export const MARGIN = 1 * MiB;

/** Size of one part, given what the working tree already costs each call. */
export function chunkBytes(repoBytes: number, limit = CALL_LIMIT, maxPart = MAX_PART): number {
  const room = limit - repoBytes - MARGIN;
  if (room < MiB) throw new Error(`the working tree (${(repoBytes / MiB).toFixed(1)} MiB) leaves no room for a part`);
  return Math.min(maxPart, Math.floor(room / MiB) * MiB);
}

/** split(1)'s suffixes: aa, ab, …, az, ba, … */
export function partName(i: number): string {
  if (i < 0 || i >= 26 * 26) throw new Error(`part index ${i} out of range`);
  const a = 'abcdefghijklmnopqrstuvwxyz';
  return `part_${a[Math.floor(i / 26)]}${a[i % 26]}`;
}

export interface Part {
  name: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  bundle: string;
  bytes: number;
  sha256: string;
  parts: Part[];
  created: string;
  commit: string;
}

/** Splits `file` into parts of at most `size` bytes in `outDir` (streaming). */
export async function splitFile(file: string, outDir: string, size: number): Promise<{ parts: Part[]; sha256: string; bytes: number }> {
  await mkdir(outDir, { recursive: true });
  const total = (await stat(file)).size;
  const whole = createHash('sha256');
  const parts: Part[] = [];
  let index = 0;
  let out: ReturnType<typeof createWriteStream> | null = null;
  let hash = createHash('sha256');
  let written = 0;
  const close = async () => {
    if (!out) return;
    const o = out;
    await new Promise<void>((res, rej) => o.end((e?: Error | null) => (e ? rej(e) : res())));
    parts.push({ name: partName(index - 1), bytes: written, sha256: hash.digest('hex') });
    out = null;
  };
  for await (const buf of createReadStream(file, { highWaterMark: MiB }) as AsyncIterable<Buffer>) {
    whole.update(buf);
    let off = 0;
    while (off < buf.length) {
      if (!out) {
        out = createWriteStream(join(outDir, partName(index++)));
        hash = createHash('sha256');
        written = 0;
      }
      const take = Math.min(size - written, buf.length - off);
      const slice = buf.subarray(off, off + take);
      hash.update(slice);
      if (!out.write(slice)) await new Promise<void>((r) => out!.once('drain', () => r()));
      written += take;
      off += take;
      if (written === size) await close();
    }
  }
  await close();
  return { parts, sha256: whole.digest('hex'), bytes: total };
}

/**
 * The device-tool calls, back to back (the machine stays warm only briefly
 * between calls): one per part, staging it in /opt/stage; the last one also
 * carries the manifest and runs `run.sh setup` and the first stage.
 */
export function deviceCallPlan(m: Manifest, dir = '.gpu'): string {
  const lines: string[] = [];
  lines.push(`# GPU benchmark: ${m.parts.length} device calls to stage the bundle (${(m.bytes / MiB).toFixed(1)} MiB, commit ${m.commit}),`);
  lines.push('# then the stages. Make them back to back: the machine is released when idle.');
  m.parts.forEach((p, i) => {
    const last = i === m.parts.length - 1;
    const carry = last ? [`${dir}/${p.name}`, `${dir}/manifest.json`] : [`${dir}/${p.name}`];
    const cmd = last
      ? `mkdir -p /opt/stage && cp ${dir}/${p.name} ${dir}/manifest.json /opt/stage/ && bash bench/gpu/run.sh setup`
      : `mkdir -p /opt/stage && cp ${dir}/${p.name} /opt/stage/`;
    lines.push(`run(carry=${JSON.stringify(carry)}, timeout_s=${last ? 300 : 120}, command=${JSON.stringify(cmd)})`);
  });
  for (const stage of ['fp16', 'engine-fp16', 'pytorch', 'q4f16', 'engine-q4f16', 'concurrency']) {
    lines.push(`run(timeout_s=600, command=${JSON.stringify(`bash bench/gpu/run.sh ${stage}`)})`);
  }
  lines.push('# Each stage appends to /opt/stage/results.jsonl and copies results + gpu-bench.md into $OUT.');
  return lines.join('\n');
}
