/**
 * The GPU benchmark's records (one JSON object per line in results.jsonl,
 * written by bench.ts and pytorch_bench.py) and their markdown report:
 *
 *   formatReport(results) → "## GPU benchmark …" with two tables:
 *     stack | dtype | load s | TTFT ms | decode tok/s | GPU memory | % of floor
 *     stack | dtype | concurrency | p50 s | p95 s | max s | aggregate tok/s | budget cuts | errors
 *
 * % of floor = decode tok/s ÷ (measured device bandwidth ÷ that stack's weight bytes):
 * the fraction of the memory-bandwidth bound on batch-1 decoding.
 */

export interface MetaResult {
  kind: 'meta';
  date: string;
  commit: string;
  machine: string;
  command?: string;
}

export interface StackResult {
  kind: 'stack';
  stack: string;
  dtype: string;
  device: string;
  loadS: number | null;
  ttftMs: number | null;
  decodeTokS: number | null;
  promptTokens: number;
  newTokens: number;
  /** Peak device memory in MiB (nvidia-smi or torch); null when not measured. */
  gpuMemMiB: number | null;
  weightBytes: number | null;
  msPerChunk?: number;
  note?: string;
}

export interface FloorResult {
  kind: 'floor';
  /** Device-to-device copy, bytes read + written per second, in GB/s. */
  bandwidthGBs: number;
  device: string;
}

export interface MemoryResult {
  kind: 'memory';
  scope: string;
  peakMiB: number | null;
}

export interface ConcurrencyResult {
  kind: 'concurrency';
  stack: string;
  dtype: string;
  concurrency: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  aggregateTokS: number;
  budgetCut: number;
  errors: number;
}

export type Result = MetaResult | StackResult | FloorResult | MemoryResult | ConcurrencyResult;

const fmt = (v: number | null | undefined, digits: number): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

/** Tokens/s the bandwidth allows at batch 1 for this many weight bytes (null without a floor). */
export function floorTokS(bandwidthGBs: number | null, weightBytes: number | null): number | null {
  if (!bandwidthGBs || !weightBytes) return null;
  return (bandwidthGBs * 1e9) / weightBytes;
}

function memCell(r: StackResult, mems: MemoryResult[]): string {
  let mib = r.gpuMemMiB;
  if (mib === null) mib = mems.find((m) => m.scope.endsWith(` ${r.dtype}`) && r.stack.startsWith('fused'))?.peakMiB ?? null;
  if (mib === null) mib = mems.find((m) => m.scope.endsWith(` ${r.dtype}`) && r.stack.startsWith('ort step'))?.peakMiB ?? null;
  return mib === null ? '–' : `${(mib / 1024).toFixed(1)} GiB`;
}

export function formatReport(results: Result[]): string {
  const meta = results.filter((r): r is MetaResult => r.kind === 'meta').at(-1);
  const floor = results.filter((r): r is FloorResult => r.kind === 'floor').at(-1) ?? null;
  const stacks = results.filter((r): r is StackResult => r.kind === 'stack');
  const mems = results.filter((r): r is MemoryResult => r.kind === 'memory');
  const conc = results.filter((r): r is ConcurrencyResult => r.kind === 'concurrency');
  const out: string[] = [];
  out.push(`## GPU benchmark${meta ? ` — ${meta.date}` : ''}`);
  out.push('');
  if (meta) {
    out.push(`Machine: ${meta.machine}. Commit: \`${meta.commit}\`.${meta.command ? ` Command: \`${meta.command}\`.` : ''}`);
    out.push('');
  }
  if (floor) {
    out.push(`Floor: device-to-device copy ${fmt(floor.bandwidthGBs, 0)} GB/s (read + write) on ${floor.device}; per dtype, weight bytes ÷ bandwidth = the shortest decode step at batch 1.`);
    out.push('');
  }
  const prompt = stacks.find((s) => s.promptTokens)?.promptTokens;
  if (prompt) {
    out.push(`Prompt: ${prompt} tokens (system prompt + median PET description, chat template); new tokens per run in the table.`);
    out.push('');
  }
  out.push('| stack | dtype | load s | TTFT ms | decode tok/s | new tokens | GPU memory | % of floor |');
  out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of stacks) {
    const f = floorTokS(floor?.bandwidthGBs ?? null, r.weightBytes);
    const pct = f && r.decodeTokS ? (100 * r.decodeTokS) / f : null;
    const name = r.note ? `${r.stack} (${r.note})` : r.stack;
    out.push(
      `| ${name} | ${r.dtype} | ${fmt(r.loadS, 1)} | ${fmt(r.ttftMs, 0)} | ${fmt(r.decodeTokS, 1)} | ${r.newTokens} | ${memCell(r, mems)} | ${pct === null ? '–' : `${pct.toFixed(1)}%`} |`,
    );
  }
  if (floor) {
    const seen = new Set<string>();
    for (const r of stacks) {
      if (!r.weightBytes || seen.has(r.dtype)) continue;
      seen.add(r.dtype);
      const f = floorTokS(floor.bandwidthGBs, r.weightBytes)!;
      out.push(`| floor (bandwidth ÷ ${(r.weightBytes / 1e9).toFixed(2)} GB weights) | ${r.dtype} | | | ${f.toFixed(0)} | | | 100% |`);
    }
  }
  if (conc.length) {
    out.push('');
    out.push('| stack | dtype | concurrent requests | p50 s | p95 s | max s | aggregate tok/s | budget cuts | errors |');
    out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const c of conc) {
      out.push(
        `| ${c.stack} | ${c.dtype} | ${c.concurrency} | ${fmt(c.p50Ms / 1000, 2)} | ${fmt(c.p95Ms / 1000, 2)} | ${fmt(c.maxMs / 1000, 2)} | ${fmt(c.aggregateTokS, 1)} | ${c.budgetCut} | ${c.errors} |`,
      );
    }
  }
  return out.join('\n') + '\n';
}
