/**
 * Reference data that lives beside the repository (`../shared/…`: Mermaid's
 * doc examples, the PET corpus), not in it. A fresh clone has none of it, so
 * the tests that read it skip, saying why in one line; CI, which has it, runs them.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** Absolute path of `../shared/<parts>` and whether it exists; prints the skip reason when it does not. */
export function sharedData(...parts: string[]): { path: string; present: boolean } {
  const path = join(REPO, '..', 'shared', ...parts);
  const present = existsSync(path);
  if (!present) console.warn(`skipped: ${path} is not here (reference data beside the repo, not in a clone)`);
  return { path, present };
}
