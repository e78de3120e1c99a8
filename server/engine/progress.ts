/** Download/read progress over all of a model's files, as one percent that never goes back, and its terminal bar. */
import cliProgress from 'cli-progress';
import type { Engine } from './types.ts';

/** Aggregates transformers.js progress events over all files into one percent. */
export class ProgressAggregator {
  private readonly files = new Map<string, { loaded: number; total: number }>();
  private last = 0;

  /** Feeds one progress_callback event; returns the new overall percent (0..100, never decreasing). */
  update(info: { status: string; file?: string; loaded?: number; total?: number }): number {
    if (info.file && (info.status === 'progress' || info.status === 'done' || info.status === 'initiate')) {
      const prev = this.files.get(info.file) ?? { loaded: 0, total: 0 };
      if (info.status === 'progress' && typeof info.loaded === 'number' && typeof info.total === 'number') {
        this.files.set(info.file, { loaded: info.loaded, total: Math.max(info.total, info.loaded) });
      } else if (info.status === 'done') {
        this.files.set(info.file, { loaded: prev.total || prev.loaded, total: prev.total || prev.loaded });
      } else if (!this.files.has(info.file)) {
        this.files.set(info.file, prev);
      }
    }
    let loaded = 0;
    let total = 0;
    for (const f of this.files.values()) {
      loaded += f.loaded;
      total += f.total;
    }
    const pct = total > 0 ? Math.min(100, (loaded / total) * 100) : 0;
    this.last = Math.max(this.last, pct);
    return this.last;
  }

  get bytes(): { loaded: number; total: number } {
    let loaded = 0;
    let total = 0;
    for (const f of this.files.values()) {
      loaded += f.loaded;
      total += f.total;
    }
    return { loaded, total };
  }
}

/** A terminal bar on stderr that follows an engine's load status until it is ready or failed. */
export function attachProgressBar(engine: Pick<Engine, 'onStatus'>): () => void {
  let bar: InstanceType<typeof cliProgress.SingleBar> | null = null;
  const off = engine.onStatus((s) => {
    if (s.state === 'loading' || s.state === 'warming') {
      if (!bar) {
        bar = new cliProgress.SingleBar({ format: 'model |{bar}| {percentage}% {stage}', stream: process.stderr, hideCursor: true, clearOnComplete: false }, cliProgress.Presets.shades_classic);
        bar.start(100, 0, { stage: 'loading' });
      }
      bar.update(s.progress, { stage: s.message });
    } else if (bar) {
      bar.update(s.state === 'ready' ? 100 : s.progress, { stage: s.state === 'ready' ? `ready on ${s.device}` : 'failed' });
      bar.stop();
      bar = null;
    }
  });
  return off;
}
