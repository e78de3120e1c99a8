/**
 * `npm run bench:mermaid [-- --runs N]`: time per diagram of what the
 * pipeline does after generation — extract, validate, repair (which validates
 * after each fix) — on a generated 50-node flowchart answer, valid and broken,
 * and on answers of about 50 statements for the other types (others.ts).
 * Prints Markdown tables and the machine it ran on (for BENCHMARKS.md).
 *
 * Same calls as server/pipeline: extractDiagram → validate → repair (repair
 * runs on valid code too, to strip configuration). Target: well under 50 ms.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { extractDiagram } from '../../server/mermaid/extract.ts';
import { repair } from '../../server/mermaid/repair.ts';
import { closeValidator, validate } from '../../server/mermaid/validate.ts';
import { variants, type Variant } from './flowchart.ts';
import { otherVariants } from './others.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' }, warmup: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);

interface Sample {
  extract: number;
  validate: number;
  repair: number;
  total: number;
  /** CPU time of the whole process (main thread + mermaid worker) for the diagram. */
  cpu: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

async function once(text: string): Promise<{ sample: Sample; valid: boolean; repairs: string[] }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const extracted = extractDiagram(text);
  const t1 = performance.now();
  if (!extracted) throw new Error('bench: no diagram extracted');
  const first = await validate(extracted.code);
  const t2 = performance.now();
  const result = await repair(extracted.code);
  const t3 = performance.now();
  const cpu = process.cpuUsage(c0);
  void first;
  return {
    sample: { extract: t1 - t0, validate: t2 - t1, repair: t3 - t2, total: t3 - t0, cpu: (cpu.user + cpu.system) / 1000 },
    valid: result.valid,
    repairs: result.repairs,
  };
}

const coldStart = performance.now();
await validate('flowchart TD\n  A --> B');
const coldMs = performance.now() - coldStart;

const ms = (x: number) => x.toFixed(1);

async function measure(generate: (run: number) => Variant[]): Promise<string[]> {
  const names = generate(0).map((v) => v.name);
  const samples = new Map<string, Sample[]>(names.map((n) => [n, []]));
  const outcome = new Map<string, { valid: boolean; repairs: string[] }>();
  for (let run = 0; run < WARMUP + RUNS; run++) {
    for (const v of generate(run + 1)) {
      const r = await once(v.text);
      if (run >= WARMUP) samples.get(v.name)!.push(r.sample);
      outcome.set(v.name, { valid: r.valid, repairs: r.repairs });
    }
  }
  return names.map((name) => {
    const s = samples.get(name)!;
    const col = (k: keyof Sample) => s.map((x) => x[k]).sort((a, b) => a - b);
    const o = outcome.get(name)!;
    return `| ${name} | ${ms(percentile(col('extract'), 50))} | ${ms(percentile(col('validate'), 50))} | ${ms(percentile(col('repair'), 50))} | **${ms(percentile(col('total'), 50))}** | ${ms(percentile(col('total'), 95))} | ${ms(percentile(col('cpu'), 50))} | ${o.valid ? 'yes' : 'NO'} | ${o.repairs.join(', ') || '—'} |`;
  });
}

const rows = await measure(variants);
const otherRows = await measure(otherVariants);
await closeValidator();

const mermaidVersion = (JSON.parse(readFileSync(new URL('../../node_modules/mermaid/package.json', import.meta.url), 'utf8')) as { version: string }).version;
const cpu = cpus();
console.log(`## Mermaid stages per diagram: 50-node flowchart answer (${RUNS} runs after ${WARMUP} warm-up, ms)

| variant | extract p50 | validate p50 | repair p50 | total p50 | total p95 | CPU p50 | valid after | repairs |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |
${rows.join('\n')}

## Other diagram types, about 50 statements each (same runs, ms)

| variant | extract p50 | validate p50 | repair p50 | total p50 | total p95 | CPU p50 | valid after | repairs |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |
${otherRows.join('\n')}

Wall-clock ms; CPU = process CPU time (main thread + mermaid worker) for the whole diagram, less sensitive to other load on the machine (load average at start: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores).
Cold start (worker + jsdom + mermaid import, first validate): ${ms(coldMs)} ms, once per process.

Machine: ${platform()} ${release()}, ${cpu[0]?.model ?? 'unknown CPU'} (${cpu.length} cores), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, mermaid ${mermaidVersion}.`);
