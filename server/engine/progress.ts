/** The load's terminal bar (the percent itself comes from load.ts: hub-download.ts counts the bytes). */
import cliProgress from 'cli-progress';
import type { Engine } from './types.ts';

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
