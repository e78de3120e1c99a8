/**
 * The evaluation's numbers (pure): per-document records in, a summary and a
 * markdown table out.
 */
import type { DiagramResult, StreamEvent } from '../../common/protocol.ts';
import { mean, percentile, type EdgeScore } from './score.ts';

export interface DocResult {
  id: string;
  words: number;
  activities: { found: number; total: number; recall: number };
  edges: EdgeScore;
  /** Nodes read from the final diagram (0 when invalid). */
  nodes: number;
  result: DiagramResult | null;
  /** `code: message` when the run ended with an error event. */
  error: string | null;
  /** How many events of each type the run streamed. */
  events: Partial<Record<StreamEvent['type'], number>>;
}

export interface Summary {
  documents: number;
  /** Share of documents whose final diagram parses. */
  validRate: number;
  /** Valid as the model wrote it: no repair, no retry. */
  validAsWrittenRate: number;
  /** Share that needed at least one deterministic repair. */
  repairedRate: number;
  retriedRate: number;
  budgetCutRate: number;
  errorRate: number;
  /** How often each repair was applied. */
  repairCounts: Record<string, number>;
  /** Found / total over all documents (micro), and the mean of per-document recalls (macro). */
  activityRecall: { micro: number; macro: number };
  edges: { precision: number; recall: number; f1: number };
  latencyMs: Record<'p50' | 'p90' | 'p95' | 'max', number | null>;
  firstTokenMs: Record<'p50' | 'p95', number | null>;
  repairMs: Record<'p50' | 'p95' | 'max', number | null>;
  tokensPerSecond: number | null;
  tokens: { mean: number | null; max: number | null };
}

export interface EvalReport {
  date: string;
  model: string;
  device: string | null;
  dtype: string | null;
  budgetMs: number;
  maxNewTokens: number;
  loadMs: number;
  wallMs: number;
  summary: Summary;
  documents: DocResult[];
}

const share = (part: number, whole: number) => (whole ? part / whole : 0);

export function summarise(docs: DocResult[]): Summary {
  const results = docs.map((d) => d.result).filter((r): r is DiagramResult => r !== null);
  const n = docs.length;
  const repairCounts: Record<string, number> = {};
  for (const r of results) for (const name of r.repairs) repairCounts[name] = (repairCounts[name] ?? 0) + 1;
  const found = docs.reduce((s, d) => s + d.activities.found, 0);
  const total = docs.reduce((s, d) => s + d.activities.total, 0);
  const correct = docs.reduce((s, d) => s + d.edges.correct, 0);
  const predicted = docs.reduce((s, d) => s + d.edges.predicted, 0);
  const gold = docs.reduce((s, d) => s + d.edges.gold, 0);
  const precision = share(correct, predicted);
  const recall = share(correct, gold);
  const total_ = results.map((r) => r.timings.totalMs);
  const firstToken = results.map((r) => r.timings.firstTokenMs).filter((v): v is number => v !== null);
  const repair = results.map((r) => r.timings.repairMs);
  const speeds = results.map((r) => r.tokensPerSecond).filter((v) => v > 0);
  const tokens = results.map((r) => r.tokens);
  return {
    documents: n,
    validRate: share(results.filter((r) => r.valid).length, n),
    validAsWrittenRate: share(results.filter((r) => r.valid && r.repairs.length === 0 && !r.retried).length, n),
    repairedRate: share(results.filter((r) => r.repairs.length > 0).length, n),
    retriedRate: share(results.filter((r) => r.retried).length, n),
    budgetCutRate: share(results.filter((r) => r.budgetCut).length, n),
    errorRate: share(docs.filter((d) => d.error !== null).length, n),
    repairCounts,
    activityRecall: { micro: share(found, total), macro: mean(docs.map((d) => d.activities.recall)) ?? 0 },
    edges: { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 },
    latencyMs: { p50: percentile(total_, 50), p90: percentile(total_, 90), p95: percentile(total_, 95), max: percentile(total_, 100) },
    firstTokenMs: { p50: percentile(firstToken, 50), p95: percentile(firstToken, 95) },
    repairMs: { p50: percentile(repair, 50), p95: percentile(repair, 95), max: percentile(repair, 100) },
    tokensPerSecond: mean(speeds),
    tokens: { mean: mean(tokens), max: percentile(tokens, 100) },
  };
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const ms = (v: number | null) => (v === null ? '–' : `${Math.round(v)} ms`);

export function renderMarkdown(report: EvalReport): string {
  const s = report.summary;
  const repairs = Object.entries(s.repairCounts)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name} ×${count}`)
    .join(', ');
  const lines = [
    `## Evaluation on PET (${s.documents} descriptions)`,
    '',
    `Model \`${report.model}\` on ${report.device ?? '?'}${report.dtype ? ` (${report.dtype})` : ''}, budget ${report.budgetMs} ms, max ${report.maxNewTokens} new tokens; ${report.date}; load ${ms(report.loadMs)}, wall ${ms(report.wallMs)}.`,
    '',
    '| metric | value |',
    '| --- | --- |',
    `| valid diagrams | ${pct(s.validRate)} |`,
    `| valid as written (no repair, no retry) | ${pct(s.validAsWrittenRate)} |`,
    `| needed deterministic repairs | ${pct(s.repairedRate)}${repairs ? ` (${repairs})` : ''} |`,
    `| needed a model retry | ${pct(s.retriedRate)} |`,
    `| cut by the budget | ${pct(s.budgetCutRate)} |`,
    `| errors | ${pct(s.errorRate)} |`,
    `| activity recall (micro / macro) | ${pct(s.activityRecall.micro)} / ${pct(s.activityRecall.macro)} |`,
    `| flow-edge precision / recall / F1 | ${pct(s.edges.precision)} / ${pct(s.edges.recall)} / ${pct(s.edges.f1)} |`,
    `| latency p50 / p90 / p95 / max | ${ms(s.latencyMs.p50)} / ${ms(s.latencyMs.p90)} / ${ms(s.latencyMs.p95)} / ${ms(s.latencyMs.max)} |`,
    `| first token p50 / p95 (from holding the model) | ${ms(s.firstTokenMs.p50)} / ${ms(s.firstTokenMs.p95)} |`,
    `| extract + validate + repair p50 / p95 / max | ${ms(s.repairMs.p50)} / ${ms(s.repairMs.p95)} / ${ms(s.repairMs.max)} |`,
    `| tokens/s (mean) | ${s.tokensPerSecond === null ? '–' : s.tokensPerSecond.toFixed(1)} |`,
    `| tokens per diagram (mean / max) | ${s.tokens.mean === null ? '–' : Math.round(s.tokens.mean)} / ${s.tokens.max ?? '–'} |`,
    '',
    '<details><summary>Per document</summary>',
    '',
    '| id | words | valid | repairs | retried | activities | edges (correct/gold, predicted) | ms | tokens |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...report.documents.map((d) => {
      const r = d.result;
      return `| ${d.id} | ${d.words} | ${r ? (r.valid ? 'yes' : 'no') : (d.error ?? 'no')} | ${r?.repairs.join(', ') || '–'} | ${r?.retried ? 'yes' : 'no'} | ${d.activities.found}/${d.activities.total} | ${d.edges.correct}/${d.edges.gold}, ${d.edges.predicted} | ${r ? r.timings.totalMs : '–'} | ${r?.tokens ?? '–'} |`;
    }),
    '',
    '</details>',
    '',
  ];
  return lines.join('\n');
}
