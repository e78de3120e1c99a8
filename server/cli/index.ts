/**
 * `mermaid-flow <command> …`: subcommand dispatch. Each command lives in
 * `server/cli/<name>.ts` and exports `run(args: string[]): Promise<number>`
 * (the exit code). Commands are imported lazily, so `--help` is instant and a
 * command whose file is missing from this build says so instead of crashing.
 */
import { readFileSync } from 'node:fs';

export interface CommandModule {
  run(args: string[]): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  generate: {
    summary: 'describe a process, print the model output (--model DIR, --device, --json)',
    load: () => import('./generate.ts'),
  },
  validate: {
    summary: "check Mermaid code with Mermaid's own parser (FILE or stdin)",
    load: () => import('./validate.ts' as string) as Promise<CommandModule>,
  },
  repair: {
    summary: 'apply the deterministic repairs to Mermaid code (FILE or stdin)',
    load: () => import('./repair.ts' as string) as Promise<CommandModule>,
  },
  'test-model': {
    summary: 'write a test model directory (tiny, tape, qwen3-4b) for --model / MODEL_PATH',
    load: () => import('./test-model.ts'),
  },
};

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: mermaid-flow <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'Run `mermaid-flow <command> --help` for a command\'s options.',
    'Settings come from the environment (MODEL_ID, MODEL_PATH, DEVICE, DTYPE, HF_TOKEN, …; see .env.example).',
  ].join('\n');
}

/** True when `error` says the command's own file is missing (not one of its imports). */
function isMissingCommandFile(error: unknown, name: string): boolean {
  const e = error as { code?: string; message?: string; url?: string };
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' && !/Cannot find module/.test(e?.message ?? '')) return false;
  const text = `${e.message ?? ''} ${e.url ?? ''}`;
  return text.includes(`cli/${name}.ts`) || text.includes(`cli\\${name}.ts`);
}

export interface MainIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIO: MainIO = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
};

export async function main(argv: string[], io: MainIO = defaultIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    // No command is a usage error (scripts must not take it for success); the usage says what to type.
    io.err(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version());
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.err(`mermaid-flow: unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  let mod: CommandModule;
  try {
    mod = await entry.load();
  } catch (error) {
    if (isMissingCommandFile(error, name)) {
      io.err(`mermaid-flow: the "${name}" command is not available in this build (server/cli/${name}.ts is missing).`);
      return 2;
    }
    throw error;
  }
  if (typeof mod.run !== 'function') {
    io.err(`mermaid-flow: server/cli/${name}.ts does not export run(args).`);
    return 2;
  }
  return mod.run(rest);
}
