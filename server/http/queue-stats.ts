/**
 * Reads running/waiting counts from the queue without depending on its class:
 * the HTTP layer only needs numbers for /metrics and /api/ready.
 */
export interface QueueCounts {
  running: number;
  waiting: number;
}

function num(obj: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = obj[k];
    const n = typeof v === 'function' ? (v as () => unknown).call(obj) : v;
    if (typeof n === 'number' && Number.isFinite(n)) return n;
  }
  return undefined;
}

export function queueStats(queue: unknown): QueueCounts {
  if (!queue || typeof queue !== 'object') return { running: 0, waiting: 0 };
  const q = queue as Record<string, unknown>;
  const stats = typeof q.stats === 'function' ? ((q.stats as () => unknown).call(q) as Record<string, unknown>) : q;
  const running = num(stats, 'running', 'active', 'busy') ?? 0;
  const waiting = num(stats, 'waiting', 'pending', 'queued', 'size', 'length') ?? 0;
  return { running: typeof running === 'boolean' ? Number(running) : running, waiting };
}
