/**
 * Debian's Chromium through playwright-core (no browser download), plus a
 * page wrapper that records console errors, page errors and dialogs, so a
 * test can assert "nothing went wrong" at the end.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const hasChromium = () => existsSync(CHROMIUM);

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface Watched {
  context: BrowserContext;
  page: Page;
  /** console.error / warnings about failed loads, uncaught page errors. */
  problems: string[];
  /** alert/confirm/prompt dialogs that opened (and were dismissed). */
  dialogs: string[];
}

export async function openPage(
  browser: Browser,
  url: string,
  opts: {
    viewport?: { width: number; height: number };
    beforeGoto?: (page: Page) => Promise<void>;
    /** Lets page.addScriptTag inject a script (axe-core) past the server's `script-src 'self'` policy. */
    bypassCSP?: boolean;
  } = {},
): Promise<Watched> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    acceptDownloads: true,
    locale: 'en-US',
    bypassCSP: opts.bypassCSP ?? false,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await opts.beforeGoto?.(page);
  await page.goto(url);
  return { context, page, problems, dialogs };
}
