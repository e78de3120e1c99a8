/**
 * `mermaid-flow generate "…" [--model DIR] [--device auto|cuda|cpu] [--type T] [--direction TD|LR] [--json]`
 *
 * Runs the whole pipeline (prompt → model → extract → validate → repair →
 * one model retry if needed) and prints the final diagram on stdout, so
 * `mermaid-flow generate "…" > flow.mmd` gives a file Mermaid accepts; or,
 * with --json, the DiagramResult. Progress (load, queue, repairs, timings)
 * goes to stderr. The description may also come from stdin (`-` or a pipe).
 * Ctrl-C stops generation at the next token (exit 130).
 *
 * Exit codes: 0 a valid diagram, 1 no valid diagram (or the model did not
 * load), 2 usage, 130 interrupted.
 */
import { parseArgs } from 'node:util';
import { DIAGRAM_TYPES, DIRECTIONS, type DiagramType, type Direction } from '../../common/limits.ts';
import type { DiagramResult } from '../../common/protocol.ts';
import { ConfigError, loadConfigWith } from '../config.ts';
import { createEngine } from '../engine/index.ts';
import { GenerationQueue } from '../pipeline/queue.ts';
import { createLogger } from '../log.ts';
import { closeValidator, warmUp } from '../mermaid/validate.ts';
import { normalizeRequest } from '../../common/request.ts';
import { createPipeline } from '../pipeline/index.ts';

export const USAGE = `usage: mermaid-flow generate "DESCRIPTION" [options]
       echo "DESCRIPTION" | mermaid-flow generate [options]

Prints the final Mermaid diagram (validated, repaired when needed) on stdout.

  --type T               ${DIAGRAM_TYPES.join(' | ')} (default auto: a flowchart)
  --direction D          TD | LR, for flowcharts (default TD)
  --model DIR            local model directory (MODEL_PATH); default: MODEL_ID from the Hub
  --device D             auto | cuda | cpu (DEVICE; default auto)
  --dtype D              auto | q4f16 | q4 | fp16 | fp32 | … (DTYPE; default auto)
  --max-new-tokens N     cap on new tokens (MAX_NEW_TOKENS; default 4000)
  --budget-ms N          time budget once the model is held (BUDGET_MS; default 60000)
  --json                 print the DiagramResult as JSON (code, valid, repairs, timings, …)
  -h, --help             this help

Exit: 0 valid diagram, 1 no valid diagram or model error, 2 usage, 130 interrupted.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function summary(result: DiagramResult): string {
  const t = result.timings;
  const parts = [
    result.valid ? `valid ${result.diagramType ?? ''}`.trim() : `INVALID: ${result.error?.line ? `line ${result.error.line}: ` : ''}${result.error?.message ?? ''}`,
    result.repairs.length ? `repairs: ${result.repairs.join(', ')}` : 'no repairs',
    result.retried ? 'model retry used' : null,
    truncationNote(result),
    `${result.tokens} tokens, ${result.tokensPerSecond} tokens/s`,
    `total ${t.totalMs} ms (load ${t.loadMs}, queue ${t.queueMs}, first token ${t.firstTokenMs ?? '–'}, generation ${t.generationMs}, repair ${t.repairMs})`,
    result.device ? `${result.device}` : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** Said when the model was stopped before it finished: the diagram may be missing its end. */
export function truncationNote(result: Pick<DiagramResult, 'stopReason' | 'budgetCut'>): string | null {
  if (result.stopReason === 'max_tokens') return 'TRUNCATED at the token limit (--max-new-tokens): the diagram may be incomplete';
  if (result.budgetCut || result.stopReason === 'budget') return 'TRUNCATED by the time budget (--budget-ms): the diagram may be incomplete';
  return null;
}

/** The options that set each setting: a bad value is reported under the name the person typed. */
const OPTION_OF: Record<string, string> = {
  MODEL_PATH: '--model',
  DEVICE: '--device',
  DTYPE: '--dtype',
  MAX_NEW_TOKENS: '--max-new-tokens',
  BUDGET_MS: '--budget-ms',
};

/** "MAX_NEW_TOKENS: expected 1..32768, got 0" → "--max-new-tokens: expected …" when the option gave the value. */
export function optionProblems(problems: readonly string[], given: Record<string, string | undefined>): string[] {
  return problems.map((p) => {
    const m = /^([A-Z_]+): (.*)$/s.exec(p);
    const option = m ? OPTION_OF[m[1]!] : undefined;
    return m && option && given[m[1]!] !== undefined ? `${option}: ${m[2]}` : p;
  });
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        type: { type: 'string' },
        direction: { type: 'string' },
        model: { type: 'string' },
        device: { type: 'string' },
        dtype: { type: 'string' },
        'max-new-tokens': { type: 'string' },
        'budget-ms': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`mermaid-flow generate: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const diagramType = (values.type ?? 'auto').toLowerCase() as DiagramType;
  if (!(DIAGRAM_TYPES as readonly string[]).includes(diagramType)) {
    process.stderr.write(`mermaid-flow generate: --type must be one of ${DIAGRAM_TYPES.join(', ')}.\n`);
    return 2;
  }
  const direction = (values.direction ?? 'TD').toUpperCase() as Direction;
  if (!(DIRECTIONS as readonly string[]).includes(direction)) {
    process.stderr.write(`mermaid-flow generate: --direction must be TD or LR.\n`);
    return 2;
  }

  let description = positionals.join(' ');
  if (description === '-' || (!description && !process.stdin.isTTY)) description = await readStdin();
  description = description.trim();
  if (!description) {
    process.stderr.write(`mermaid-flow generate: give a description (argument or stdin).\n\n${USAGE}\n`);
    return 2;
  }

  let config;
  const given = {
    MODEL_PATH: values.model,
    DEVICE: values.device,
    DTYPE: values.dtype,
    MAX_NEW_TOKENS: values['max-new-tokens'],
    BUDGET_MS: values['budget-ms'],
  };
  try {
    config = loadConfigWith(given);
  } catch (error) {
    const message =
      error instanceof ConfigError
        ? optionProblems(error.problems, given).join('\n  ')
        : (error as Error).message;
    process.stderr.write(`mermaid-flow generate: ${message}\n`);
    return 2;
  }

  // The same rule book as the HTTP API (lengths, text, token cap).
  const checked = normalizeRequest({ description, diagramType, direction }, { maxNewTokens: config.maxNewTokens });
  if (!checked.ok) {
    process.stderr.write(`mermaid-flow generate: ${checked.error.message}\n`);
    return 2;
  }

  // Logs and progress go to stderr so stdout carries only the diagram (or the JSON).
  const logger = createLogger({ level: config.logLevel, name: 'cli', destination: process.stderr });
  const engine = await createEngine(config, { logger, progressBar: Boolean(process.stderr.isTTY) });
  const queue = new GenerationQueue({ maxWaiting: 0 });
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);

  try {
    // Load first, so a model that cannot load says why in the engine's own words (exit 1);
    // Mermaid's parser starts meanwhile (its worker imports mermaid once, seconds on a busy machine).
    const parser = warmUp().catch(() => {});
    try {
      await engine.load();
      await parser;
    } catch (error) {
      process.stderr.write(`mermaid-flow generate: the model did not load: ${(error as Error).message}\n`);
      return 1;
    }
    let result: DiagramResult | null = null;
    const pipeline = createPipeline({ engine, queue, budgetMs: config.budgetMs, constrain: config.constrained !== 'off' });
    for await (const event of pipeline(checked.request, controller.signal)) {
      switch (event.type) {
        case 'started':
          process.stderr.write(`generating (budget ${event.budgetMs} ms)…\n`);
          break;
        case 'invalid':
          process.stderr.write(`the model's diagram does not parse: ${event.error.line ? `line ${event.error.line}: ` : ''}${event.error.message.split('\n')[0]}\n`);
          break;
        case 'repairing':
          process.stderr.write(event.stage === 'model' ? 'asking the model to fix it…\n' : 'repairing…\n');
          break;
        case 'error':
          process.stderr.write(`mermaid-flow generate: ${event.error.message}\n`);
          if (values.json) process.stdout.write(`${JSON.stringify({ error: event.error }, null, 2)}\n`);
          return event.error.code === 'cancelled' ? 130 : 1;
        case 'done':
          result = event.result;
          break;
        default:
          break;
      }
    }
    if (!result) return controller.signal.aborted ? 130 : 1;
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (result.code) process.stdout.write(`${result.code}\n`);
    process.stderr.write(`${summary(result)}\n`);
    return result.valid ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await engine.dispose().catch(() => {});
    await closeValidator().catch(() => {});
  }
}
