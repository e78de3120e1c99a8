/**
 * A build-once directory cache for test models, safe across parallel vitest
 * workers: each model is written into a temporary sibling directory and then
 * renamed into `<root>/<key>`; whoever renames first wins, the others discard
 * their copy and use the winner's. A directory is complete iff it exists.
 *
 *   cachedDir(key, build, root = cacheRoot()) → absolute path of the finished directory
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `<repo>/.cache/test-models` (git-ignored). */
export function cacheRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '.cache', 'test-models');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const inProcess = new Map<string, Promise<string>>();

export function cachedDir(key: string, build: (tmpDir: string) => Promise<void>, root = cacheRoot()): Promise<string> {
  const final = join(root, key);
  let p = inProcess.get(final);
  if (!p) {
    p = (async () => {
      if (await exists(final)) return final;
      await mkdir(root, { recursive: true });
      const tmp = join(root, `.tmp-${key}-${process.pid}-${randomBytes(4).toString('hex')}`);
      try {
        await build(tmp);
        await rename(tmp, final).catch(async (err: NodeJS.ErrnoException) => {
          // Another worker won the race (ENOTEMPTY/EEXIST): use its copy.
          if (!(await exists(final))) throw err;
        });
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
      return final;
    })();
    p.catch(() => inProcess.delete(final));
    inProcess.set(final, p);
  }
  return p;
}
