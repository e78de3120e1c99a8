import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../testmodels/index.ts';
import { COMMANDS, main, usage } from './index.ts';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'mermaid-flow.mjs');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

describe('cli main', () => {
  const added: string[] = [];
  afterEach(() => {
    for (const name of added.splice(0)) delete COMMANDS[name];
  });

  it('no command prints the usage on stderr and exits 2', async () => {
    const c = io();
    expect(await main([], c.io)).toBe(2);
    expect(c.out).toEqual([]);
    expect(c.err.join('\n')).toBe(usage());
  });

  it.each([[['--help']], [['-h']], [['help']]])('%j prints the usage with every command', async (argv) => {
    const c = io();
    expect(await main(argv, c.io)).toBe(0);
    for (const name of ['generate', 'validate', 'repair', 'test-model']) expect(c.out.join('\n')).toContain(name);
  });

  it('--version prints the package version', async () => {
    const c = io();
    expect(await main(['--version'], c.io)).toBe(0);
    expect(c.out[0]).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown command exits 2 with the usage', async () => {
    const c = io();
    expect(await main(['frobnicate'], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/unknown command "frobnicate"/);
    expect(c.err[0]).toContain(usage());
  });

  it('does not treat Object.prototype names as commands', async () => {
    expect(await main(['constructor'], io().io)).toBe(2);
  });

  it('a command whose file is missing says so clearly', async () => {
    COMMANDS.ghost = {
      summary: 'x',
      load: () => import('./ghost.ts' as string),
    };
    added.push('ghost');
    const c = io();
    expect(await main(['ghost'], c.io)).toBe(2);
    expect(c.err[0]).toBe('mermaid-flow: the "ghost" command is not available in this build (server/cli/ghost.ts is missing).');
  });

  it('a command module without run() is reported', async () => {
    COMMANDS.norun = { summary: 'x', load: async () => ({}) as never };
    added.push('norun');
    const c = io();
    expect(await main(['norun'], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/does not export run/);
  });

  it('passes the remaining arguments to run() and returns its exit code', async () => {
    let seen: string[] = [];
    COMMANDS.echo = { summary: 'x', load: async () => ({ run: async (a: string[]) => ((seen = a), 7) }) };
    added.push('echo');
    expect(await main(['echo', 'a', '--b'], io().io)).toBe(7);
    expect(seen).toEqual(['a', '--b']);
  });
});

describe('bin/mermaid-flow.mjs (the package bin, through tsx)', () => {
  it('--help works', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help'], { cwd: ROOT });
    expect(stdout).toMatch(/^usage: mermaid-flow <command>/);
  });

  it('generate --help works', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'generate', '--help'], { cwd: ROOT });
    expect(stdout).toMatch(/--model DIR/);
  });

  it('generate without a description exits 2', async () => {
    // stdin is an empty pipe: no description there either
    const result = spawnSync(process.execPath, [BIN, 'generate'], { cwd: ROOT, input: '', encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/give a description/);
  });

  it('generate --model DIR --json prints the tape through the real engine', async () => {
    const text = 'flowchart LR\n  A --> B\n';
    const dir = await ensureTestModel({ kind: 'tape', text });
    const { stdout } = await run(process.execPath, [BIN, 'generate', 'any description', '--model', dir, '--device', 'cpu', '--json'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    // The pipeline's DiagramResult (the diagram validated by Mermaid's parser).
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ code: text.trim(), valid: true, diagramType: 'flowchart', repairs: [], stopReason: 'eos', model: path.basename(dir) }); // the public name, not the absolute path
    expect(result.device).toMatch(/^cpu/);
  });

  it('generate prints the final diagram to stdout and a summary to stderr', async () => {
    const text = 'flowchart TD\n  X[One] --> Y[Two]\n';
    const dir = await ensureTestModel({ kind: 'tape', text });
    const { stdout, stderr } = await run(process.execPath, [BIN, 'generate', '--model', dir, 'draw it'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    expect(stdout).toBe(text);
    expect(stderr).toMatch(/valid flowchart · no repairs · \d+ tokens/);
  });

  it('generate --device cuda on a CPU machine exits 1 saying what to do', async () => {
    const dir = await ensureTestModel({ kind: 'tape', text: 'x' });
    const error = (await run(process.execPath, [BIN, 'generate', 'x', '--model', dir, '--device', 'cuda'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent' },
    }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(/DEVICE=cuda was requested.*npm run cuda:install/);
  });
});
