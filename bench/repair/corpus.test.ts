/**
 * The answer corpus (tests/fixtures/answers/) through extract → repair,
 * judged by Mermaid's parser and diagram database, as `npm run bench:repair`
 * does. Asserts only what has been reached (BENCHMARKS.md has the table), so
 * that a regression fails: every good answer comes back unchanged and fully
 * drawn, and the share of answers valid / valid with their content kept
 * stays at or above the floors below. Raise the floors when the numbers rise.
 */
import { afterAll, expect, it } from 'vitest';
import { closeDrawn } from '../../server/mermaid/drawn.ts';
import { closeValidator } from '../../server/mermaid/validate.ts';
import { ANSWERS, readAnswer } from '../../tests/fixtures/answers/index.ts';
import { measure, type Outcome } from './measure.ts';
import { summarize } from './report.ts';

/** Reached on main when this test was last updated (see BENCHMARKS.md), rounded down. */
const VALID_FLOOR = 0.99;
const KEPT_FLOOR = 0.99;

afterAll(async () => {
  await closeValidator();
  await closeDrawn();
});

it('the corpus keeps its numbers: good answers unchanged, valid and content-kept shares at their floors', async () => {
  const outcomes: Outcome[] = [];
  for (const c of ANSWERS) outcomes.push(await measure(c, readAnswer(c.file)));
  const { total } = summarize(outcomes);

  const goodChanged = outcomes.filter((o) => o.good && !(o.unchanged && o.kept)).map((o) => o.file);
  expect(goodChanged, 'good answers must come back unchanged and fully drawn').toEqual([]);
  expect(total.good).toBeGreaterThan(0);
  expect(total.valid / total.n).toBeGreaterThanOrEqual(VALID_FLOOR);
  expect(total.kept / total.n).toBeGreaterThanOrEqual(KEPT_FLOOR);
}, 300_000);
