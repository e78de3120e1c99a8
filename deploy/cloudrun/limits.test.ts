import { describe, expect, it } from 'vitest';
import { cloudRunProblems, defaultConcurrency, type CloudRunSettings } from './limits.ts';

const ok: CloudRunSettings = { cpu: '8', memory: '32Gi', concurrency: 33, timeoutSeconds: 900, minInstances: 0, maxInstances: 1, region: 'us-central1', skipRegionCheck: false };

describe('cloudRunProblems: Cloud Run rejects these only after the build', () => {
  it('accepts the defaults and the documented edges', () => {
    expect(cloudRunProblems(ok)).toEqual([]);
    expect(cloudRunProblems({ ...ok, cpu: '4', memory: '16Gi', concurrency: 1, timeoutSeconds: 3600, maxInstances: undefined })).toEqual([]);
    expect(cloudRunProblems({ ...ok, cpu: '6', memory: '24Gi', concurrency: 1000 })).toEqual([]);
  });

  it.each([
    ['concurrency 0', { concurrency: 0 }, /--concurrency 0/],
    ['timeout past an hour', { timeoutSeconds: 99_999 }, /--timeout 99999.*1–3600/],
    ['5 CPU', { cpu: '5' }, /--cpu 5: Cloud Run takes 1, 2, 4, 6 or 8/],
    ['12 CPU', { cpu: '12' }, /--cpu 12/],
    ['2 CPU with an L4', { cpu: '2', memory: '8Gi' }, /at least 4 CPU/],
    ['4 CPU with 32Gi', { cpu: '4', memory: '32Gi' }, /4 CPU allow 2–16 GiB/],
    ['64Gi', { memory: '64Gi' }, /at most 32Gi/],
    ['8Gi with an L4', { memory: '8Gi' }, /at least 16Gi/],
    ['memory not a size', { memory: 'lots' }, /not a Cloud Run memory size/],
    ['min above max', { minInstances: 3, maxInstances: 1 }, /--min-instances 3 is more than --max-instances 1/],
    ['max 0', { maxInstances: 0 }, /--max-instances 0/],
    ['a region without L4', { region: 'us-west2' }, /--region us-west2: Cloud Run has no L4/],
  ])('%s', (_name, change, message) => {
    const problems = cloudRunProblems({ ...ok, ...change });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('; ')).toMatch(message);
  });

  it('the region check can be skipped when Google adds regions', () => {
    expect(cloudRunProblems({ ...ok, region: 'us-west2', skipRegionCheck: true })).toEqual([]);
  });
});

describe('defaultConcurrency', () => {
  it('one instance: the whole server queue reaches it; several: low, so the autoscaler reacts before a queue forms', () => {
    expect(defaultConcurrency(1, 32)).toBe(33);
    expect(defaultConcurrency(undefined, 32)).toBe(33);
    expect(defaultConcurrency(5, 32)).toBe(4);
  });
});
