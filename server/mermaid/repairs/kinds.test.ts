/**
 * Table tests for the repairs that fill in or move what Mermaid cannot take
 * as written (several mindmap roots, a journey task without a score, block
 * diagrams misread, gantt task names read as keywords), and the `changes`
 * they report. Rows in several languages and sizes: the rule, not one example.
 */
import { describe, expect, it } from 'vitest';
import { blockMisreads } from './block.ts';
import { escapeText } from './escapeText.ts';
import { journeyMissingScores } from './journey.ts';
import { mindmapRoots } from './mindmap.ts';
import { table } from './table.ts';

table(mindmapRoots, [
  ['two roots (ko)', 'mindmap\n  건강\n    운동\n  식습관\n    채소', 'mindmap\n  건강\n      운동\n    식습관\n      채소'],
  ['three roots, one less indented than the first (en)', 'mindmap\n  Trip\n    Budget\n  Route\n Stops', 'mindmap\n  Trip\n       Budget\n     Route\n    Stops'],
  ['roots at column 0 with tab children (ar)', 'mindmap\nالسفر\n\tالميزانية\nالطريق', 'mindmap\nالسفر\n      الميزانية\n  الطريق'],
  ['one root: untouched', 'mindmap\n  root((Trip))\n    Budget\n    Route', 'mindmap\n  root((Trip))\n    Budget\n    Route'],
]);

table(journeyMissingScores, [
  ['task with actors, no score (ja)', 'journey\n  title 受診\n  section 受付\n    待合室で待つ: 患者\n    診察: 4: 患者', 'journey\n  title 受診\n  section 受付\n    待合室で待つ: 3: 患者\n    診察: 4: 患者'],
  ['task with no colon at all, several actors (fr)', 'journey\n  section Achat\n    Comparer les prix\n    Payer: Client, Banque', 'journey\n  section Achat\n    Comparer les prix: 3\n    Payer: 3: Client, Banque'],
  ['scored tasks, words scores and titles untouched', 'journey\n  title Trip: day 1\n  section A\n    Go: 5: Me\n    Pay: high: Me', 'journey\n  title Trip: day 1\n  section A\n    Go: 5: Me\n    Pay: high: Me'],
]);

table(blockMisreads, [
  ['direction line (he)', 'block-beta\n  direction LR\n  a["קליטה"] --> b["אריזה"]', 'block-beta\n  %% direction LR\n  a["קליטה"] --> b["אריזה"]'],
  ['ids with spaces used in edges (en)', 'block-beta\n  columns 2\n  Payment Service["Payment"] Fraud Check["Fraud"]\n  Payment Service --> Fraud Check', 'block-beta\n  columns 2\n  Payment_Service["Payment"] Fraud_Check["Fraud"]\n  Payment_Service --> Fraud_Check'],
  ['blocks listed on one line, single-word edges: untouched', 'block-beta\n  columns 3\n  a b c\n  a --> b', 'block-beta\n  columns 3\n  a b c\n  a --> b'],
]);

table(escapeText, [
  ['task names starting with gantt keywords (en, de)', 'gantt\n  dateFormat YYYY-MM-DD\n  section Plan\n  Section headings :p1, 2025-01-01, 2d\n  Title page :t1, after p1, 1d\n  Excludes prüfen :e1, after t1, 3d', 'gantt\n  dateFormat YYYY-MM-DD\n  section Plan\n  #83;ection headings :p1, 2025-01-01, 2d\n  #84;itle page :t1, after p1, 1d\n  #69;xcludes prüfen :e1, after t1, 3d'],
  ['a title or section with a colon is not a task', 'gantt\n  title Plan: 2025 launch\n  dateFormat YYYY-MM-DD\n  section Phase 1: Design\n  A :a1, 2025-01-01, 2d', 'gantt\n  title Plan: 2025 launch\n  dateFormat YYYY-MM-DD\n  section Phase 1: Design\n  A :a1, 2025-01-01, 2d'],
]);

describe('changes the filling and moving repairs report', () => {
  it('names every task given the neutral score', () => {
    const before = 'journey\n  section S\n    Wait: Me\n    Pay\n    Go: 2: Me';
    expect(journeyMissingScores.changes?.(before, journeyMissingScores.apply(before))).toEqual([
      { kind: 'added-value', message: 'The task “Wait” had no score: drawn with 3 (neutral), not the model\'s.', line: 3 },
      { kind: 'added-value', message: 'The task “Pay” had no score: drawn with 3 (neutral), not the model\'s.', line: 4 },
    ]);
  });

  it('names every root moved under the first', () => {
    const before = 'mindmap\n  Trip\n  Route\n    Stops\n  Food';
    expect(mindmapRoots.changes?.(before, mindmapRoots.apply(before)).map((c) => [c.kind, c.line])).toEqual([
      ['joined-roots', 3],
      ['joined-roots', 5],
    ]);
  });
});
