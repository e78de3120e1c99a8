/**
 * Untrusted diagrams in the browser (issue 14): a model answer with a `click`
 * after `;` draws no link; code a person pastes with a link draws none either
 * until the page names the link's host and the person allows it; an HTML tag
 * spread over two lines is drawn as text. Screenshots: test-results/e2e/security-*.png.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppPage } from './support/app.ts';
import { openPage, type Watched } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';
import { SHOTS, skipE2e, startApp } from './support/suite.ts';

const TAPE = '```mermaid\nflowchart TD\n  A[Start] --> B[Read the docs]; click B href "https://evil.example/x"\n```';
const linkCount = (page: Watched['page']) =>
  page.evaluate(() => document.querySelectorAll('[data-testid=diagram] svg a[href], [data-testid=diagram] svg a[*|href]').length);

describe.skipIf(skipE2e)('untrusted diagrams in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let w: Watched;
  let app: AppPage;

  beforeAll(async () => {
    ({ server, browser } = await startApp(() => startServer({ text: TAPE })));
    w = await openPage(browser, `${server.url}/`);
    app = new AppPage(w.page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a model answer with `; click … href` draws the diagram without the link', async () => {
    await app.description().fill('Read the docs before you start');
    await app.generateButton().click();
    await app.waitForPhase('done');
    await app.waitForSvgText('Read the docs');
    expect(await linkCount(w.page)).toBe(0);
    // The raw model output panel shows the answer as text; the drawing has no trace of the link.
    expect(await app.diagram().innerHTML()).not.toContain('evil.example');
  });

  it('pasted code with a link: no link until the person allows it, then exactly that one', async () => {
    await app.setEditor('flowchart LR\n  A[Home] --> B[Docs]\n  click B href "https://docs.example/start"\n  CLICK A call alert(1)');
    await app.waitForSvgText('Docs');
    const notice = w.page.getByTestId('links-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('docs.example');
    expect(await linkCount(w.page)).toBe(0);
    await w.page.screenshot({ path: join(SHOTS, 'security-links-notice.png') });

    await w.page.getByTestId('allow-links').click();
    await w.page.waitForFunction(() => document.querySelectorAll('[data-testid=diagram] svg a').length > 0);
    const hrefs = await w.page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=diagram] svg a')].map((a) => a.getAttribute('href') ?? a.getAttribute('xlink:href')),
    );
    expect(hrefs).toEqual(['https://docs.example/start']);
    expect(w.dialogs).toEqual([]); // `call alert(1)` never ran
  });

  it('an HTML tag over two lines is drawn as text, not parsed', async () => {
    await app.setEditor('flowchart TD\n  A["<img\nsrc=x onerror=alert(1)>"] --> B[End]');
    await app.waitForSvgText('End');
    const images = await w.page.evaluate(() => document.querySelectorAll('[data-testid=diagram] img, [data-testid=diagram] svg image').length);
    expect(images).toBe(0);
    expect(w.dialogs).toEqual([]);
  });
});

describe.skipIf(skipE2e)('entity codes in labels', () => {
  let server: TestServer;
  let browser: Browser;
  let w: Watched;

  beforeAll(async () => {
    ({ server, browser } = await startApp(() => startServer({ text: TAPE })));
    w = await openPage(browser, `${server.url}/`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('#quot; and #9829; typed in a label draw as the characters, not as &quot;', async () => {
    const app = new AppPage(w.page);
    await app.setEditor('flowchart LR\n  A["Say #quot;hi#quot; #9829;"] --> B["Tom #amp; Jerry"]');
    await app.waitForSvgText('Jerry');
    const text = await w.page.evaluate(() => [...document.querySelectorAll('[data-testid=diagram] svg text')].map((t) => t.textContent).join(' | '));
    expect(text).toContain('Say "hi"');
    expect(text).toContain('♥');
    expect(text).toContain('Tom & Jerry');
    expect(text).not.toMatch(/&(quot|amp|#\d+);/);
  });
});
