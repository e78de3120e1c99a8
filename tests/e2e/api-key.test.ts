/**
 * A server with API_KEY set: the app asks for the key when the server
 * answers 401, keeps it in sessionStorage only, sends it as X-API-Key and
 * retries the run; the API panel's snippets then include the key header.
 */
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppPage } from './support/app.ts';
import { openPage, type Watched } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';
import { SHOTS, skipE2e, startApp } from './support/suite.ts';

const KEY = 'e2e-secret-key-0123456789';
const TAPE = '```mermaid\nflowchart LR\n  K[Key accepted] --> R[Result]\n```';

describe.skipIf(skipE2e)('API key prompt', () => {
  let server: TestServer;
  let browser: Browser;
  let w: Watched;

  beforeAll(async () => {
    ({ server, browser } = await startApp(() => startServer({ text: TAPE, env: { API_KEY: KEY } })));
    w = await openPage(browser, `${server.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks for the key on 401, retries with it, and keeps it out of localStorage', async () => {
    const app = new AppPage(w.page);
    const keysSent: (string | undefined)[] = [];
    w.page.on('request', (r) => {
      if (r.url().endsWith('/api/generate/stream')) keysSent.push(r.headers()['x-api-key']);
    });
    await app.description().fill('anything');
    await app.generateButton().click();
    const dialog = w.page.getByTestId('api-key');
    expect(await dialog.getByTestId('key-rejected').count()).toBe(0); // asked, not yet rejected
    // A wrong key: the dialog comes back and says the key was rejected (not the same question again).
    await dialog.getByLabel('API key').fill('not-the-key');
    await dialog.getByRole('button', { name: 'Use key and retry' }).click();
    await dialog.getByTestId('key-rejected').waitFor();
    expect(await dialog.getByTestId('key-rejected').textContent()).toMatch(/Key rejected/);
    expect(await dialog.getByRole('heading').first().textContent()).toBe('API key rejected');
    await w.page.screenshot({ path: resolve(SHOTS, 'api-key-rejected.png') });
    await dialog.getByLabel('API key').fill(KEY);
    await dialog.getByRole('button', { name: 'Use key and retry' }).click();
    await app.waitForPhase('done');
    await app.waitForSvgText('Key accepted');
    expect(keysSent).toEqual([undefined, 'not-the-key', KEY]);
    const storage = await w.page.evaluate(() => ({ session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage) }));
    expect(storage.session).toContain(KEY);
    expect(storage.local).not.toContain(KEY);

    await w.page.getByRole('button', { name: 'Use via API' }).click();
    const snippet = await w.page.getByTestId('api-snippet').textContent();
    expect(snippet).toContain('"X-API-Key": process.env.API_KEY');
    expect(snippet).not.toContain(KEY);
  });

  it('logged nothing but the expected 401', () => {
    expect(w.problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    expect(w.dialogs).toEqual([]);
  });
});
