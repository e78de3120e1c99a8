/**
 * Small pieces for a generator that must wait on something which reports
 * progress through a callback (engine load progress, queue positions):
 * `Latest` keeps only the newest report, so a slow reader never builds a
 * backlog; `abortable` stops waiting when a signal aborts.
 */

/** A one-value mailbox: `put` overwrites, `next` waits for a value not yet taken. */
export class Latest<T> {
  #value: T | undefined;
  #has = false;
  #wake: (() => void) | null = null;

  put(value: T): void {
    this.#value = value;
    this.#has = true;
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  async next(): Promise<T> {
    while (!this.#has) await new Promise<void>((resolve) => (this.#wake = resolve));
    this.#has = false;
    return this.#value as T;
  }
}

/** Waits for `promise`, or rejects with the signal's reason as soon as it aborts (the promise itself goes on). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
