/**
 * `npx tsx bench/mermaid/worst-case.ts [--runs N]`: adversarial answers at
 * the size limit (MAX_DIAGRAM_CHARS, 20,000 characters) for each diagram
 * type — long runs of spaces around colons and arrows, a 1,000-node `&`
 * flowchart, front matter followed by 20,000 newlines, deep nesting —
 * each sent through extractDiagram → repair() as the pipeline does. Reports
 * per input the p50/p99/max repair time and the longest event-loop block
 * seen while it ran (a 1 ms setInterval probe plus monitorEventLoopDelay),
 * as Markdown, with the machine. Issue 12's targets: p99 < 250 ms, no block
 * over 20 ms. Each input runs twice in the same process: repair() on this
 * thread (the baseline), and repairOffThread() as the server calls it (the
 * repair thread, with its time limit; `--off-thread-only` runs just that).
 * Remembered verdicts are forgotten before every run, so every run parses.
 */
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { extractDiagram } from '../../server/mermaid/extract.ts';
import { repair } from '../../server/mermaid/repair.ts';
import { closeRepairThread, repairOffThread, warmUpRepairThread } from '../../server/mermaid/repair-thread.ts';
import { WORST_CASES } from './worst-inputs.ts';
import { closeValidator, forgetVerdicts, warmUp } from '../../server/mermaid/validate.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'in-thread-only': { type: 'boolean' }, 'off-thread-only': { type: 'boolean' } } });
const RUNS = Number(values.runs);

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/** Runs `fn` while probing the event loop; returns its time and the longest block seen. */
export async function probe<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number; blockMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  histogram.enable();
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  worst = Math.max(worst, performance.now() - last);
  clearInterval(timer);
  histogram.disable();
  return { result, ms, blockMs: Math.max(worst, histogram.max / 1e6) };
}

async function table(label: string, run: (code: string) => Promise<{ valid: boolean } | null>): Promise<void> {
  console.log(`\n${label}\n`);
  console.log('| input (20,000 chars) | valid | p50 ms | p99 ms | max ms | max event-loop block ms |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const { name, text } of WORST_CASES) {
    const times: number[] = [];
    let block = 0;
    let valid = false;
    for (let r = 0; r < RUNS; r++) {
      forgetVerdicts();
      const one = await probe(async () => {
        const found = extractDiagram(text);
        return found ? run(found.code) : null;
      });
      times.push(one.ms);
      block = Math.max(block, one.blockMs);
      valid = one.result?.valid ?? false;
    }
    times.sort((a, b) => a - b);
    console.log(`| ${name} | ${valid ? 'yes' : 'no'} | ${percentile(times, 50).toFixed(0)} | ${percentile(times, 99).toFixed(0)} | ${times.at(-1)!.toFixed(0)} | ${block.toFixed(0)} |`);
  }
}

async function main(): Promise<void> {
  await warmUp();
  console.log(`Machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node ${process.version}, load ${loadavg()[0]!.toFixed(1)}; ${RUNS} runs per input`);
  if (!values['off-thread-only']) await table('repair() on the event loop (baseline)', repair);
  if (!values['in-thread-only']) {
    await warmUpRepairThread();
    await table('repairOffThread(), as the server runs it (repair thread, 10 s limit)', (code) => repairOffThread(code));
  }
  await closeValidator();
  await closeRepairThread();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
