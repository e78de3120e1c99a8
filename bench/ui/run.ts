/**
 * UI size and speed budget (npm run bench:ui):
 *  1. initial JS the page loads before Mermaid (static analysis of dist/, and
 *     what headless Chromium actually requests before the first render starts);
 *  2. time to first render of a 50-node flowchart opened from a share link,
 *     cold and warm cache, in headless Chromium.
 * Prints a markdown table with machine info; exits 1 when a budget is blown.
 *
 *   npm run bench:ui                 build, then measure (5 runs)
 *   npm run bench:ui -- --no-build --runs 10
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { encodeShare } from '../../src/lib/share.ts';
import { allChunks, initialChunks, sum } from './initial-js.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist');

/** Budgets: gzip bytes of JS before Mermaid, and the cold first render on this class of machine. */
export const BUDGET = { initialJsGzip: 80 * 1024, firstRenderColdMs: 6_000 };

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write('npm run bench:ui -- [--no-build]   (builds the UI, then measures initial JS and first render in headless Chromium; exits 1 over budget)\n');
  process.exit(0);
}
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;

function flowchart50(): string {
  const lines = ['flowchart TD'];
  for (let i = 0; i < 50; i++) {
    const shape = i % 7 === 3 ? `N${i}{Check ${i}?}` : `N${i}[Step ${i}: do the thing]`;
    lines.push(i === 0 ? `  ${shape}` : `  N${i - 1} --> ${shape}`);
    if (i % 7 === 3 && i + 3 < 50) lines.push(`  N${i} -->|no| N${i + 3}`);
  }
  return lines.join('\n');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** dist/ over HTTP, plus a stub /api/ready so the page has a server to ask. */
function serveDist(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/api/ready') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ state: 'ready', progress: 100, message: 'bench', model: 'none', device: null, dtype: null, queueDepth: 0 }));
      return;
    }
    let file = join(DIST, path);
    if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) file = join(DIST, 'index.html');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'max-age=3600' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function main() {
  if (!args.includes('--no-build')) {
    const r = spawnSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const initial = initialChunks(DIST);
  const all = allChunks(DIST);
  const initialFiles = new Set(initial.map((c) => c.file));
  // A string only Mermaid's own diagram detector holds (our code names Mermaid's type ids, e.g. flowchart-v2, so those are no marker).
  const MERMAID_MARKER = 'No diagram type detected matching given configuration';
  const mermaidInInitial = initial.some((c) => /mermaid/i.test(c.file) || readFileSync(join(DIST, c.file), 'utf8').includes(MERMAID_MARKER));

  const server = await serveDist();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const url = `${base}/#${encodeShare({ code: flowchart50(), description: '50-node flowchart' })}`;
  const cold: number[] = [];
  const warm: number[] = [];
  /** ms from navigation until Mermaid's module was evaluated; ms in mermaid.render + sanitise. */
  const mermaidLoaded: number[] = [];
  const renderOnly: number[] = [];
  let jsBeforeRender = 0;
  let jsBeforeRenderFiles: string[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const js: { url: string; bytes: number; t: number }[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('.js'))
        void r.body().then(
          (b) => js.push({ url: r.url(), bytes: b.length, t: Date.now() }),
          () => undefined,
        );
    });
    const measure = async () => {
      await page.waitForFunction(() => performance.getEntriesByName('mfg:first-render').length > 0, undefined, { timeout: 60_000 });
      const svgNodes = await page.evaluate(() => document.querySelectorAll('[data-testid=diagram] svg g.node').length);
      if (svgNodes !== 50) throw new Error(`expected 50 nodes drawn, got ${svgNodes}`);
      return page.evaluate(() => performance.getEntriesByName('mfg:first-render')[0]!.startTime);
    };
    await page.goto(url);
    cold.push(await measure());
    const parts = await page.evaluate(() => ({
      loaded: performance.getEntriesByName('mfg:mermaid-loaded')[0]?.startTime ?? NaN,
      render: performance.getEntriesByName('mfg:render')[0]?.duration ?? NaN,
    }));
    mermaidLoaded.push(parts.loaded);
    renderOnly.push(parts.render);
    if (i === 0) {
      // JS the browser fetched before Mermaid's own chunk: the entry and its static imports.
      const mermaidCore = js.find((r) => /mermaid\.core/.test(r.url));
      const before = js.filter((r) => initialFiles.has(new URL(r.url).pathname.slice(1)));
      jsBeforeRender = before.reduce((n, r) => n + r.bytes, 0);
      jsBeforeRenderFiles = before.map((r) => new URL(r.url).pathname);
      if (!mermaidCore) throw new Error('Mermaid was never loaded?');
    }
    await page.goto(url.replace('#', '?warm#'));
    warm.push(await measure());
    await context.close();
  }
  const chromiumVersion = browser.version();
  await browser.close();
  server.close();

  const initialGzip = sum(initial, 'gzip');
  const rows: [string, string][] = [
    ['Initial JS before Mermaid (files)', initial.map((c) => c.file.replace('assets/', '')).join(', ')],
    ['Initial JS, raw', kb(sum(initial, 'bytes'))],
    ['Initial JS, gzip -9', `${kb(initialGzip)} (budget ${kb(BUDGET.initialJsGzip)})`],
    ['Initial JS, brotli', kb(sum(initial, 'brotli'))],
    ['Mermaid in the initial JS', mermaidInInitial ? 'YES (budget blown)' : 'no (lazy)'],
    ['JS fetched by Chromium before render started, raw', `${kb(jsBeforeRender)} (${jsBeforeRenderFiles.length} files)`],
    ['Lazy JS (CodeMirror, Mermaid and its diagram chunks), gzip', `${kb(sum(all, 'gzip') - initialGzip)} in ${all.length - initial.length} chunks`],
    [`First render, 50-node flowchart, cold cache (median of ${runs})`, `${median(cold).toFixed(0)} ms (min ${Math.min(...cold).toFixed(0)}, max ${Math.max(...cold).toFixed(0)}; budget ${BUDGET.firstRenderColdMs} ms)`],
    [`  of which: Mermaid loaded after (cold, median)`, `${median(mermaidLoaded).toFixed(0)} ms`],
    [`  of which: mermaid.render + sanitise (cold, median)`, `${median(renderOnly).toFixed(0)} ms`],
    [`First render, 50-node flowchart, warm cache (median of ${runs})`, `${median(warm).toFixed(0)} ms (min ${Math.min(...warm).toFixed(0)}, max ${Math.max(...warm).toFixed(0)})`],
  ];
  const machine = `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${osType()} ${release()}, Node ${process.version}, Chromium ${chromiumVersion}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
  const table = [
    `UI benchmark — ${new Date().toISOString()}`,
    `Machine: ${machine}`,
    '',
    '| Measure | Value |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
  ].join('\n');
  console.log(table);
  mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
  writeFileSync(
    join(ROOT, 'bench/out/ui.json'),
    JSON.stringify({ machine, initial, initialGzip, mermaidInInitial, jsBeforeRender, cold, warm, mermaidLoaded, renderOnly, budget: BUDGET }, null, 2),
  );

  const failures = [
    initialGzip > BUDGET.initialJsGzip && `initial JS ${kb(initialGzip)} gzip is over the ${kb(BUDGET.initialJsGzip)} budget`,
    mermaidInInitial && 'Mermaid is part of the initial JS',
    median(cold) > BUDGET.firstRenderColdMs && `cold first render ${median(cold).toFixed(0)} ms is over the ${BUDGET.firstRenderColdMs} ms budget`,
  ].filter(Boolean);
  if (failures.length) {
    console.error(`\nBudget exceeded:\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
