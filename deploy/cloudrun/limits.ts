/**
 * Cloud Run's documented ranges, checked before anything is built: a wrong
 * value otherwise fails only at `gcloud run deploy`, after a 10–20 minute
 * build. Sources (Cloud Run docs, "Configure CPU limits", "memory limits",
 * "request timeout", "maximum concurrent requests", "GPU support for
 * services", "minimum/maximum instances"), as of this writing:
 *
 * - CPU: 1, 2, 4, 6 or 8 (fractions below 1 exist but not with a GPU); an L4
 *   needs at least 4 CPU and 16 GiB.
 * - Memory per CPU: 4 CPU → 2–16 GiB, 6 CPU → 4–24 GiB, 8 CPU → 4–32 GiB;
 *   32 GiB is the maximum.
 * - Request timeout: 1–3600 s. Concurrency: 1–1000.
 * - Instances: min ≥ 0, max ≥ 1, min ≤ max.
 */
import { L4_MIN_CPU, L4_MIN_MEMORY_GIB, L4_REGIONS, memoryGiB } from './roles.ts';

export interface CloudRunSettings {
  cpu: string;
  memory: string;
  concurrency: number;
  timeoutSeconds: number;
  minInstances: number;
  /** undefined: keep the service's current value (or Cloud Run's default for a new one). */
  maxInstances?: number;
  region?: string;
  skipRegionCheck: boolean;
}

/** GiB range per CPU count, for the CPU counts a GPU service may have. */
const MEMORY_RANGE: Record<number, [number, number]> = { 4: [2, 16], 6: [4, 24], 8: [4, 32] };
export const MAX_TIMEOUT_S = 3600;
export const MAX_CONCURRENCY = 1000;

/** Every problem with the settings, one sentence each (empty when all is well). */
export function cloudRunProblems(s: CloudRunSettings): string[] {
  const problems: string[] = [];
  const cpu = Number(s.cpu);
  if (!Number.isFinite(cpu) || ![1, 2, 4, 6, 8].includes(cpu)) problems.push(`--cpu ${s.cpu}: Cloud Run takes 1, 2, 4, 6 or 8 CPU`);
  else if (cpu < L4_MIN_CPU) problems.push(`--cpu ${s.cpu}: Cloud Run needs at least ${L4_MIN_CPU} CPU with an L4 GPU`);
  const gib = memoryGiB(s.memory);
  if (gib === undefined) problems.push(`--memory ${s.memory}: not a Cloud Run memory size (e.g. 32Gi)`);
  else if (gib > 32) problems.push(`--memory ${s.memory}: Cloud Run allows at most 32Gi`);
  else if (gib < L4_MIN_MEMORY_GIB) problems.push(`--memory ${s.memory}: Cloud Run needs at least ${L4_MIN_MEMORY_GIB}Gi with an L4 GPU`);
  else if (MEMORY_RANGE[cpu]) {
    const [lo, hi] = MEMORY_RANGE[cpu]!;
    if (gib < lo || gib > hi) problems.push(`--cpu ${s.cpu} --memory ${s.memory}: ${cpu} CPU allow ${lo}–${hi} GiB`);
  }
  if (!(s.concurrency >= 1 && s.concurrency <= MAX_CONCURRENCY)) problems.push(`--concurrency ${s.concurrency}: Cloud Run takes 1–${MAX_CONCURRENCY}`);
  if (!(s.timeoutSeconds >= 1 && s.timeoutSeconds <= MAX_TIMEOUT_S)) problems.push(`--timeout ${s.timeoutSeconds}: Cloud Run takes 1–${MAX_TIMEOUT_S} seconds`);
  if (s.minInstances < 0) problems.push(`--min-instances ${s.minInstances}: must be 0 or more`);
  if (s.maxInstances !== undefined && s.maxInstances < 1) problems.push(`--max-instances ${s.maxInstances}: must be 1 or more`);
  if (s.maxInstances !== undefined && s.minInstances > s.maxInstances) problems.push(`--min-instances ${s.minInstances} is more than --max-instances ${s.maxInstances}`);
  if (s.region && !s.skipRegionCheck && !L4_REGIONS.includes(s.region)) {
    problems.push(`--region ${s.region}: Cloud Run has no L4 GPUs there (${L4_REGIONS.join(', ')}; --skip-region-check if Google added it)`);
  }
  return problems;
}

/**
 * Concurrency for a service that runs one generation at a time per GPU.
 * Cloud Run's autoscaler adds an instance when the instances' average
 * in-flight requests pass about 60% of `--concurrency`. With one instance
 * allowed nothing can be added, so every request the server's queue holds
 * should reach it (the queue length + the running one). With several, a low
 * number makes the autoscaler react while the queue is short: at 4, a new
 * instance is asked for once about 2–3 requests are in flight on each, i.e.
 * one running and one or two waiting, instead of ~20 (60% of 33).
 */
export function defaultConcurrency(maxInstances: number | undefined, queueLength: number): number {
  return maxInstances !== undefined && maxInstances > 1 ? SCALE_OUT_CONCURRENCY : queueLength + 1;
}
export const SCALE_OUT_CONCURRENCY = 4;
