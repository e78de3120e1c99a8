/**
 * `mermaid-flow repair FILE...` — applies the deterministic repairs (and
 * strips configuration). One FILE: prints the resulting diagram on stdout;
 * the repairs applied, and the remaining parse error if any, go to stderr.
 * Exit 0 when the result validates, 1 when it could not be repaired, 2 usage
 * or IO error. Several files, or --json: batch.ts (one line per file, one
 * Mermaid load for all).
 */
import { repair } from '../mermaid/repair.ts';
import { closeValidator } from '../mermaid/validate.ts';
import { runBatch } from './batch.ts';
import { formatError, parseMermaidArgs, readMermaidInput } from './mermaid-input.ts';

export const USAGE = `usage: mermaid-flow repair FILE... [options]   (FILE - reads stdin)

  --extract    each input is a model answer: repair the diagram found in it
  --json       one JSON line per file: {file, code, valid, diagramType, repairs, changes, error?,
               units: {before, after}} (units: what Mermaid draws, counted from its diagram
               database, before and after the repair; null where Mermaid rejects the code)
  -h, --help   this help

Several files are repaired in one process, one line each.
exit status: 0 all valid, 1 any could not be repaired, 2 usage error or a file that cannot be read`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseMermaidArgs('repair', USAGE, args);
  if (typeof parsed === 'number') return parsed;
  if (parsed.json || parsed.files.length > 1) return runBatch({ command: 'repair', ...parsed });
  const input = await readMermaidInput('repair', USAGE, args);
  if (typeof input === 'number') return input;
  try {
    const result = await repair(input.code);
    if (input.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(`${result.code}\n`);
      process.stderr.write(`repairs: ${result.repairs.length ? result.repairs.join(', ') : 'none'}\n`);
      if (result.error) process.stderr.write(`${formatError(result.error)}\n`);
    }
    return result.valid ? 0 : 1;
  } finally {
    await closeValidator();
  }
}
