/**
 * `npm run eval`: the pipeline over PET's 45 process descriptions with
 * whatever model is configured, scored against the gold graphs.
 *
 *   npm run eval                                  # the configured model (MODEL_PATH / MODEL_ID, DEVICE, …)
 *   npm run eval -- --model DIR --limit 3         # a local model dir, the first 3 documents
 *   npm run eval -- --device cuda --out bench/out
 *
 * Writes bench/out/eval-<time>.json (every document: code, result, scores)
 * and .md (the summary for BENCHMARKS.md), and prints the markdown.
 * Documents run one after another, as one user would: latencies are per
 * request with an idle queue.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DiagramResult, StreamEvent } from '../../common/protocol.ts';
import { loadConfig, modelSource, type Config } from '../../server/config.ts';
import { createEngine } from '../../server/engine/index.ts';
import { GenerationQueue } from '../../server/pipeline/queue.ts';
import type { Engine } from '../../server/engine/types.ts';
import { closeValidator, warmUp } from '../../server/mermaid/validate.ts';
import { normalizeRequest } from '../../common/request.ts';
import { createPipeline } from '../../server/pipeline/index.ts';
import { parseFlowchart } from './flowchart.ts';
import { goldGraph, readPet } from './pet.ts';
import { renderMarkdown, summarise, type DocResult, type EvalReport } from './report.ts';
import { activityRecall, edgeScore } from './score.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_PET = resolve(root, '../shared/corpus/pet/pet.jsonl');

export interface EvalOptions {
  config: Config;
  petFile?: string;
  limit?: number;
  /** Where the reports go (default bench/out); null = do not write. */
  outDir?: string | null;
  /** An engine to use instead of building one from the config (tests). */
  engine?: Engine;
  onProgress?: (line: string) => void;
  /** Stop Mermaid's parser worker at the end (default true; tests sharing it pass false). */
  closeValidator?: boolean;
}

export interface EvalRun {
  report: EvalReport;
  markdown: string;
  files: string[];
}

export async function runEval(options: EvalOptions): Promise<EvalRun> {
  const { config } = options;
  const docs = readPet(options.petFile ?? DEFAULT_PET).slice(0, options.limit ?? undefined);
  const queue = new GenerationQueue({ maxWaiting: 0 });
  const engine = options.engine ?? (await createEngine(config, { progressBar: false }));
  const started = Date.now();
  const loadStart = Date.now();
  // Load the model and start Mermaid's parser first, so the first document's latency is a request's, not a cold start's.
  await Promise.all([engine.load(), warmUp()]);
  const loadMs = Date.now() - loadStart;

  const pipeline = createPipeline({ engine, queue, budgetMs: config.budgetMs, constrain: config.constrained !== 'off' });
  const results: DocResult[] = [];
  for (const [index, doc] of docs.entries()) {
    const gold = goldGraph(doc);
    let result: DiagramResult | null = null;
    let error: string | null = null;
    const events: Record<string, number> = {};
    const checked = normalizeRequest({ description: gold.description }, { maxNewTokens: config.maxNewTokens });
    if (!checked.ok) error = `${checked.error.code}: ${checked.error.message}`;
    else {
      for await (const event of pipeline(checked.request, new AbortController().signal)) {
        events[event.type] = (events[event.type] ?? 0) + 1;
        if (event.type === 'done') result = event.result;
        if (event.type === 'error') error = `${event.error.code}: ${event.error.message}`;
      }
    }
    const graph = parseFlowchart(result?.valid ? result.code : '');
    const activities = activityRecall(gold, graph);
    const edges = edgeScore(gold, graph);
    results.push({
      id: gold.id,
      words: gold.description.split(/\s+/).length,
      activities: activities,
      edges,
      nodes: graph.nodes.size,
      result,
      error,
      events: events as Partial<Record<StreamEvent['type'], number>>,
    });
    options.onProgress?.(
      `[${index + 1}/${docs.length}] ${gold.id}: ${result ? (result.valid ? 'valid' : 'invalid') : error} · ` +
        `activities ${activities.found}/${activities.total} · edges ${edges.correct}/${edges.gold} (predicted ${edges.predicted}) · ` +
        `${result ? `${result.timings.totalMs} ms, ${result.tokens} tokens` : ''}`,
    );
  }

  const status = engine.status();
  const report: EvalReport = {
    date: new Date(started).toISOString(),
    model: status.model || modelSource(config),
    device: status.device,
    dtype: status.dtype,
    budgetMs: config.budgetMs,
    maxNewTokens: config.maxNewTokens,
    loadMs,
    wallMs: Date.now() - started,
    summary: summarise(results),
    documents: results,
  };
  await engine.dispose();
  if (options.closeValidator !== false) await closeValidator();
  const markdown = renderMarkdown(report);

  const files: string[] = [];
  if (options.outDir !== null) {
    const outDir = options.outDir ?? resolve(root, 'bench/out');
    await mkdir(outDir, { recursive: true });
    const stamp = report.date.replace(/[:.]/g, '-');
    const base = resolve(outDir, `eval-${stamp}`);
    await writeFile(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
    await writeFile(`${base}.md`, markdown);
    files.push(`${base}.json`, `${base}.md`);
  }
  return { report, markdown, files };
}

const USAGE = `Usage: npm run eval -- [--model DIR] [--device auto|cuda|cpu] [--limit N] [--pet FILE] [--out DIR]
The rest of the configuration comes from the environment, as for the server (MODEL_ID, DTYPE, BUDGET_MS, …).`;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        model: { type: 'string' },
        device: { type: 'string' },
        limit: { type: 'string' },
        pet: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const limit = args.limit === undefined ? undefined : Number(args.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    process.stderr.write(`--limit must be a positive whole number\n${USAGE}\n`);
    return 2;
  }
  const base = loadConfig();
  const device = args.device as Config['device'] | undefined;
  if (device && !['auto', 'cuda', 'cpu'].includes(device)) {
    process.stderr.write(`--device must be auto, cuda or cpu\n${USAGE}\n`);
    return 2;
  }
  const config: Config = Object.freeze({
    ...base,
    ...(args.model ? { modelPath: resolve(args.model), engine: 'transformers' as const } : {}),
    ...(device ? { device } : {}),
  });
  process.stderr.write(`eval: ${args.model ? basename(resolve(args.model)) : modelSource(config)} on PET${limit ? ` (first ${limit})` : ''}\n`);
  const run = await runEval({
    config,
    petFile: args.pet ? resolve(args.pet) : undefined,
    limit,
    outDir: args.out ? resolve(args.out) : undefined,
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(run.markdown);
  for (const file of run.files) process.stderr.write(`wrote ${file}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`eval failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
