/**
 * The page while the model is not ready: the header badge polls the model
 * status, and that polling must log nothing in the console (a 503 there would
 * show as "Failed to load resource" on every poll). The server starts with
 * LOAD_ON_START=0, so the page opens on an unloaded model, the first run loads
 * it, and the badge turns to ready. A second page shows how a load in progress
 * (served as /api/status would, 200 with progress) is drawn.
 */
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadyStatus } from '../../common/protocol.ts';
import { AppPage } from './support/app.ts';
import { openPage, type Watched } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';
import { SHOTS, skipE2e, startApp } from './support/suite.ts';

const TAPE = '```mermaid\nflowchart LR\n  L[Loaded on first use] --> R[Result]\n```';

describe.skipIf(skipE2e)('the page before the model is ready', () => {
  let server: TestServer;
  let browser: Browser;
  let w: Watched;

  beforeAll(async () => {
    ({ server, browser } = await startApp(() => startServer({ text: TAPE, env: { LOAD_ON_START: '0' }, waitReady: false })));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('polls the status without failed requests, loads the model on the first run, then says ready', async () => {
    const polled: number[] = [];
    w = await openPage(browser, `${server.url}/`, {
      beforeGoto: async (page) => {
        page.on('response', (r) => {
          if (new URL(r.url()).pathname === '/api/status') polled.push(r.status());
        });
      },
    });
    const app = new AppPage(w.page);
    const badge = w.page.getByTestId('ready-badge');
    await badge.filter({ hasText: 'Model loads on first use' }).waitFor();
    const probe = await fetch(`${server.url}/api/ready`); // the probe keeps its 503 meanwhile
    expect([probe.status, (await probe.json()).state]).toEqual([503, 'idle']);
    await w.page.screenshot({ path: resolve(SHOTS, 'loading-1-idle.png') });

    await app.description().fill('anything');
    await app.generateButton().click();
    await app.waitForPhase('done');
    await app.waitForSvgText('Loaded on first use');
    await badge.filter({ hasText: 'Model ready' }).waitFor({ timeout: 30_000 }); // the next poll after the load
    expect(polled.length).toBeGreaterThanOrEqual(2);
    expect(polled.every((s) => s === 200)).toBe(true);
  });

  it('draws a load in progress as a percentage in the badge', async () => {
    const loading: ReadyStatus = { state: 'loading', progress: 42, message: 'Downloading model files', model: 'tape', device: null, dtype: null, queueDepth: 0 };
    const other = await openPage(browser, `${server.url}/`, {
      beforeGoto: async (page) => {
        await page.route('**/api/status', (route) => route.fulfill({ status: 200, json: loading }));
      },
    });
    const badge = other.page.getByTestId('ready-badge');
    await badge.filter({ hasText: 'Loading model 42%' }).waitFor();
    expect(await badge.getAttribute('title')).toBe('Downloading model files');
    await other.page.screenshot({ path: resolve(SHOTS, 'loading-2-progress.png') });
    expect(other.problems).toEqual([]);
    await other.context.close();
  });

  it('logged no console errors', () => {
    expect(w.problems).toEqual([]);
    expect(w.dialogs).toEqual([]);
  });
});
