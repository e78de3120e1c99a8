/**
 * "Watch it draw": while a run streams, the diagram is redrawn from each
 * valid candidate, growing, before the run ends — and the page never blanks.
 *
 * A tape model decodes a whole diagram in tens of milliseconds on this CPU
 * (the fused loop streams it in one or two chunks), too fast to see anything
 * in between. So this test drives the real server with ENGINE=scripted
 * (server/engine/scripted.ts: the same Engine contract, a canned answer
 * streamed at a human pace of ~15 ms per word), which is what is under test
 * here: the pipeline's candidate events and the UI's progressive rendering.
 * The tape-model path end to end is covered by ui.test.ts.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppPage } from './support/app.ts';
import { openPage, type Watched } from './support/browser.ts';
import { startScriptedServer, type TestServer } from './support/server.ts';
import { SHOTS, skipE2e, startApp } from './support/suite.ts';

const STEPS = 40; // ~290 tokens at ~15 ms: about 4 s of streaming, room for several drawings on a slow machine
const DIAGRAM = [
  'flowchart TD',
  ...Array.from({ length: STEPS - 1 }, (_, i) => `  S${i}[Step ${i} of the onboarding] --> S${i + 1}`),
  `  S${STEPS - 1}[Step ${STEPS - 1} of the onboarding]`,
].join('\n');
const ANSWER = `Here is the onboarding process:\n\n\`\`\`mermaid\n${DIAGRAM}\n\`\`\`\n`;

describe.skipIf(skipE2e)('watching the diagram draw while it streams', () => {
  let server: TestServer;
  let browser: Browser;
  let w: Watched;

  beforeAll(async () => {
    ({ server, browser } = await startApp(() => startScriptedServer(ANSWER)));
    w = await openPage(browser, `${server.url}/`);
    await new AppPage(w.page).waitForEditor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('redraws a growing diagram from the candidates before the run ends, never blank', async () => {
    const app = new AppPage(w.page);
    // Record, at every change, the phase and how many nodes the drawn SVG has.
    await w.page.evaluate(() => {
      const seen: { phase: string; nodes: number }[] = ((window as unknown as { __draws: typeof seen }).__draws = []);
      const record = () => {
        const phase = document.querySelector('[data-testid=run-status]')?.getAttribute('data-phase') ?? 'none';
        const nodes = document.querySelectorAll('[data-testid=diagram] svg g.node').length;
        const last = seen.at(-1);
        if (!last || last.phase !== phase || last.nodes !== nodes) seen.push({ phase, nodes });
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await app.description().fill('Onboarding a new employee, step by step.');
    await app.generateButton().click();
    // A partial diagram on screen while the run is still going: look at it.
    await w.page.waitForFunction(
      () =>
        document.querySelector('[data-testid=run-status]')?.getAttribute('data-phase') === 'generating' &&
        document.querySelectorAll('[data-testid=diagram] svg g.node').length > 2,
      undefined,
      { timeout: 60_000 },
    );
    await w.page.screenshot({ path: join(SHOTS, 'streaming-partial.png') });
    await app.waitForPhase('done');
    await app.waitForSvgText(`Step ${STEPS - 1} of the onboarding`);

    const draws = await w.page.evaluate(() => (window as unknown as { __draws: { phase: string; nodes: number }[] }).__draws);
    const whileGenerating = [...new Set(draws.filter((d) => d.phase === 'generating' && d.nodes > 0).map((d) => d.nodes))];
    // several partial drawings, each larger than the one before
    expect(whileGenerating.length, JSON.stringify(draws)).toBeGreaterThanOrEqual(2);
    expect(whileGenerating).toEqual([...whileGenerating].sort((a, b) => a - b));
    expect(whileGenerating[0]).toBeLessThan(STEPS); // a partial diagram, drawn before the whole was written
    // once something was drawn, the canvas never went back to empty
    const first = draws.findIndex((d) => d.nodes > 0);
    expect(draws.slice(first).every((d) => d.nodes > 0), JSON.stringify(draws)).toBe(true);
    expect(await w.page.locator('[data-testid=diagram] svg g.node').count()).toBe(STEPS);
    expect(await app.editorText()).toBe(DIAGRAM);
    expect(w.problems).toEqual([]);
    expect(w.dialogs).toEqual([]);
  });

  it('refines the current diagram by instruction: the request carries the diagram and the instruction', async () => {
    const app = new AppPage(w.page);
    const before = await app.editorText();
    const sent: unknown[] = [];
    w.page.on('request', (r) => {
      if (r.url().endsWith('/api/generate/stream')) sent.push(r.postDataJSON());
    });
    const instruction = w.page.getByLabel('Refinement instruction');
    await instruction.fill('add a manager approval step after step 3');
    // The recorder from the first test is still observing: start a fresh record for this run.
    await w.page.evaluate(() => void ((window as unknown as { __draws: unknown[] }).__draws.length = 0));
    await w.page.keyboard.press('Enter');
    await app.waitForPhase('generating');
    // The turn streams in the thread: it shows as running, with its instruction, while tokens arrive.
    const running = w.page.locator('[data-testid=turn][data-status=running]');
    await running.waitFor();
    expect(await running.textContent()).toContain('add a manager approval step after step 3');
    expect(await running.textContent()).toMatch(/Refining… \d+ tokens/);
    await running.scrollIntoViewIfNeeded();
    await w.page.getByTestId('thread').screenshot({ path: join(SHOTS, 'refine-thread-scripted.png') });
    await app.waitForPhase('done');
    await w.page.locator('[data-testid=turn][data-status=done]').nth(1).waitFor();
    // The new run's first candidate is the bare header line: the old drawing stays until there is more.
    const draws = await w.page.evaluate(() => (window as unknown as { __draws: { phase: string; nodes: number }[] }).__draws);
    expect(draws.every((d) => d.nodes > 0), JSON.stringify(draws)).toBe(true);
    expect(sent).toEqual([
      expect.objectContaining({ currentDiagram: before, instruction: 'add a manager approval step after step 3', description: 'Onboarding a new employee, step by step.' }),
    ]);
    // the scripted model answers with the same diagram; what matters is that it was drawn again, complete
    expect(await w.page.locator('[data-testid=diagram] svg g.node').count()).toBe(STEPS);
    expect(w.problems).toEqual([]);
  });

  it('keyboard: Generate turns into Stop under the focus, so Enter stops the run', async () => {
    const app = new AppPage(w.page);
    await app.generateButton().focus();
    await w.page.keyboard.press('Enter');
    await app.waitForPhase('generating');
    const focused = () => w.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
    expect(await focused()).toBe('stop');
    await w.page.keyboard.press('Enter');
    await app.waitForPhase('aborted');
    expect(await focused()).toBe('generate');
    // stopped before the end: the last drawing is still there
    expect(await w.page.locator('[data-testid=diagram] svg g.node').count()).toBeGreaterThan(0);
    expect(w.problems).toEqual([]);
  });
});
