/**
 * `npm run bench:repair [-- --json] [--failures] [--type T] [--kind K]`: the
 * answer corpus (tests/fixtures/answers/) through extract → repair, judged by
 * Mermaid's own parser and diagram database (see measure.ts):
 * valid %, valid-and-content-kept %, good answers unchanged, per diagram type,
 * mistake kind, answer form and language, and the slowest repair per type.
 * Markdown tables and the machine (for BENCHMARKS.md), or one JSON document
 * with --json. --failures lists every answer that is invalid, lost content or
 * (good) was changed, with why.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { closeDrawn, drawnContent } from '../../server/mermaid/drawn.ts';
import { closeValidator, validate } from '../../server/mermaid/validate.ts';
import { ANSWERS, readAnswer } from '../../tests/fixtures/answers/index.ts';
import { measure, type Outcome } from './measure.ts';
import { compareTable, summarize, table, type Report } from './report.ts';

const USAGE = `usage: npm run bench:repair -- [--json] [--failures] [--type T] [--kind K] [--file SUBSTRING] [--compare BEFORE.json]

  --compare F   F is the --json output of a baseline run (older code, same corpus):
                the tables show before → after`;

function options() {
  try {
    return parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        failures: { type: 'boolean', default: false },
        type: { type: 'string' },
        kind: { type: 'string' },
        file: { type: 'string' },
        compare: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`bench:repair: ${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const mem = (totalmem() / 2 ** 30).toFixed(0);
  return `${cpu} (${cpus().length} cores visible), ${mem} GiB, ${platform()} ${release()}, Node ${process.version}, load ${loadavg()[0]!.toFixed(1)}`;
}

function why(o: Outcome): string {
  if (!o.valid) return `invalid: ${(o.error ?? '').split('\n')[0]!.slice(0, 160)}`;
  const parts = [];
  if (o.unchanged === false) parts.push('good answer changed');
  if (o.missingUnits.length) parts.push(`units lost: ${o.missingUnits.join(', ')}`);
  if (o.missingWords.length) parts.push(`words lost: ${o.missingWords.join(', ')}`);
  if (o.wrongParents.length) parts.push(`moved: ${o.wrongParents.join(', ')}`);
  if (o.invented.length) parts.push(`invented: ${o.invented.join(', ')}`);
  return parts.join('; ');
}

async function main(): Promise<number> {
  const args = options();
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const cases = ANSWERS.filter(
    (c) =>
      (!args.type || c.type === args.type) &&
      (!args.kind || c.kinds.includes(args.kind) || c.form.includes(args.kind as never)) &&
      (!args.file || c.file.includes(args.file)),
  );
  // Load mermaid in both workers before timing anything.
  await validate('flowchart TD\n  A --> B');
  await drawnContent('flowchart TD\n  A --> B');
  const outcomes: Outcome[] = [];
  const started = Date.now();
  for (const c of cases) outcomes.push(await measure(c, readAnswer(c.file)));
  const seconds = (Date.now() - started) / 1000;
  await closeValidator();
  await closeDrawn();

  const report = summarize(outcomes);
  let before: Report | null = null;
  if (args.compare) {
    try {
      before = (JSON.parse(readFileSync(args.compare, 'utf8')) as { report: Report }).report;
    } catch (e) {
      process.stderr.write(`bench:repair: cannot read the baseline ${args.compare}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const show = (title: string, key: 'byType' | 'byKind' | 'byForm' | 'byLang') =>
    before ? compareTable(title, before[key], report[key]) : table(title, report[key]);
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ machine: machine(), seconds, report, outcomes: outcomes.map(({ code, ...o }) => o) })}\n`);
    return 0;
  }
  const t = report.total;
  const pct = (k: number, n: number) => (n ? ((100 * k) / n).toFixed(1) : '–');
  const out = [
    `bench:repair — ${t.n} answers in ${seconds.toFixed(1)} s on ${machine()}`,
    '',
    `valid ${pct(t.valid, t.n)}% · valid + content kept ${pct(t.kept, t.n)}% · good answers unchanged ${t.unchanged}/${t.good}`,
    ...(before ? [`before (${args.compare}): valid ${pct(before.total.valid, before.total.n)}% · valid + content kept ${pct(before.total.kept, before.total.n)}% · good answers unchanged ${before.total.unchanged}/${before.total.good}`] : []),
    '',
    show('type', 'byType'),
    '',
    show('mistake kind', 'byKind'),
    '',
    show('answer form', 'byForm'),
    '',
    show('language', 'byLang'),
  ];
  if (args.failures) {
    out.push('', 'failures:');
    for (const o of outcomes) {
      const w = why(o);
      if (w) out.push(`  ${o.file} [${o.kinds.join(' ')}] repairs=${o.repairs.join(',') || '-'}: ${w}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench:repair: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
