/**
 * No regular expression in the app may backtrack super-linearly: every
 * pattern in server/, src/ and common/ (tests/redos/collect.ts) is checked by
 * recheck (https://makenowjust-labs.github.io/recheck/) with its pure-JS
 * backend, and any it finds vulnerable, or cannot decide, fails this test with
 * file:line. Model output and pasted code reach most of these patterns, and a
 * quadratic one on 20,000 characters blocks for seconds.
 *
 * Verdicts are cached by (recheck version, parameters, flags, source) in
 * node_modules/.cache/redos/, so only new or changed patterns cost time; the
 * first run checks about 300 patterns in a few minutes on 2 cores.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { collectRegexes, regexesIn, type FoundRegex } from './collect.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const RECHECK_VERSION: string = createRequire(import.meta.url)('recheck/package.json').version;
/** recheck's own per-pattern limit is 10 s; the fallback fuzz run (check-worker.mjs) gets 40 s. */
const PARAMS = { timeout: 10_000, fallback: 'fuzz-40s' };
const CACHE_FILE = join(ROOT, 'node_modules', '.cache', 'redos', `verdicts-${RECHECK_VERSION}.json`);

interface Verdict {
  status: 'safe' | 'vulnerable' | 'unknown';
  detail: string;
  attack?: string;
}

const keyOf = (r: { source: string; flags: string }) => JSON.stringify([PARAMS, r.flags, r.source]);

function readCache(): Record<string, Verdict> {
  try {
    return JSON.parse(readFileSync(CACHE_FILE, 'utf8')) as Record<string, Verdict>;
  } catch {
    return {};
  }
}

async function checkAll(patterns: FoundRegex[]): Promise<Map<string, Verdict>> {
  const cache = readCache();
  const verdicts = new Map<string, Verdict>();
  const todo = new Map<string, { key: string; source: string; flags: string }>();
  for (const r of patterns) {
    const key = keyOf(r);
    if (cache[key]) verdicts.set(key, cache[key]);
    else todo.set(key, { key, source: r.source, flags: r.flags });
  }
  const jobs = [...todo.values()];
  const workers = Math.max(1, Math.min(jobs.length, availableParallelism(), 4));
  await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const share = jobs.filter((_, i) => i % workers === w);
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(new URL('./check-worker.mjs', import.meta.url), { workerData: { jobs: share, params: { timeout: PARAMS.timeout } } });
        worker.on('message', ({ key, verdict }: { key: string; verdict: Verdict }) => {
          verdicts.set(key, verdict);
          cache[key] = verdict;
        });
        worker.on('error', reject);
        worker.on('exit', () => resolve());
      });
    }),
  );
  mkdirSync(join(CACHE_FILE, '..'), { recursive: true });
  writeFileSync(CACHE_FILE, JSON.stringify(cache));
  return verdicts;
}

describe('ReDoS', () => {
  it('finds literals and new RegExp sources, not strings or comments', () => {
    const found = regexesIn(
      'x.ts',
      [
        'const a = /a+b/g; // not /this/',
        "const b = new RegExp('c*d', 'i');",
        'const c = "not /a regex/";',
        'const d = x / 2 / y;',
        'const e = RegExp(`e|f`);',
      ].join('\n'),
    );
    expect(found.map((r) => [r.line, r.source, r.flags])).toEqual([
      [1, 'a+b', 'g'],
      [2, 'c*d', 'i'],
      [5, 'e|f', ''],
    ]);
  });

  it('the checker flags a known quadratic pattern and passes a linear one', async () => {
    const quadratic = { file: 'x.ts', line: 1, source: '\\s*;\\s*$', flags: '' };
    const linear = { file: 'x.ts', line: 2, source: '^[a-z]+;$', flags: '' };
    const verdicts = await checkAll([quadratic, linear]);
    expect(verdicts.get(keyOf(quadratic))?.status).toBe('vulnerable');
    expect(verdicts.get(keyOf(linear))?.status).toBe('safe');
  });

  it('no pattern in server/, src/ or common/ is super-linear', { timeout: 900_000 }, async () => {
    const patterns = collectRegexes(ROOT);
    expect(patterns.length).toBeGreaterThan(100);
    const verdicts = await checkAll(patterns);
    const flagged = patterns
      .map((r) => ({ r, v: verdicts.get(keyOf(r))! }))
      .filter(({ v }) => v.status !== 'safe')
      .map(({ r, v }) => `${r.file}:${r.line} /${r.source}/${r.flags} — ${v.status}: ${v.detail}${v.attack ? ` (attack ${v.attack})` : ''}`);
    expect(flagged).toEqual([]);
  });
});
