/**
 * An engine's readiness (idle → loading → warming → ready | error) and the
 * listeners that follow it. Shared by the real and the scripted engine so
 * both report status the same way; the queue depth is read when asked,
 * because the queue lives outside the engine.
 */
import type { ReadyStatus } from '../../common/protocol.ts';
import type { LoadProgressListener } from './types.ts';

type Status = Omit<ReadyStatus, 'queueDepth'>;

export class StatusBoard {
  private current: Status;
  private readonly listeners = new Set<LoadProgressListener>();

  constructor(
    model: string,
    private readonly queueDepth: () => number = () => 0,
  ) {
    this.current = { state: 'idle', progress: 0, message: 'Model not loaded yet.', model, device: null, dtype: null };
  }

  get state(): ReadyStatus['state'] {
    return this.current.state;
  }

  snapshot(): ReadyStatus {
    return { ...this.current, queueDepth: this.queueDepth() };
  }

  subscribe(listener: LoadProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Merges `patch` (an explicit `error: undefined` or `retryAt: undefined` clears it) and tells every listener. */
  update(patch: Partial<Status>): void {
    this.current = { ...this.current, ...patch };
    for (const key of ['error', 'retryAt'] as const) if (key in patch && patch[key] === undefined) delete this.current[key];
    const snapshot = this.snapshot();
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch {
        // A listener's failure must not break loading.
      }
    }
  }
}
