/**
 * `mermaid-flow generate` prints the pipeline's final diagram: a tape model
 * that writes a chatty, broken flowchart comes out repaired and valid.
 */
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureTestModel } from '../testmodels/index.ts';
import { optionProblems, truncationNote } from './generate.ts';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'mermaid-flow.mjs');
const env = { ...process.env, LOG_LEVEL: 'silent' };

const BROKEN = 'Sure, here you go:\n```mermaid\nflowchart LR\n  A[Pay (card)] --> end\n```\nAnything else?';

describe('mermaid-flow generate', () => {
  it.each([
    [['x', '--type', 'pie'], /--type must be one of auto, flowchart/],
    [['x', '--direction', 'BT'], /--direction must be TD or LR/],
  ])('%j is a usage error (exit 2)', (args, message) => {
    const result = spawnSync(process.execPath, [BIN, 'generate', ...args], { cwd: ROOT, encoding: 'utf8', env });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    [['x', '--max-new-tokens', '0'], /--max-new-tokens: expected 1\.\.\d+, got 0/],
    [['x', '--budget-ms', 'soon'], /--budget-ms: expected a whole number, got "soon"/],
    [['x', '--device', 'tpu'], /--device: expected one of/],
  ])('%j names the option, not the environment variable (exit 2)', (args, message) => {
    const result = spawnSync(process.execPath, [BIN, 'generate', ...args], { cwd: ROOT, encoding: 'utf8', env });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/MAX_NEW_TOKENS|BUDGET_MS|DEVICE:/);
  });

  it('a bad value from the environment is still named by its variable', () => {
    expect(optionProblems(['MAX_NEW_TOKENS: expected 1..32768, got 0'], {})).toEqual(['MAX_NEW_TOKENS: expected 1..32768, got 0']);
    expect(optionProblems(['MAX_NEW_TOKENS: expected 1..32768, got 0'], { MAX_NEW_TOKENS: '0' })).toEqual(['--max-new-tokens: expected 1..32768, got 0']);
  });

  it.each([
    [{ stopReason: 'max_tokens', budgetCut: false }, /TRUNCATED at the token limit/],
    [{ stopReason: 'budget', budgetCut: true }, /TRUNCATED by the time budget/],
    [{ stopReason: 'eos', budgetCut: false }, null],
  ] as const)('truncation note for %j', (result, note) => {
    const said = truncationNote(result);
    if (note) expect(said).toMatch(note);
    else expect(said).toBeNull();
  });

  it('a diagram cut by --max-new-tokens is noted as truncated on stderr', async () => {
    const dir = await ensureTestModel({ kind: 'tape', text: 'flowchart TD\n  A[Start] --> B[Check the order] --> C[Ship it] --> D[Done]\n' });
    const r = spawnSync(process.execPath, [BIN, 'generate', 'x', '--model', dir, '--device', 'cpu', '--max-new-tokens', '8'], { cwd: ROOT, encoding: 'utf8', env });
    expect(r.stderr).toMatch(/TRUNCATED at the token limit \(--max-new-tokens\)/);
  });

  it('--help lists --type and --direction', () => {
    const result = spawnSync(process.execPath, [BIN, 'generate', '--help'], { cwd: ROOT, encoding: 'utf8', env });
    expect(result.stdout).toMatch(/--type T .*auto \| flowchart \| sequence/);
    expect(result.stdout).toMatch(/--direction D/);
  });

  it('prints the repaired, valid diagram (and --json the DiagramResult with the repairs)', async () => {
    const dir = await ensureTestModel({ kind: 'tape', text: BROKEN });
    const plain = await run(process.execPath, [BIN, 'generate', 'Pay, then stop.', '--model', dir, '--device', 'cpu', '--direction', 'LR'], { cwd: ROOT, env });
    expect(plain.stdout).toMatch(/^flowchart LR\n/);
    expect(plain.stdout).toContain('A["Pay (card)"]');
    expect(plain.stdout).not.toMatch(/Sure|Anything else|```/);
    expect(plain.stderr).toMatch(/does not parse/);
    expect(plain.stderr).toMatch(/valid flowchart · repairs: .*lenient-flowchart/);

    const json = await run(process.execPath, [BIN, 'generate', 'Pay, then stop.', '--model', dir, '--device', 'cpu', '--json'], { cwd: ROOT, env });
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ valid: true, diagramType: 'flowchart', retried: false, stopReason: 'eos' });
    expect(result.repairs).toEqual(['lenient-flowchart']);
    expect(result.code).toBe(plain.stdout.trimEnd());
    expect(Object.keys(result.timings)).toEqual(['queueMs', 'loadMs', 'firstTokenMs', 'generationMs', 'repairMs', 'totalMs']);
  });
});
