/**
 * Every failure explained where the person looks, in Chromium against the
 * real server: a model that cannot load (the reason and the next step in the
 * page, no "try again" that cannot help), a model that writes no diagram
 * (said as such, on the canvas too, with badges that match), and the very
 * first start, when the UI is still being built (a page that says so and
 * reloads itself into the app).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppPage } from './support/app.ts';
import { launch, openPage } from './support/browser.ts';
import { buildUi, startServer, type TestServer } from './support/server.ts';
import { SHOTS, skipE2e } from './support/suite.ts';

describe.skipIf(skipE2e)('failures, explained in the page', () => {
  let browser: Browser;
  let server: TestServer | null = null;

  beforeAll(async () => {
    buildUi();
    browser = await launch();
  });
  afterEach(async () => {
    await server?.stop();
    server = null;
  });
  afterAll(async () => browser?.close());

  it('a model that cannot load: the reason and what to do, in the page; no retry advice', async () => {
    server = await startServer({ text: 'unused', env: { MODEL_PATH: join(tmpdir(), 'no-such-model-folder') }, waitReady: false });
    const w = await openPage(browser, `${server.url}/`);
    const app = new AppPage(w.page);
    const notice = w.page.getByTestId('model-notice');
    await notice.waitFor({ timeout: 60_000 });
    expect(await w.page.getByTestId('model-notice-reason').textContent()).toMatch(/no-such-model-folder|not found|does not exist|No such/i);
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain('MODEL_PATH=');
    expect(text).toContain('test-model --kind tape');
    expect(await w.page.getByTestId('ready-badge').textContent()).toBe('Model failed to load');

    await app.description().fill('A customer orders; we ship.');
    await app.generateButton().click();
    await app.waitForPhase('error');
    const status = (await app.status().textContent()) ?? '';
    expect(status).toMatch(/could not be loaded/);
    expect(status).not.toMatch(/Try again (later|in)/i);
    expect(status).toContain('MODEL_PATH');
    await w.page.screenshot({ path: resolve(SHOTS, 'failure-model-load.png') });
    expect(w.problems.filter((p) => !/status of 503/.test(p))).toEqual([]);
    await w.context.close();
  });

  it('a model that writes no diagram: said as such, on the canvas too; badges say "tried", never "fixed"', async () => {
    server = await startServer({ text: 'I am sorry, but I would rather talk about the weather today.' });
    const w = await openPage(browser, `${server.url}/`);
    const app = new AppPage(w.page);
    await app.waitForEditor();
    await app.description().fill('A customer orders; we ship.');
    await app.generateButton().click();
    await app.waitForPhase('done', 120_000);
    expect(await w.page.getByTestId('outcome').textContent()).toBe('The model did not write a diagram');
    expect(await w.page.getByTestId('no-diagram').textContent()).toBe('The model did not write a diagram.');
    expect(await w.page.getByTestId('no-diagram-badge').count()).toBe(1);
    const badges = (await w.page.locator('.badges').textContent()) ?? '';
    expect(badges).not.toContain('Fixed by');
    expect(badges).not.toMatch(/Repaired:/);
    await w.page.screenshot({ path: resolve(SHOTS, 'failure-no-diagram.png') });
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('first start: "the UI is being built", then the page reloads itself into the app', async () => {
    // An empty UI folder: the server builds the UI into it at start (a real `vite build`).
    const uiDir = join(mkdtempSync(join(tmpdir(), 'first-start-')), 'dist');
    server = await startServer({ text: '```mermaid\nflowchart TD\n  A --> B\n```', env: { UI_DIR: uiDir }, waitReady: false });
    // The terminal says the build started (the line follows "listening" at once).
    for (let i = 0; i < 100 && !/"msg":"building the UI/.test(server.log()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(server.log()).toMatch(/"msg":"building the UI/);
    const w = await openPage(browser, `${server.url}/`);
    expect(await w.page.locator('h1').textContent()).toBe('The UI is being built…');
    await w.page.screenshot({ path: resolve(SHOTS, 'first-start-building.png') });
    // No reload by hand: the page's own refresh brings the app once the build is done.
    await w.page.getByLabel('Process description').waitFor({ timeout: 240_000 });
    expect(await w.page.locator('h1').textContent()).toBe('Mermaid Flow Generator');
    await w.page.screenshot({ path: resolve(SHOTS, 'first-start-ready.png') });
    await w.context.close();
  }, 300_000);
});
