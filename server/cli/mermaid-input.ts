/**
 * Shared by `mermaid-flow validate` and `mermaid-flow repair`: arguments,
 * reading FILE or stdin (`-`), and the optional `--extract` step for raw
 * model answers (Markdown with a fenced diagram).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { extractDiagram } from '../mermaid/extract.ts';

export interface MermaidInput {
  code: string;
  json: boolean;
}

export interface MermaidArgs {
  /** FILE arguments in order; `-` is stdin. */
  files: string[];
  json: boolean;
  extract: boolean;
}

/** The options and files, or the exit code to return at once (0 after --help, 2 on a usage error). */
export function parseMermaidArgs(command: string, usage: string, args: string[]): MermaidArgs | number {
  let values: { json?: boolean; extract?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        extract: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`mermaid-flow ${command}: ${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (positionals.length === 0) {
    process.stderr.write(`mermaid-flow ${command}: expected a FILE (or - for stdin)\n\n${usage}\n`);
    return 2;
  }
  if (positionals.filter((p) => p === '-').length > 1) {
    process.stderr.write(`mermaid-flow ${command}: stdin (-) can be read once\n\n${usage}\n`);
    return 2;
  }
  return { files: positionals, json: values.json === true, extract: values.extract === true };
}

/** One FILE (text mode): its code, or the exit code to return at once (0 after --help, 2 on a usage or IO error). */
export async function readMermaidInput(command: string, usage: string, args: string[]): Promise<MermaidInput | number> {
  const parsed = parseMermaidArgs(command, usage, args);
  if (typeof parsed === 'number') return parsed;
  if (parsed.files.length !== 1) {
    process.stderr.write(`mermaid-flow ${command}: expected one FILE or - (stdin); several files need --json or are summarised one line each\n\n${usage}\n`);
    return 2;
  }
  const values = { json: parsed.json, extract: parsed.extract };
  const source = parsed.files[0]!;
  let text: string;
  try {
    text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
  } catch (error) {
    process.stderr.write(`mermaid-flow ${command}: cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return 2;
  }
  if (!text.trim()) {
    // Mermaid's own message here ("No diagram type detected … for text: ") hides the real cause.
    process.stderr.write(`mermaid-flow ${command}: ${source === '-' ? 'stdin is empty' : `${source} is empty`}: there is no diagram to check\n`);
    return 1;
  }
  if (values.extract) {
    const found = extractDiagram(text);
    if (!found) {
      process.stderr.write(`mermaid-flow ${command}: no diagram found in ${source === '-' ? 'stdin' : source}\n`);
      return 1;
    }
    text = found.code;
  }
  return { code: text, json: values.json === true };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `line N: message`, or the message alone when the parser gave no line. */
export function formatError(error: { line?: number; message: string }): string {
  return error.line === undefined ? `error: ${error.message}` : `line ${error.line}: ${error.message}`;
}
