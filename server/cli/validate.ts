/**
 * `mermaid-flow validate FILE|-` — checks Mermaid code with Mermaid's own
 * parser. Exit 0 valid (prints the diagram type), 1 invalid (prints
 * `line N: message`), 2 usage or IO error.
 */
import { closeValidator, validate } from '../mermaid/validate.ts';
import { formatError, readMermaidInput } from './mermaid-input.ts';

export const USAGE = `usage: mermaid-flow validate FILE|- [options]

  --extract    the input is a model answer: validate the diagram found in it
  --json       print the result as JSON ({ok, diagramType} or {ok, line, message})
  -h, --help   this help

exit status: 0 valid, 1 invalid, 2 usage or IO error`;

export async function run(args: string[]): Promise<number> {
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
