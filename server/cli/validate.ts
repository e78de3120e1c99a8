/**
 * `mermaid-flow validate FILE...` — checks Mermaid code with Mermaid's own
 * parser. One FILE: exit 0 valid (prints the diagram type), 1 invalid
 * (prints `line N: message`), 2 usage or IO error. Several files, or
 * --json: batch.ts (one line per file, one Mermaid load for all).
 */
import { closeValidator, validate } from '../mermaid/validate.ts';
import { runBatch } from './batch.ts';
import { formatError, parseMermaidArgs, readMermaidInput } from './mermaid-input.ts';

export const USAGE = `usage: mermaid-flow validate FILE... [options]   (FILE - reads stdin)

  --extract    each input is a model answer: validate the diagram found in it
  --json       one JSON line per file: {file, valid, ok, diagramType, line?, message?, units: {before}}
               (units: what Mermaid draws, counted from its diagram database; null when invalid)
  -h, --help   this help

Several files are checked in one process, one line each.
exit status: 0 all valid, 1 any invalid, 2 usage error or a file that cannot be read`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseMermaidArgs('validate', USAGE, args);
  if (typeof parsed === 'number') return parsed;
  if (parsed.json || parsed.files.length > 1) return runBatch({ command: 'validate', ...parsed });
  const input = await readMermaidInput('validate', USAGE, args);
  if (typeof input === 'number') return input;
  try {
    const result = await validate(input.code);
    if (input.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else if (result.ok) process.stdout.write(`valid ${result.diagramType}\n`);
    else process.stdout.write(`${formatError(result)}\n`);
    return result.ok ? 0 : 1;
  } finally {
    await closeValidator();
  }
}
