/**
 * `mermaid-flow repair FILE|-` — applies the deterministic repairs (and
 * strips configuration) and prints the resulting diagram on stdout; the
 * repairs applied, and the remaining parse error if any, go to stderr.
 * Exit 0 when the result validates, 1 when it could not be repaired, 2 usage
 * or IO error.
 */
import { repair } from '../mermaid/repair.ts';
import { closeValidator } from '../mermaid/validate.ts';
import { formatError, readMermaidInput } from './mermaid-input.ts';

export const USAGE = `usage: mermaid-flow repair FILE|- [options]

  --extract    the input is a model answer: repair the diagram found in it
  --json       print the whole result as JSON (code, valid, diagramType, repairs, error)
  -h, --help   this help

exit status: 0 the result is valid, 1 it could not be repaired, 2 usage or IO error`;

export async function run(args: string[]): Promise<number> {
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
