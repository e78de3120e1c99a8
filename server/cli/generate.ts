/**
 * `mermaid-flow generate "…" [--model DIR] [--device auto|cuda|cpu] [--dtype D]
 *  [--max-new-tokens N] [--budget-ms N] [--json]`
 *
 * Loads the model (progress bar on a terminal, logs on stderr), then streams
 * the model's text to stdout, or prints one JSON object with --json. The
 * description may also come from stdin (`-` or no argument with a pipe).
 * Ctrl-C stops generation at the next token and prints what came (exit 130).
 *
 * For now this prints the model's raw text; the diagram pipeline builds the
 * prompt and the final diagram on top of the same engine.
 */
import { parseArgs } from 'node:util';
import { loadConfigWith } from '../config.ts';
import { createEngine } from '../engine/index.ts';
import type { ChatMessage, GenerationOutput } from '../engine/types.ts';
import { createLogger } from '../log.ts';

export const USAGE = `usage: mermaid-flow generate "DESCRIPTION" [options]
       echo "DESCRIPTION" | mermaid-flow generate [options]

  --model DIR            local model directory (MODEL_PATH); default: MODEL_ID from the Hub
  --device D             auto | cuda | cpu (DEVICE; default auto)
  --dtype D              auto | q4f16 | q4 | fp16 | fp32 | … (DTYPE; default auto)
  --max-new-tokens N     cap on new tokens (MAX_NEW_TOKENS; default 4000)
  --budget-ms N          time budget once the model is loaded (BUDGET_MS; default 60000)
  --system TEXT          a system message before the description
  --json                 print one JSON object (text, tokens, stopReason, timings, device)
  -h, --help             this help`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        model: { type: 'string' },
        device: { type: 'string' },
        dtype: { type: 'string' },
        'max-new-tokens': { type: 'string' },
        'budget-ms': { type: 'string' },
        system: { type: 'string' },
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

  let description = positionals.join(' ');
  if (description === '-' || (!description && !process.stdin.isTTY)) description = await readStdin();
  description = description.trim();
  if (!description) {
    process.stderr.write(`mermaid-flow generate: give a description (argument or stdin).\n\n${USAGE}\n`);
    return 2;
  }

  let config;
  try {
    config = loadConfigWith({
      MODEL_PATH: values.model,
      DEVICE: values.device,
      DTYPE: values.dtype,
      MAX_NEW_TOKENS: values['max-new-tokens'],
      BUDGET_MS: values['budget-ms'],
    });
  } catch (error) {
    process.stderr.write(`mermaid-flow generate: ${(error as Error).message}\n`);
    return 2;
  }

  // Logs go to stderr so stdout carries only the model's text (or the JSON).
  const logger = createLogger({ level: config.logLevel, name: 'cli', destination: process.stderr });
  const engine = await createEngine(config, { logger, progressBar: Boolean(process.stderr.isTTY) });
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);

  try {
    const loadStart = Date.now();
    try {
      await engine.load();
    } catch (error) {
      process.stderr.write(`mermaid-flow generate: the model did not load: ${(error as Error).message}\n`);
      return 1;
    }
    const loadMs = Date.now() - loadStart;

    const messages: ChatMessage[] = [];
    if (values.system) messages.push({ role: 'system', content: values.system });
    messages.push({ role: 'user', content: description });

    const stream = !values.json;
    let output: GenerationOutput;
    try {
      output = await engine.generate(messages, {
        deadline: Date.now() + config.budgetMs,
        signal: controller.signal,
        maxNewTokens: config.maxNewTokens,
        onToken: stream ? (text) => process.stdout.write(text) : undefined,
      });
    } catch (error) {
      process.stderr.write(`mermaid-flow generate: generation failed: ${(error as Error).message}\n`);
      return 1;
    }

    const status = engine.status();
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({ ...output, loadMs, model: status.model, device: status.device, dtype: status.dtype }, null, 2)}\n`,
      );
    } else {
      if (!output.text.endsWith('\n')) process.stdout.write('\n');
      const tps = output.generationMs > 0 ? ((output.tokens / output.generationMs) * 1000).toFixed(1) : '–';
      process.stderr.write(
        `[${output.stopReason}] ${output.tokens} tokens in ${output.generationMs} ms (${tps} tokens/s), ` +
          `first token ${output.firstTokenMs ?? '–'} ms, prompt ${output.promptTokens} tokens, ` +
          `${status.device ?? '?'}/${status.dtype ?? '?'}, load ${loadMs} ms\n`,
      );
      if (output.stopReason === 'budget') process.stderr.write(`stopped by the time budget (${config.budgetMs} ms)\n`);
    }
    return output.stopReason === 'aborted' ? 130 : 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await engine.dispose().catch(() => {});
  }
}
