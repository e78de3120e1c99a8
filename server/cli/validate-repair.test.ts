import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as repairRun } from './repair.ts';
import { run as validateRun } from './validate.ts';

const dir = mkdtempSync(join(tmpdir(), 'mermaid-cli-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('mermaid-flow validate', () => {
  it('exit 0 and the type for a valid diagram', async () => {
    expect(await validateRun([file('ok.mmd', 'flowchart LR\n  A --> B\n')])).toBe(0);
    expect(out).toBe('valid flowchart\n');
  });

  it('exit 1 with line N: message for an invalid one', async () => {
    expect(await validateRun([file('bad.mmd', 'flowchart TD\n  A --> B\n  B --> end\n')])).toBe(1);
    expect(out).toMatch(/^line 3: Parse error on line 3/);
  });

  it('--json prints the result object', async () => {
    expect(await validateRun([file('bad2.mmd', 'flowchart TD\n  A -> B'), '--json'])).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ ok: false, line: 2 });
  });

  it('--extract validates the diagram inside a model answer', async () => {
    expect(await validateRun([file('answer.md', 'Voici :\n```mermaid\nflowchart TD\n  A --> B\n```\nVoilà.'), '--extract'])).toBe(0);
    expect(await validateRun([file('list.md', '- a\n- b'), '--extract'])).toBe(1);
    expect(err).toMatch(/no diagram found/);
  });

  it('an empty or blank file says the file is empty (exit 1), not the parser\'s "No diagram type detected"', async () => {
    const empty = file('empty.mmd', '');
    expect(await validateRun([empty])).toBe(1);
    expect(err).toBe(`mermaid-flow validate: ${empty} is empty: there is no diagram to check\n`);
    err = '';
    expect(await repairRun([file('blank.mmd', '  \n\n')])).toBe(1);
    expect(err).toMatch(/blank\.mmd is empty/);
    expect(out).not.toMatch(/No diagram type detected/);
  });

  it('exit 2 for usage and IO errors', async () => {
    expect(await validateRun([])).toBe(2);
    expect(await validateRun(['a', 'b'])).toBe(2);
    expect(await validateRun(['--nope', 'x'])).toBe(2);
    expect(await validateRun([join(dir, 'missing.mmd')])).toBe(2);
    expect(err).toMatch(/cannot read .*ENOENT/);
  });

  it('--help exits 0', async () => {
    expect(await validateRun(['--help'])).toBe(0);
    expect(out).toMatch(/usage: mermaid-flow validate/);
  });
});

describe('mermaid-flow repair', () => {
  it('prints the repaired diagram, repairs on stderr, exit 0', async () => {
    expect(await repairRun([file('fix.mmd', 'graph down\n  A[Pay (card)] --> end\n')])).toBe(0);
    expect(out).toBe('graph TD\n    A["Pay (card)"] --> end_["end"]\n');
    expect(err).toBe('repairs: lenient-flowchart\n');
  });

  it('says "none" for a valid diagram', async () => {
    expect(await repairRun([file('ok2.mmd', 'flowchart LR\n  A --> B')])).toBe(0);
    expect(err).toBe('repairs: none\n');
  });

  it('exit 1 with the remaining error when it cannot repair', async () => {
    expect(await repairRun([file('list2.mmd', '- a\n- b')])).toBe(1);
    expect(out).toBe('- a\n- b\n');
    expect(err).toMatch(/repairs: none\nerror: No diagram type detected/);
  });

  it('--extract --json on a raw answer cut by the budget', async () => {
    expect(await repairRun([file('cut.md', '```mermaid\nflowchart TD\n  A --> B\n  B --> C[Ch'), '--extract', '--json'])).toBe(0);
    expect(JSON.parse(out)).toEqual({
      file: expect.stringMatching(/cut\.md$/),
      units: { before: null, after: 2 },
      code: 'flowchart TD\n    A --> B',
      valid: true,
      diagramType: 'flowchart',
      repairs: ['lenient-flowchart'],
      changes: [{ kind: 'dropped-cut-line', message: expect.stringContaining('unfinished last line'), line: 3 }],
    });
  });

  it('exit 2 for a missing file', async () => {
    expect(await repairRun([join(dir, 'missing.mmd')])).toBe(2);
  });
});
