/**
 * `mermaid-flow validate|repair` on several files: one line per file in the
 * given order, units counted by Mermaid's database, exit 0/1/2.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { captureOutput, tempFiles } from './cli-harness.ts';
import { run as repairRun } from './repair.ts';
import { run as validateRun } from './validate.ts';

const { dir, file } = tempFiles('mermaid-batch-');
const io = captureOutput();

const lines = () => io.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

const good = file('good.md', 'Here:\n```mermaid\nflowchart LR\n  A[Order] --> B[Pay] --> C[Ship]\n```\nDone.');
const fixable = file('fixable.md', '```mermaid\nflowchart TD\n  A[Pay (card)] --> end\n```');
const hopeless = file('hopeless.md', '```mermaid\nsequenceDiagram\n  Note: where?\n```');
const prose = file('prose.md', 'I cannot draw this, sorry.');

describe('mermaid-flow repair --extract --json FILE...', () => {
  it('prints one JSON line per file, in order, with units before and after; exit 1 when one stays invalid', async () => {
    expect(await repairRun(['--extract', '--json', good, fixable, hopeless, prose])).toBe(1);
    const [a, b, c, d] = lines();
    expect(a).toMatchObject({ file: good, valid: true, diagramType: 'flowchart', repairs: [], changes: [], units: { before: 3, after: 3 } });
    expect(b).toMatchObject({ file: fixable, valid: true, repairs: ['lenient-flowchart'], units: { before: null, after: 2 } });
    expect(b!.code).toContain('"Pay (card)"');
    expect(c).toMatchObject({ file: hopeless, valid: false, units: { before: null, after: null } });
    expect(c!.error).toMatchObject({ message: expect.any(String) });
    expect(d).toMatchObject({ file: prose, valid: false, error: { message: `no diagram found in ${prose}` }, units: null });
    expect(io.err).toBe('');
  });

  it('exit 0 when every file is valid after repair', async () => {
    expect(await repairRun(['--extract', '--json', good, fixable])).toBe(0);
    expect(lines()).toHaveLength(2);
  });

  it('exit 2 when a file cannot be read, after checking the others', async () => {
    const missing = join(dir, 'missing.md');
    expect(await repairRun(['--extract', '--json', missing, good])).toBe(2);
    const [m, g] = lines();
    expect(m).toMatchObject({ file: missing, valid: false, error: { message: expect.stringMatching(/cannot read .*ENOENT/) } });
    expect(g).toMatchObject({ file: good, valid: true });
  });

  it('without --json, one summary line per file', async () => {
    expect(await repairRun(['--extract', good, fixable, hopeless])).toBe(1);
    const text = io.out.trim().split('\n');
    expect(text).toHaveLength(3);
    expect(text[0]).toBe(`${good}: valid flowchart`);
    expect(text[1]).toMatch(new RegExp(`^${fixable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: valid flowchart \\(repairs: lenient-flowchart`));
    expect(text[2]).toMatch(/hopeless\.md: line \d+: /);
  });
});

describe('mermaid-flow validate --extract --json FILE...', () => {
  it('one line per file with the parser answer and the units drawn', async () => {
    expect(await validateRun(['--extract', '--json', good, fixable])).toBe(1);
    const [a, b] = lines();
    expect(a).toEqual({ file: good, valid: true, ok: true, diagramType: 'flowchart', units: { before: 3 } });
    expect(b).toMatchObject({ file: fixable, valid: false, ok: false, line: 2, units: { before: null } });
  });

  it('usage errors exit 2: no file, stdin twice', async () => {
    expect(await validateRun(['--json'])).toBe(2);
    expect(await validateRun(['--json', '-', '-'])).toBe(2);
    expect(io.err).toMatch(/stdin \(-\) can be read once/);
  });
});

describe('a folder of answers', () => {
  it('checks 40 corpus answers in one process, one valid JSON line each', async () => {
    const root = fileURLToPath(new URL('../../tests/fixtures/answers/', import.meta.url));
    const files = ['flowchart', 'sequence', 'pie', 'gantt'].flatMap((d) =>
      readdirSync(join(root, d)).filter((f) => f.endsWith('.md')).slice(0, 10).map((f) => join(root, d, f)),
    );
    const code = await repairRun(['--extract', '--json', ...files]);
    const records = lines();
    expect(records.map((r) => r.file)).toEqual(files);
    expect(code).toBe(records.every((r) => r.valid) ? 0 : 1);
    for (const r of records) if (r.valid) expect(typeof (r.units as { after: unknown }).after).toBe('number');
  }, 120_000);
});
