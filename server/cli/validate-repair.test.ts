import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureOutput, tempFiles } from './cli-harness.ts';
import { run as repairRun } from './repair.ts';
import { run as validateRun } from './validate.ts';

const { dir, file } = tempFiles('mermaid-cli-');
const io = captureOutput();

describe('mermaid-flow validate', () => {
  it('exit 0 and the type for a valid diagram', async () => {
    expect(await validateRun([file('ok.mmd', 'flowchart LR\n  A --> B\n')])).toBe(0);
    expect(io.out).toBe('valid flowchart\n');
  });

  it('exit 1 with line N: message for an invalid one', async () => {
    expect(await validateRun([file('bad.mmd', 'flowchart TD\n  A --> B\n  B --> end\n')])).toBe(1);
    expect(io.out).toMatch(/^line 3: Parse error on line 3/);
  });

  it('--json prints the result object', async () => {
    expect(await validateRun([file('bad2.mmd', 'flowchart TD\n  A -> B'), '--json'])).toBe(1);
    expect(JSON.parse(io.out)).toMatchObject({ ok: false, line: 2 });
  });

  it('--extract validates the diagram inside a model answer', async () => {
    expect(await validateRun([file('answer.md', 'Voici :\n```mermaid\nflowchart TD\n  A --> B\n```\nVoilà.'), '--extract'])).toBe(0);
    expect(await validateRun([file('list.md', '- a\n- b'), '--extract'])).toBe(1);
    expect(io.err).toMatch(/no diagram found/);
  });

  it('an empty or blank file says the file is empty (exit 1), not the parser\'s "No diagram type detected"', async () => {
    const empty = file('empty.mmd', '');
    expect(await validateRun([empty])).toBe(1);
    expect(io.err).toBe(`mermaid-flow validate: ${empty} is empty: there is no diagram to check\n`);
    io.err = '';
    expect(await repairRun([file('blank.mmd', '  \n\n')])).toBe(1);
    expect(io.err).toMatch(/blank\.mmd is empty/);
    expect(io.out).not.toMatch(/No diagram type detected/);
  });

  it('exit 2 for usage and IO errors', async () => {
    expect(await validateRun([])).toBe(2);
    expect(await validateRun(['a', 'b'])).toBe(2);
    expect(await validateRun(['--nope', 'x'])).toBe(2);
    expect(await validateRun([join(dir, 'missing.mmd')])).toBe(2);
    expect(io.err).toMatch(/cannot read .*ENOENT/);
  });

  it('--help exits 0', async () => {
    expect(await validateRun(['--help'])).toBe(0);
    expect(io.out).toMatch(/usage: mermaid-flow validate/);
  });
});

describe('mermaid-flow repair', () => {
  it('prints the repaired diagram, repairs on stderr, exit 0', async () => {
    expect(await repairRun([file('fix.mmd', 'graph down\n  A[Pay (card)] --> end\n')])).toBe(0);
    expect(io.out).toBe('graph TD\n    A["Pay (card)"] --> end_["end"]\n');
    expect(io.err).toBe('repairs: lenient-flowchart\n');
  });

  it('says "none" for a valid diagram', async () => {
    expect(await repairRun([file('ok2.mmd', 'flowchart LR\n  A --> B')])).toBe(0);
    expect(io.err).toBe('repairs: none\n');
  });

  it('exit 1 with the remaining error when it cannot repair', async () => {
    expect(await repairRun([file('list2.mmd', '- a\n- b')])).toBe(1);
    expect(io.out).toBe('- a\n- b\n');
    expect(io.err).toMatch(/repairs: none\nerror: No diagram type detected/);
  });

  it('--extract --json on a raw answer cut by the budget', async () => {
    expect(await repairRun([file('cut.md', '```mermaid\nflowchart TD\n  A --> B\n  B --> C[Ch'), '--extract', '--json'])).toBe(0);
    expect(JSON.parse(io.out)).toEqual({
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
