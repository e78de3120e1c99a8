/**
 * Every diagram of Mermaid's own documentation (../shared/corpus/mermaid-docs,
 * listed in its manifest.tsv) must validate. One mermaid instance for all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedData } from '../../tests/support/shared-data.ts';
import { repair } from './repair.ts';
import { closeValidator, validate } from './validate.ts';

const { path: corpus, present } = sharedData('corpus', 'mermaid-docs');

afterAll(closeValidator);

function manifest(): string[][] {
  expect(existsSync(join(corpus, 'manifest.tsv')), `corpus not found at ${corpus}`).toBe(true);
  return readFileSync(join(corpus, 'manifest.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'));
}

/**
 * Diagrams that need their own configuration to parse: sanitizing strips it
 * (model output never configures Mermaid), so after repair they are invalid.
 */
const NEEDS_CONFIG = new Set(['gitgraph-015.mmd']); // gitGraph.mainBranchName in front matter

describe.runIf(present)('the mermaid-docs corpus', () => {
it('accepts every diagram of the mermaid-docs corpus', async () => {
  const rows = manifest();
  expect(rows.length).toBeGreaterThan(400);

  await validate('flowchart TD\n  A --> B'); // load mermaid outside the timing
  const started = performance.now();
  const failures: string[] = [];
  for (const [file, type] of rows) {
    const result = await validate(readFileSync(join(corpus, file!), 'utf8'));
    if (!result.ok) failures.push(`${file} (${type}): line ${result.line}: ${result.message.split('\n')[0]}`);
  }
  const ms = performance.now() - started;
  console.log(`mermaid-docs corpus: ${rows.length - failures.length}/${rows.length} valid in ${ms.toFixed(0)} ms (${(ms / rows.length).toFixed(1)} ms each)`);
  expect(failures).toEqual([]);
});

it('repair leaves valid corpus diagrams valid, changing nothing but configuration', async () => {
  const changed: string[] = [];
  for (const [file] of manifest()) {
    const result = await repair(readFileSync(join(corpus, file!), 'utf8'));
    const ok = NEEDS_CONFIG.has(file!) ? !result.valid : result.valid;
    if (!ok || result.repairs.some((r) => r !== 'strip-directives')) changed.push(`${file}: ${result.repairs.join(', ')} ${result.error?.message ?? ''}`);
  }
  expect(changed).toEqual([]);
});
});
