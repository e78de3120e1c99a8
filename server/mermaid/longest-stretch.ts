/**
 * The longest single stretch the calling thread spent inside some code of
 * ours (posting a job, relaying an answer): what tests and benches read to
 * show that the event loop only hands work on. One tracker per module.
 */
export interface StretchTracker {
  /** Runs `fn` now, on this thread, and keeps its duration if it is the longest so far. */
  time<T>(fn: () => T): T;
  /** The longest duration seen, in ms. */
  maxMs(): number;
}

export function stretchTracker(): StretchTracker {
  let max = 0;
  return {
    time(fn) {
      const t0 = performance.now();
      try {
        return fn();
      } finally {
        max = Math.max(max, performance.now() - t0);
      }
    },
    maxMs: () => max,
  };
}
