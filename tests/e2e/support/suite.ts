/**
 * What every browser test file starts with: where screenshots go, whether to
 * skip (no Chromium outside CI; under CI a missing one must fail), and the
 * server and Chromium started side by side after the UI is built.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { hasChromium, launch } from './browser.ts';
import { buildUi, ROOT, type TestServer } from './server.ts';

export const SHOTS = resolve(ROOT, 'test-results/e2e');

export const skipE2e = !hasChromium() && process.env.CI !== 'true';
if (skipE2e) console.warn('e2e: /usr/bin/chromium is missing (apt-get install -y chromium); browser tests skipped');

export async function startApp(start: () => Promise<TestServer>): Promise<{ server: TestServer; browser: Browser }> {
  await mkdir(SHOTS, { recursive: true });
  buildUi();
  const [server, browser] = await Promise.all([start(), launch()]);
  return { server, browser };
}
