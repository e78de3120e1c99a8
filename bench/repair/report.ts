/**
 * Outcomes → the bench:repair figures: per diagram type, per mistake kind,
 * per answer form, and overall. Pure.
 */
import type { Outcome } from './measure.ts';

export interface Row {
  group: string;
  n: number;
  valid: number;
  kept: number;
  /** Good answers in the group, and how many came back unchanged. */
  good: number;
  unchanged: number;
  /** Slowest repair in the group, wall-clock ms. */
  worstMs: number;
  /** Most CPU one repair of the group took (all threads), ms. */
  worstCpuMs: number;
}

export interface Report {
  total: Row;
  byType: Row[];
  byKind: Row[];
  byForm: Row[];
  byLang: Row[];
}

function row(group: string, outcomes: Outcome[]): Row {
  return {
    group,
    n: outcomes.length,
    valid: outcomes.filter((o) => o.valid).length,
    kept: outcomes.filter((o) => o.kept).length,
    good: outcomes.filter((o) => o.good).length,
    unchanged: outcomes.filter((o) => o.unchanged === true).length,
    worstMs: outcomes.reduce((m, o) => Math.max(m, o.repairMs), 0),
    worstCpuMs: outcomes.reduce((m, o) => Math.max(m, o.repairCpuMs), 0),
  };
}

function groupBy(outcomes: Outcome[], keys: (o: Outcome) => string[]): Row[] {
  const groups = new Map<string, Outcome[]>();
  for (const o of outcomes) for (const k of keys(o)) groups.set(k, [...(groups.get(k) ?? []), o]);
  return [...groups].map(([k, v]) => row(k, v)).sort((a, b) => b.n - a.n || a.group.localeCompare(b.group));
}

export function summarize(outcomes: Outcome[]): Report {
  return {
    total: row('all', outcomes),
    byType: groupBy(outcomes, (o) => [o.type]),
    byKind: groupBy(outcomes, (o) => o.kinds),
    byForm: groupBy(outcomes, (o) => o.form),
    byLang: groupBy(outcomes, (o) => [o.lang]),
  };
}

const pct = (k: number, n: number) => (n === 0 ? '–' : `${((100 * k) / n).toFixed(1)}%`);

export function table(title: string, rows: Row[]): string {
  const lines = [
    `| ${title} | answers | valid | valid + content kept | good unchanged | worst repair ms | worst repair CPU ms |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const good = r.good === 0 ? '–' : `${r.unchanged}/${r.good}`;
    lines.push(`| ${r.group} | ${r.n} | ${pct(r.valid, r.n)} | ${pct(r.kept, r.n)} | ${good} | ${r.worstMs.toFixed(0)} | ${r.worstCpuMs.toFixed(0)} |`);
  }
  return lines.join('\n');
}

/**
 * The same table with a baseline run beside it (`bench:repair -- --json` of
 * the older code on the same corpus): `before → after` for the two shares.
 */
export function compareTable(title: string, before: Row[], after: Row[], minAnswers = 1): string {
  const old = new Map(before.map((r) => [r.group, r]));
  const lines = [
    `| ${title} | answers | valid before → after | valid + content kept before → after | good unchanged (after) | worst repair ms (after) | worst repair CPU ms (after) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of after) {
    if (r.n < minAnswers) continue;
    const b = old.get(r.group);
    const was = (k: 'valid' | 'kept') => (b ? pct(b[k], b.n) : '–');
    const good = r.good === 0 ? '–' : `${r.unchanged}/${r.good}`;
    lines.push(
      `| ${r.group} | ${r.n} | ${was('valid')} → **${pct(r.valid, r.n)}** | ${was('kept')} → **${pct(r.kept, r.n)}** | ${good} | ${r.worstMs.toFixed(0)} | ${r.worstCpuMs.toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}
