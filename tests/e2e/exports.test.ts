/**
 * From the drawn diagram to the file a person sends on, in Chromium against
 * the real server on a tape model: the exported SVG read back by librsvg
 * (rsvg-convert → PDF → pdftotext finds every label with its spaces), file
 * names from the first label, PNG at the chosen scale, .mmd, Markdown and PNG
 * on the clipboard; templates per type; refining as a thread of versions;
 * panning that never selects text; the notices ("Markdown copied") in their
 * reserved line, covering and moving no control at 1280×900 and 390×844; the
 * undo bar covering no control at 1280×900; the notice when a diagram's
 * configuration is not applied.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../src/lib/templates.ts';
import { AppPage } from './support/app.ts';
import { openPage, type Watched } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';
import { SHOTS, skipE2e, startApp } from './support/suite.ts';

const DIAGRAM = [
  'flowchart TD',
  '  A[Customer places an order] --> B{Payment accepted?}',
  '  B -->|yes| C[Warehouse packs the parcel]',
  '  B -->|no| D[Email the customer to retry]',
  '  C --> E[Courier delivers within two days]',
].join('\n');
const LABELS = ['Customer places an order', 'Payment accepted?', 'Warehouse packs the parcel', 'Email the customer to retry', 'Courier delivers within two days'];
const TAPE = `\`\`\`mermaid\n${DIAGRAM}\n\`\`\`\n`;

const hasTools = spawnSync('rsvg-convert', ['--version']).status === 0 && spawnSync('pdftotext', ['-v']).status === 0;
if (!hasTools && !skipE2e) console.warn('e2e: rsvg-convert or pdftotext missing (apt-get install librsvg2-bin poppler-utils); the librsvg check fails');

describe.skipIf(skipE2e)('exports, templates, the refine thread and the small things', () => {
  let server: TestServer;
  let browser: Browser;
  let w: Watched;
  let app: AppPage;
  const shot = (name: string) => w.page.screenshot({ path: resolve(SHOTS, `${name}.png`) });
  const work = mkdtempSync(join(tmpdir(), 'exports-'));

  beforeAll(async () => {
    ({ server, browser } = await startApp(() => startServer({ text: TAPE })));
    w = await openPage(browser, `${server.url}/`, { viewport: { width: 1280, height: 900 } });
    app = new AppPage(w.page);
    await app.waitForEditor();
    await app.description().fill('Orders: pay, pack, ship; email when the payment fails.');
    await app.generateButton().click();
    await app.waitForPhase('done');
    await app.waitForSvgText('Courier delivers');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the SVG opens in librsvg with every label and its spaces, at the size Chromium draws it', async () => {
    const { name, bytes } = await app.download(() => w.page.getByTestId('download-svg').click());
    expect(name).toBe('customer-places-an-order.svg');
    const svgPath = join(work, name);
    writeFileSync(svgPath, bytes);
    const xml = bytes.toString('utf8');
    expect(xml).not.toContain('foreignObject');
    expect(xml).toMatch(/<svg[^>]* font-family="[^"]*trebuchet ms/);

    // librsvg → PDF → poppler's text extraction: what converters and viewers will show.
    execFileSync('rsvg-convert', ['-f', 'pdf', '-o', join(work, 'd.pdf'), svgPath]);
    const text = execFileSync('pdftotext', [join(work, 'd.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const label of LABELS) expect(text, `librsvg text: ${text}`).toContain(label);

    // Chromium draws the same file at the same size as librsvg.
    execFileSync('rsvg-convert', ['-f', 'png', '-o', join(work, 'rsvg.png'), svgPath]);
    const rsvgPng = execFileSync('node', ['-e', `const b=require('fs').readFileSync(${JSON.stringify(join(work, 'rsvg.png'))});console.log(b.readUInt32BE(16)+'x'+b.readUInt32BE(20))`], { encoding: 'utf8' }).trim();
    const page = await w.context.newPage();
    await page.goto(`file://${svgPath}`);
    const chromiumSize = await page.evaluate(() => {
      const r = document.documentElement.getBoundingClientRect();
      return `${Math.round(r.width)}x${Math.round(r.height)}`;
    });
    await page.screenshot({ path: resolve(SHOTS, 'export-svg-in-chromium.png') });
    await page.close();
    expect(chromiumSize).toBe(rsvgPng);
  });

  it('PNG at the chosen scale, .mmd, Markdown and the PNG on the clipboard', async () => {
    const svgWidth = await w.page.evaluate(() => Number(document.querySelector('[data-testid=diagram] svg')?.getAttribute('width')));
    await w.page.getByTestId('png-scale').selectOption('4');
    const png = await app.download(() => w.page.getByTestId('download-png').click());
    expect(png.name).toBe('customer-places-an-order@4x.png');
    expect(png.bytes.readUInt32BE(16)).toBe(Math.ceil(svgWidth) * 4);

    const mmd = await app.download(() => w.page.getByTestId('download-mmd').click());
    expect(mmd.name).toBe('customer-places-an-order.mmd');
    expect(mmd.bytes.toString('utf8')).toBe(`${DIAGRAM}\n`);

    await w.page.getByTestId('copy-markdown').click();
    await w.page.getByText('Markdown copied').waitFor();
    expect(await w.page.evaluate(() => navigator.clipboard.readText())).toBe(`\`\`\`mermaid\n${DIAGRAM}\n\`\`\`\n`);

    await w.page.getByTestId('png-scale').selectOption('2');
    await w.page.getByTestId('copy-png').click();
    await w.page.getByText('PNG copied').waitFor();
    const clip = await w.page.evaluate(async () => {
      const items = await navigator.clipboard.read();
      const blob = await items[0]!.getType('image/png');
      const b = new DataView(await blob.arrayBuffer());
      return { types: items[0]!.types, width: b.getUint32(16) };
    });
    expect(clip.types).toContain('image/png');
    expect(clip.width).toBe(Math.ceil(svgWidth) * 2);
    await shot('export-bar');
  });

  it('dragging the diagram pans it and never selects text', async () => {
    const box = (await app.canvas().boundingBox())!;
    const before = await w.page.evaluate(() => (document.querySelector('[data-testid=diagram]') as HTMLElement).style.transform);
    // Start on a label (where text selection would begin) and drag across the canvas.
    const label = w.page.locator('[data-testid=diagram] text', { hasText: 'Warehouse' }).first();
    const l = (await label.boundingBox())!;
    await w.page.mouse.move(l.x + 2, l.y + l.height / 2);
    await w.page.mouse.down();
    await w.page.mouse.move(box.x + 20, box.y + 20, { steps: 8 });
    await w.page.mouse.up();
    expect(await w.page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
    const after = await w.page.evaluate(() => (document.querySelector('[data-testid=diagram]') as HTMLElement).style.transform);
    expect(after).not.toBe(before);
    await w.page.getByRole('button', { name: 'Fit' }).click();
  });

  it('notices sit in a line kept for them under the export bar: they cover no control and move none, wide and narrow', async () => {
    const region = w.page.getByTestId('notices-export');
    const notice = region.getByTestId('toast');
    const copy = w.page.getByTestId('copy-markdown');
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      await w.page.setViewportSize(viewport);
      const size = `${viewport.width}x${viewport.height}`;
      if (await notice.count()) await notice.getByRole('button', { name: 'Dismiss' }).click();
      await copy.scrollIntoViewIfNeeded();
      const before = await app.controlBoxes();
      // By keyboard: the notice comes in the polite live region, the focus stays on the button.
      await copy.focus();
      await w.page.keyboard.press('Enter');
      await notice.waitFor();
      expect(await w.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe('copy-markdown');
      await notice.hover(); // it waits while the pointer is on it
      expect(await region.getByRole('status').textContent()).toContain('Markdown copied');
      expect(await region.getByRole('alert').textContent()).toBe('');
      expect(await app.controlBoxes(), `${size}: a notice moves nothing`).toEqual(before);
      // Nothing covered: at the top, with the notice in view, at the bottom.
      for (const y of [0, null, 10_000]) {
        if (y === null) await notice.scrollIntoViewIfNeeded();
        else await w.page.evaluate((top) => window.scrollTo(0, top), y);
        expect(await app.coveredControls(), `${size}, scrolled to ${y ?? 'the notice'}`).toEqual([]);
      }
      const box = (await notice.boundingBox())!;
      expect(box.x + box.width, `${size}: inside the window`).toBeLessThanOrEqual(viewport.width);
      await notice.scrollIntoViewIfNeeded();
      await shot(`notice-${size}`);
      // Dismissed from the keyboard: gone, and the focus is back on the control that brought it.
      await notice.getByRole('button', { name: 'Dismiss' }).focus();
      await w.page.keyboard.press('Enter');
      await w.page.waitForFunction(() => !document.querySelector('[data-testid=notices-export] [data-testid=toast]'));
      expect(await w.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe('copy-markdown');
    }
    await w.page.setViewportSize({ width: 1280, height: 900 });
    await w.page.evaluate(() => window.scrollTo(0, 0));
  });

  it('a template per type; the undo bar it brings covers no control at 1280×900', async () => {
    await app.setEditor(`${DIAGRAM}\n  E --> F[My own step]`); // unsaved edits: a template replaces them with undo
    await app.waitForSvgText('My own step');
    for (const t of TEMPLATES) {
      await w.page.getByTestId('template').selectOption(t.type);
      await w.page.waitForFunction((code) => {
        const lines = [...document.querySelectorAll('[data-testid=editor] .cm-line')].map((l) => l.textContent).join('\n');
        return lines === code;
      }, t.code);
      await w.page.waitForFunction(() => document.querySelector('[data-testid=validation]')?.textContent?.startsWith('Valid'));
      await w.page.waitForFunction(() => !!document.querySelector('[data-testid=diagram] svg'));
      if (t.type === 'state') await shot('template-state');
      // Section titles are SVG text (not <foreignObject>, which the sanitiser removes): they must be there.
      if (t.type === 'journey') await app.waitForSvgText('Pick up');
      if (t.type === 'timeline') await app.waitForSvgText('Order lifecycle');
    }
    expect(await w.page.getByLabel('Diagram type').inputValue()).toBe('journey');
    const bar = w.page.getByTestId('undo-bar');
    await bar.waitFor();
    expect(await bar.textContent()).toContain('replaced by the template');
    await w.page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await shot('undo-bar-1280x900-bottom');
    await w.page.evaluate(() => window.scrollTo(0, 0));
    await shot('undo-bar-1280x900');
    // A notice at the same time (it sits in its reserved line under the export bar, never over a control).
    await w.page.getByTestId('copy-markdown').click();
    const notice = w.page.getByTestId('notices-export').getByTestId('toast');
    await notice.waitFor();
    await notice.hover(); // it waits while the pointer is on it
    // Every control on screen is the topmost element at its centre: nothing covers it.
    for (const y of [0, 10_000]) {
      await w.page.evaluate((top) => window.scrollTo(0, top), y);
      expect(await app.coveredControls(), `scrolled to ${y}`).toEqual([]);
    }
    await bar.getByRole('button', { name: 'Undo' }).click();
    await app.waitForSvgText('My own step');
  });

  it('refines as a conversation: each turn a version with what changed, going back, saved in history and the share link', async () => {
    const flow = TEMPLATES.find((t) => t.type === 'flowchart')!;
    await w.page.getByTestId('template').selectOption('flowchart');
    await app.waitForSvgText('Order received');
    await w.page.getByLabel('Refinement instruction').fill('make it about payments and delivery');
    await w.page.getByRole('button', { name: 'Refine' }).click();
    await app.waitForPhase('done');
    await app.waitForSvgText('Courier delivers');
    const turns = w.page.getByTestId('turn');
    await w.page.waitForFunction(() => document.querySelectorAll('[data-testid=turn]').length === 2);
    expect(await turns.nth(0).textContent()).toContain('First version');
    expect(await turns.nth(1).textContent()).toContain('“make it about payments and delivery”');
    const changes = (await turns.nth(1).getByTestId('turn-changes').textContent()) ?? '';
    // Same ids (A…E), new labels: Mermaid's units were renamed, not added and removed.
    expect(changes).toMatch(/^5 renamed \(Order received → Customer places an order, In stock\? → Payment accepted\?, /);
    expect(await turns.nth(1).textContent()).toContain('Current');
    expect(await w.page.getByLabel('Refinement instruction').inputValue()).toBe(''); // ready for the next turn
    await w.page.getByTestId('code-panel').screenshot({ path: resolve(SHOTS, 'refine-thread.png') });

    // Back to the first version, then forward again.
    await w.page.getByRole('button', { name: 'Go back to version 1' }).click();
    await app.waitForSvgText('Order received');
    expect(await app.editorText()).toBe(flow.code);
    await w.page.getByRole('button', { name: 'Go back to version 2' }).click();
    await app.waitForSvgText('Courier delivers');

    // The share link carries the thread: a fresh browser sees both versions.
    await w.page.getByTestId('share').click();
    const link = await w.page.getByTestId('share-link').inputValue();
    const other = await openPage(browser, link);
    await other.page.waitForFunction(() => document.querySelectorAll('[data-testid=turn]').length === 2);
    expect(await other.page.getByTestId('turn').nth(1).textContent()).toContain('make it about payments and delivery');
    expect(other.problems).toEqual([]);
    await other.context.close();

    // History keeps it, with the entry the refine saved.
    const saved = await w.page.evaluate(() => JSON.parse(localStorage.getItem('mfg:history') ?? '[]')[0]);
    expect(saved.thread.map((t: { instruction: string }) => t.instruction)).toEqual(['', 'make it about payments and delivery']);
  });

  it('says when a diagram configures Mermaid and that part is not applied', async () => {
    await app.setEditor(`%%{init: {"theme": "forest"}}%%\n${DIAGRAM}`);
    await w.page.getByTestId('config-notice').waitFor();
    expect(await w.page.getByTestId('config-notice').textContent()).toMatch(/not applied/);
    await shot('config-notice');
    await app.setEditor(DIAGRAM);
    await w.page.getByTestId('config-notice').waitFor({ state: 'detached' });
  });

  it('logged no errors', () => {
    expect(w.problems).toEqual([]);
    expect(w.dialogs).toEqual([]);
  });
});
