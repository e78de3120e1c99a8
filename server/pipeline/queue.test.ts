import { describe, expect, it } from 'vitest';
import { GenerationQueue, QueueClosedError, QueueFullError, type JobContext } from './queue.ts';

/** A job the test finishes by hand. */
function gate<T = string>(value?: T) {
  let release!: (v?: T) => void;
  let fail!: (e: unknown) => void;
  let ctx: JobContext | undefined;
  const started = { value: false };
  const job = (c: JobContext) =>
    new Promise<T>((resolve, reject) => {
      ctx = c;
      started.value = true;
      release = (v) => resolve((v ?? value) as T);
      fail = reject;
    });
  return {
    job,
    release: (v?: T) => release(v),
    fail: (e: unknown) => fail(e),
    get ctx() {
      return ctx;
    },
    get started() {
      return started.value;
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('GenerationQueue', () => {
  it('runs one job at a time by default, in arrival order', async () => {
    const q = new GenerationQueue();
    const order: string[] = [];
    const a = gate('a');
    const b = gate('b');
    const c = gate('c');
    const pa = q.run(a.job).then((v) => order.push(v));
    const pb = q.run(b.job).then((v) => order.push(v));
    const pc = q.run(c.job).then((v) => order.push(v));
    await tick();
    expect([a.started, b.started, c.started]).toEqual([true, false, false]);
    expect(q.running).toBe(1);
    expect(q.waiting).toBe(2);
    expect(q.depth).toBe(3);
    a.release();
    await pa;
    await tick();
    expect([b.started, c.started]).toEqual([true, false]);
    b.release();
    await pb;
    await tick();
    c.release();
    await pc;
    expect(order).toEqual(['a', 'b', 'c']);
    expect(q.depth).toBe(0);
  });

  it.each([
    [1, 3, 1],
    [2, 3, 2],
    [3, 5, 3],
  ])('concurrency %i with %i jobs runs %i at once', async (concurrency, jobs, expected) => {
    const q = new GenerationQueue({ concurrency });
    const gates = Array.from({ length: jobs }, () => gate());
    gates.forEach((g) => void q.run(g.job));
    await tick();
    expect(gates.filter((g) => g.started).length).toBe(expected);
    expect(q.running).toBe(expected);
    expect(q.waiting).toBe(jobs - expected);
    gates.forEach((g) => g.started && g.release());
  });

  it('reports positions on enqueue and when they change', async () => {
    const q = new GenerationQueue();
    const running = gate();
    void q.run(running.job);
    const seen: Record<string, [number, number][]> = { b: [], c: [], d: [] };
    const b = gate();
    const c = gate();
    const d = gate();
    const pb = q.run(b.job, { onPosition: (p, w) => seen.b.push([p, w]) });
    const pc = q.run(c.job, { onPosition: (p, w) => seen.c.push([p, w]) });
    const pd = q.run(d.job, { onPosition: (p, w) => seen.d.push([p, w]) });
    expect(seen.b).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
    expect(seen.c).toEqual([
      [2, 2],
      [2, 3],
    ]);
    expect(seen.d).toEqual([[3, 3]]);
    running.release();
    await tick();
    expect(b.started).toBe(true);
    expect(seen.c.at(-1)).toEqual([1, 2]);
    expect(seen.d.at(-1)).toEqual([2, 2]);
    // b's positions stop once it runs
    expect(seen.b.length).toBe(3);
    b.release();
    await pb;
    await tick();
    c.release();
    await pc;
    await tick();
    d.release();
    await pd;
  });

  it('calls onStart with the time waited', async () => {
    let now = 1000;
    const q = new GenerationQueue({ now: () => now });
    const a = gate();
    void q.run(a.job);
    const waited: number[] = [];
    const b = gate();
    const pb = q.run(b.job, { onStart: (ms) => waited.push(ms) });
    now += 250;
    a.release();
    await tick();
    expect(waited).toEqual([250]);
    expect(b.ctx?.waitedMs).toBe(250);
    b.release();
    await pb;
  });

  it.each([
    [0, 1],
    [1, 2],
    [3, 4],
  ])('maxWaiting %i refuses job number %i + 1 with QueueFullError', async (maxWaiting, accepted) => {
    const q = new GenerationQueue({ maxWaiting, defaultJobMs: 5_000 });
    const gates = Array.from({ length: accepted }, () => gate());
    gates.forEach((g) => void q.run(g.job).catch(() => {}));
    const refused = q.run(gate().job);
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    const error = (await refused.catch((e) => e)) as QueueFullError;
    expect(error.code).toBe('queue_full');
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(5);
    expect(error.message).toMatch(/try again in about \d+ s/);
  });

  it('estimates the retry delay from recent job durations', async () => {
    let now = 0;
    const q = new GenerationQueue({ maxWaiting: 1, now: () => now });
    for (const ms of [2_000, 4_000]) {
      const g = gate();
      const p = q.run(g.job);
      now += ms;
      g.release();
      await p;
    }
    // mean 3 s; one running + one waiting ahead → 2 rounds → 6 s
    const running = gate();
    void q.run(running.job);
    void q.run(gate().job).catch(() => {});
    const error = (await q.run(gate().job).catch((e) => e)) as QueueFullError;
    expect(error).toBeInstanceOf(QueueFullError);
    expect(error.retryAfterSeconds).toBe(6);
    expect(error.waiting).toBe(1);
  });

  it('estimate is at least one second', () => {
    const q = new GenerationQueue({ defaultJobMs: 10 });
    expect(q.estimateWaitSeconds()).toBe(1);
  });

  it('drops a waiting job at once when its signal aborts; the others move up', async () => {
    const q = new GenerationQueue();
    const running = gate();
    void q.run(running.job);
    const controller = new AbortController();
    const b = gate();
    const c = gate();
    const positionsC: number[] = [];
    const pb = q.run(b.job, { signal: controller.signal });
    const pc = q.run(c.job, { onPosition: (p) => positionsC.push(p) });
    expect(q.waiting).toBe(2);
    controller.abort();
    await expect(pb).rejects.toMatchObject({ name: 'AbortError' });
    expect(q.waiting).toBe(1);
    expect(positionsC).toEqual([2, 1]);
    running.release();
    await tick();
    expect(b.started).toBe(false);
    expect(c.started).toBe(true);
    c.release();
    await pc;
  });

  it('rejects with the signal reason when one is given', async () => {
    const q = new GenerationQueue();
    void q.run(gate().job);
    const controller = new AbortController();
    const p = q.run(gate().job, { signal: controller.signal });
    controller.abort(new Error('client went away'));
    await expect(p).rejects.toThrow('client went away');
  });

  it('refuses an already-aborted signal without running the job', async () => {
    const q = new GenerationQueue();
    const g = gate();
    await expect(q.run(g.job, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(g.started).toBe(false);
    expect(q.depth).toBe(0);
  });

  it("aborts a running job's signal when the caller aborts, and frees the slot when it settles", async () => {
    const q = new GenerationQueue();
    const controller = new AbortController();
    const a = gate();
    const pa = q.run(
      async (ctx) => {
        const result = a.job(ctx);
        ctx.signal.addEventListener('abort', () => a.fail(ctx.signal.reason));
        return result;
      },
      { signal: controller.signal },
    );
    const b = gate();
    const pb = q.run(b.job);
    await tick();
    expect(a.ctx?.signal.aborted).toBe(false);
    controller.abort();
    expect(a.ctx?.signal.aborted).toBe(true);
    await expect(pa).rejects.toMatchObject({ name: 'AbortError' });
    await tick();
    expect(b.started).toBe(true);
    b.release();
    await pb;
  });

  it('a job that throws synchronously rejects and frees the slot', async () => {
    const q = new GenerationQueue();
    await expect(
      q.run(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(q.depth).toBe(0);
    await expect(q.run(async () => 42)).resolves.toBe(42);
  });

  it('a failing job does not stop the next', async () => {
    const q = new GenerationQueue();
    const a = gate();
    const pa = q.run(a.job);
    const pb = q.run(async () => 'b');
    a.fail(new Error('model error'));
    await expect(pa).rejects.toThrow('model error');
    await expect(pb).resolves.toBe('b');
  });

  it('close() refuses new work and resolves when accepted jobs finish', async () => {
    const q = new GenerationQueue();
    const a = gate('a');
    const b = gate('b');
    const pa = q.run(a.job);
    const pb = q.run(b.job);
    let closed = false;
    const pclose = q.close().then(() => (closed = true));
    await expect(q.run(gate().job)).rejects.toBeInstanceOf(QueueClosedError);
    expect(q.isClosed).toBe(true);
    a.release();
    await pa;
    await tick();
    expect(closed).toBe(false);
    b.release();
    await expect(pb).resolves.toBe('b');
    await pclose;
    expect(closed).toBe(true);
  });

  it('abortAll() rejects waiting jobs and aborts running ones', async () => {
    const q = new GenerationQueue();
    const a = gate();
    const pa = q.run(async (ctx) => {
      ctx.signal.addEventListener('abort', () => a.fail(ctx.signal.reason));
      return a.job(ctx);
    });
    const pb = q.run(gate().job);
    await tick();
    q.abortAll();
    await expect(pb).rejects.toMatchObject({ name: 'AbortError' });
    await expect(pa).rejects.toMatchObject({ name: 'AbortError' });
    await q.onIdle();
    expect(q.depth).toBe(0);
  });

  it('onChange reports depth for metrics', async () => {
    const q = new GenerationQueue();
    const depths: number[] = [];
    const off = q.onChange((s) => depths.push(s.running + s.waiting));
    const a = gate();
    const pa = q.run(a.job);
    const pb = q.run(async () => 'b');
    a.release();
    await pa;
    await pb;
    off();
    expect(depths[0]).toBe(1);
    expect(Math.max(...depths)).toBe(2);
    expect(depths.at(-1)).toBe(0);
  });

  it('a throwing onPosition listener does not break the queue', async () => {
    const q = new GenerationQueue();
    const a = gate();
    const pa = q.run(a.job);
    const pb = q.run(async () => 'ok', {
      onPosition: () => {
        throw new Error('listener');
      },
    });
    a.release();
    await pa;
    await expect(pb).resolves.toBe('ok');
  });

  it('works with real timers: jobs of different lengths keep order', async () => {
    const q = new GenerationQueue({ maxWaiting: 10 });
    const order: number[] = [];
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await Promise.all(
      [30, 5, 20, 1].map((ms, i) =>
        q.run(async () => {
          order.push(i);
          await sleep(ms);
          return i;
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('acquire: holds the slot until release, reports positions, and a waiter that aborts leaves', async () => {
    const q = new GenerationQueue({ maxWaiting: 5 });
    const first = await q.acquire();
    expect(q.running).toBe(1);
    const positions: Array<[number, number]> = [];
    const second = q.acquire({ onPosition: (p, waiting) => positions.push([p, waiting]) });
    const ac = new AbortController();
    const third = q.acquire({ signal: ac.signal });
    expect(q.waiting).toBe(2);
    ac.abort(new Error('left'));
    await expect(third).rejects.toThrow('left');
    first.release();
    const slot = await second;
    expect(positions).toEqual([[1, 1], [1, 2], [1, 1]]); // first in line throughout; the line grew, then shrank
    expect(q.running).toBe(1);
    slot.release();
    await q.onIdle();
    expect(q.depth).toBe(0);
  });
});
