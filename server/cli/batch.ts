/**
 * `mermaid-flow validate|repair --json FILE...`: many files in one process
 * (one Mermaid load), one JSON line per file, in the order given:
 *
 *   {"file":"a.md","valid":true,"diagramType":"flowchart","repairs":["fix-arrows"],"changes":[],
 *    "units":{"before":null,"after":7},"code":"flowchart TD\n…"}
 *
 * `units` counts what Mermaid's own diagram database draws (server/mermaid/
 * drawn.ts): `before` for the code as written (null when Mermaid rejects it),
 * `after` for the repaired code (null when still invalid). validate has only
 * `before`. A file that cannot be read gets `{"file", "valid": false,
 * "error": {"message"}}` and the run goes on. Exit status: 2 if any file
 * could not be read, else 1 if any is invalid, else 0.
 *
 * Without --json and with several files, one line per file:
 * `FILE: valid flowchart` / `FILE: line 3: Parse error…` (repair adds the
 * repairs applied).
 */
import { readFile } from 'node:fs/promises';
import type { DiagramChange, ParseError } from '../../common/protocol.ts';
import { closeDrawn, drawnContent } from '../mermaid/drawn.ts';
import { extractDiagram } from '../mermaid/extract.ts';
import { repair } from '../mermaid/repair.ts';
import { closeValidator, validate } from '../mermaid/validate.ts';
import { formatError } from './mermaid-input.ts';

export interface BatchOptions {
  command: 'validate' | 'repair';
  files: string[];
  extract: boolean;
  json: boolean;
  /** Where lines go (tests pass their own). */
  out?: (line: string) => void;
}

export interface BatchRecord {
  file: string;
  valid: boolean;
  diagramType: string | null;
  /** validate: the parser's answer, as `mermaid-flow validate --json` always printed it. */
  ok?: boolean;
  line?: number;
  message?: string;
  repairs?: string[];
  changes?: DiagramChange[];
  error?: ParseError;
  units: { before: number | null; after?: number | null } | null;
  code?: string;
}

/** Why a file has no diagram to check (IO errors are told apart: they make the exit status 2). */
type Input = { code: string } | { problem: string; io: boolean };

async function readInput(file: string, extract: boolean): Promise<Input> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    return { problem: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, io: true };
  }
  if (!text.trim()) return { problem: `${file === '-' ? 'stdin' : file} is empty: there is no diagram to check`, io: false };
  if (!extract) return { code: text };
  const found = extractDiagram(text);
  return found ? { code: found.code } : { problem: `no diagram found in ${file === '-' ? 'stdin' : file}`, io: false };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function unitCount(code: string): Promise<number | null> {
  const drawn = await drawnContent(code);
  return drawn.ok ? drawn.units.length : null;
}

async function check(command: BatchOptions['command'], file: string, input: Input): Promise<BatchRecord> {
  if ('problem' in input) {
    const error = { message: input.problem };
    return command === 'validate'
      ? { file, valid: false, ok: false, diagramType: null, message: input.problem, units: null }
      : { file, valid: false, diagramType: null, repairs: [], changes: [], error, units: null };
  }
  // The parser and the database reader are two workers: count units while the next parse runs.
  const before = unitCount(input.code);
  if (command === 'validate') {
    const v = await validate(input.code);
    const units = { before: await before };
    return v.ok
      ? { file, valid: true, ok: true, diagramType: v.diagramType, units }
      : { file, valid: false, ok: false, diagramType: null, ...(v.line === undefined ? {} : { line: v.line }), message: v.message, units };
  }
  const result = await repair(input.code);
  const after = result.valid ? unitCount(result.code) : Promise.resolve(null);
  return { file, ...result, units: { before: await before, after: await after } };
}

function textLine(record: BatchRecord): string {
  const where = `${record.file}: `;
  const repairs = record.repairs?.length ? ` (repairs: ${record.repairs.join(', ')})` : '';
  if (record.valid) return `${where}valid ${record.diagramType}${repairs}`;
  const error = record.error ?? { ...(record.line === undefined ? {} : { line: record.line }), message: record.message ?? 'invalid' };
  return `${where}${formatError(error).split('\n')[0]}${repairs}`;
}

export async function runBatch(options: BatchOptions): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  let invalid = false;
  let ioError = false;
  try {
    for (const file of options.files) {
      const input = await readInput(file, options.extract);
      if ('problem' in input && input.io) ioError = true;
      const record = await check(options.command, file, input);
      if (!record.valid) invalid = true;
      out(options.json ? JSON.stringify(record) : textLine(record));
    }
  } finally {
    await closeValidator();
    await closeDrawn();
  }
  return ioError ? 2 : invalid ? 1 : 0;
}
