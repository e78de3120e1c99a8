import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedDir, cacheRoot } from './cache.ts';

describe('cachedDir', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tm-cache-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('builds once, then reuses the directory', async () => {
    expect(cacheRoot()).toMatch(/[/\\]\.cache[/\\]test-models$/);
    let builds = 0;
    const build = async (dir: string) => {
      builds++;
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'f'), 'x');
    };
    const [a, b] = await Promise.all([cachedDir('k1', build, root), cachedDir('k1', build, root)]);
    expect(a).toBe(join(root, 'k1'));
    expect(b).toBe(a);
    expect(builds).toBe(1);
    expect(await cachedDir('k1', build, root)).toBe(a);
    expect(builds).toBe(1);
  });

  it('keeps the copy of a worker that finished first and leaves no temporary directory', async () => {
    const dir = await cachedDir('k2', async (tmp: string) => {
      // another worker renames its finished copy into place while this one builds
      await mkdir(join(root, 'k2'), { recursive: true });
      await writeFile(join(root, 'k2', 'f'), 'winner');
      await mkdir(tmp, { recursive: true });
      await writeFile(join(tmp, 'f'), 'loser');
    }, root);
    expect(await readFile(join(dir, 'f'), 'utf8')).toBe('winner');
    expect((await readdir(root)).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });

  it('forgets a failed build so the next call retries', async () => {
    await expect(cachedDir('k3', async () => Promise.reject(new Error('boom')), root)).rejects.toThrow('boom');
    const dir = await cachedDir('k3', async (tmp) => {
      await mkdir(tmp, { recursive: true });
    }, root);
    expect(dir).toBe(join(root, 'k3'));
    expect((await readdir(root)).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });
});
