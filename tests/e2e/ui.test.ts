/**
 * The app in a real Chromium against the real server on a tape model:
 * describe → streamed render → SVG download (parsed) → PNG export → share
 * link round trip → history restore with undo → live error display while
 * editing → a hostile label renders as text with no dialog and no script.
 * No console errors anywhere. Screenshots land in test-results/e2e/.
 */
import { resolve } from 'node:path';
import { JSDOM } from 'jsdom';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppPage } from './support/app.ts';
import { openPage, type Watched } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';
import { SHOTS, skipE2e, startApp } from './support/suite.ts';

const DIAGRAM = [
  'flowchart TD',
  '  A[Submit expense report] --> B{Amount over 500?}',
  '  B -->|Yes| C[Manager approval]',
  '  B -->|No| D[Finance approval]',
  '  C --> E[Pay within 5 days]',
  '  D --> E',
].join('\n');
const LABELS = ['Submit expense report', 'Amount over 500?', 'Manager approval', 'Finance approval', 'Pay within 5 days'];
/** What the tape model "says": chatty text around a fenced diagram, as real models do. */
const TAPE = `Here is the diagram:\n\n\`\`\`mermaid\n${DIAGRAM}\n\`\`\`\n`;
const XSS = '<img src=x onerror=alert(1)>';


describe.skipIf(skipE2e)('the app in Chromium, against the real server', () => {
  let server: TestServer;
  let browser: Browser;
  let w: Watched;
  let app: AppPage;
  const shot = (name: string) => app.page.screenshot({ path: resolve(SHOTS, `${name}.png`) });

  beforeAll(async () => {
    ({ server, browser } = await startApp(() => startServer({ text: TAPE })));
    w = await openPage(browser, `${server.url}/`);
    app = new AppPage(w.page);
    await app.waitForEditor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the empty app with its controls labelled', async () => {
    await w.page.getByTestId('ready-badge').filter({ hasText: 'Model ready' }).waitFor();
    for (const label of ['Process description', 'Diagram type', 'Direction', 'Mermaid code', 'PNG scale', 'PNG background', 'Theme', 'Appearance']) {
      expect(await w.page.getByLabel(label, { exact: true }).count(), label).toBeGreaterThan(0);
    }
    await shot('1-empty');
  });

  it('describe → streamed tokens → the diagram drawn', async () => {
    // Record every phase the status panel goes through, and the live token count: with a tape
    // model the run takes tens of milliseconds, too short for a locator to be sure to catch it.
    await w.page.evaluate(() => {
      const win = window as unknown as { __phases: string[]; __tokens: number };
      const seen: string[] = (win.__phases = []);
      win.__tokens = 0;
      new MutationObserver(() => {
        const p = document.querySelector('[data-testid=run-status]')?.getAttribute('data-phase');
        if (p && seen.at(-1) !== p) seen.push(p);
        const n = Number(document.querySelector('[data-testid=token-count]')?.textContent);
        if (n > win.__tokens) win.__tokens = n;
      }).observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
    });
    await w.page.getByRole('button', { name: /Expense approval/ }).click();
    expect(await app.description().inputValue()).toContain('expense report');
    await app.description().focus();
    await w.page.keyboard.press('ControlOrMeta+Enter'); // the keyboard shortcut
    await app.waitForPhase('done');
    await app.waitForSvgText('Pay within 5 days');
    const phases = await w.page.evaluate(() => (window as unknown as { __phases: string[] }).__phases);
    expect(phases).toContain('generating');
    expect(phases.at(-1)).toBe('done');
    expect(await w.page.evaluate(() => (window as unknown as { __tokens: number }).__tokens)).toBeGreaterThan(0); // tokens counted live
    const text = await app.svgText();
    for (const l of LABELS) expect(text).toContain(l);
    expect(await app.editorText()).toBe(DIAGRAM);
    const statusText = (await app.status().textContent()) ?? '';
    expect(statusText).toMatch(/Done in [\d.]+ s · \d+ tokens · [\d.]+ tokens\/s/);
    // one token count everywhere (the raw-output summary agrees with the status line)
    const count = /Done in [\d.]+ s · (\d+) tokens/.exec(statusText)![1];
    expect(statusText).toContain(`Model output (${count} tokens)`);
    expect(await app.validation().textContent()).toMatch(/^Valid/);
    await shot('3-done');
  });

  it('downloads a standalone SVG with real text labels', async () => {
    const { name, bytes } = await app.download(() => w.page.getByTestId('download-svg').click());
    expect(name).toBe('submit-expense-report.svg'); // the diagram's first label, not the description
    const xml = bytes.toString('utf8');
    expect(xml.startsWith('<?xml')).toBe(true);
    const doc = new JSDOM(xml, { contentType: 'image/svg+xml' }).window.document;
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    const svg = doc.documentElement;
    expect(svg.tagName).toBe('svg');
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(Number(svg.getAttribute('width'))).toBeGreaterThan(100);
    // htmlLabels off: the labels are SVG <text>, so other programs show them.
    const texts = [...doc.getElementsByTagName('text')].map((t) => t.textContent ?? '').join(' | ');
    for (const l of LABELS) expect(texts).toContain(l);
    expect(doc.getElementsByTagName('foreignObject')).toHaveLength(0);
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
    expect(xml).not.toMatch(/\son[a-z]+\s*=/i);
  });

  it('exports a PNG at the chosen scale', async () => {
    const svgWidth = await w.page.evaluate(() => Number(document.querySelector('[data-testid=diagram] svg')?.getAttribute('width')));
    await w.page.getByTestId('png-scale').selectOption('2');
    await w.page.getByTestId('png-background').selectOption('transparent');
    const { name, bytes } = await app.download(() => w.page.getByTestId('download-png').click());
    expect(name).toMatch(/@2x\.png$/);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    expect(width).toBe(Math.round(Math.ceil(svgWidth) * 2));
    expect(height).toBeGreaterThan(100);
    expect(bytes[25]).toBe(6); // colour type 6: RGBA, the transparent background kept
  });

  let shareLink = '';
  it('makes a share link that restores the diagram in a fresh browser', async () => {
    await w.page.getByTestId('share').click();
    shareLink = await w.page.getByTestId('share-link').inputValue();
    expect(shareLink.startsWith(`${server.url}/#d=`)).toBe(true);
    expect(await w.page.evaluate(() => navigator.clipboard.readText())).toBe(shareLink);

    const other = await openPage(browser, shareLink); // new context: empty storage
    const otherApp = new AppPage(other.page);
    await otherApp.waitForSvgText('Manager approval');
    await otherApp.waitForEditor();
    expect(await otherApp.editorText()).toBe(DIAGRAM);
    expect(await otherApp.description().inputValue()).toContain('expense report');
    expect(new URL(other.page.url()).hash).toBe(''); // applied once, then removed
    expect(other.problems).toEqual([]);
    await other.context.close();
  });

  it('shows a parser error with its line while editing, keeping the last drawing dimmed', async () => {
    await app.setEditor(`${DIAGRAM}\n  E --> F[Archive`);
    await app.page.getByTestId('parse-error').waitFor();
    expect(await app.validation().textContent()).toBe('Error on line 7');
    expect(await app.parseError().textContent()).toContain('Line 7');
    expect(await app.canvas().getAttribute('data-stale')).toBe('true');
    expect(await app.svgText()).toContain('Manager approval'); // never blank
    expect(await w.page.locator('.cm-error-line').count()).toBe(1);
    await shot('4-edit-error');

    await w.page.keyboard.insertText(']');
    await app.waitForSvgText('Archive');
    // hand edits are named as the server names types (not Mermaid's internal "flowchart-v2")
    await w.page.waitForFunction(() => document.querySelector('[data-testid=validation]')?.textContent === 'Valid flowchart');
    expect(await app.canvas().getAttribute('data-stale')).toBe('false');
    expect(await app.parseError().count()).toBe(0);
  });

  it('restores from history, with undo for the unsaved edit', async () => {
    await w.page.getByRole('button', { name: 'History', exact: true }).click();
    const items = w.page.getByTestId('history-item');
    expect(await items.count()).toBe(1);
    await shot('5-history');
    await items.first().getByRole('button', { name: 'Restore' }).click();
    await app.page.waitForFunction(() => !document.querySelector('[data-testid=diagram] svg')?.textContent?.includes('Archive'));
    expect(await app.editorText()).toBe(DIAGRAM);
    await w.page.getByTestId('undo-bar').getByRole('button', { name: 'Undo' }).click();
    await app.waitForSvgText('Archive');
    expect(await app.editorText()).toContain('F[Archive]');
  });

  it('renders a hostile label as text: no dialog, no script, no <img>', async () => {
    await w.page.evaluate(() => ((window as unknown as { __pwned: number }).__pwned = 0));
    const hostile = [
      'flowchart TD',
      `  A["${XSS}"] --> B[Safe]`,
      '  B --> C["<script>window.__pwned=1</script>"]',
      `  C -->|"${XSS}"| D[End]`,
    ].join('\n');
    await app.setEditor(hostile);
    await app.waitForSvgText('Safe');
    await w.page.waitForTimeout(500);
    const result = await w.page.evaluate(() => ({
      imgs: document.querySelectorAll('[data-testid=diagram] img, [data-testid=diagram] foreignObject, [data-testid=diagram] script').length,
      handlers: [...document.querySelectorAll('[data-testid=diagram] *')].some((el) => [...el.attributes].some((a) => a.name.startsWith('on'))),
      pwned: (window as unknown as { __pwned: number }).__pwned,
      text: document.querySelector('[data-testid=diagram] svg')?.textContent ?? '',
    }));
    expect(result).toMatchObject({ imgs: 0, handlers: false, pwned: 0 });
    // Drawn as the literal text (words are separate <tspan>s, hence no spaces).
    expect(result.text.replace(/\s+/g, '')).toContain('<imgsrc=xonerror=alert(1)>');
    expect(result.text.replace(/\s+/g, '')).toContain('<script>window.__pwned=1</script>');
    expect(w.dialogs).toEqual([]);
    await shot('6-hostile-label');

    // The exported SVG is just as inert.
    const { bytes } = await app.download(() => w.page.getByTestId('download-svg').click());
    const xml = bytes.toString('utf8');
    expect(xml).not.toMatch(/<img|<script|\son[a-z]+=|<foreignObject/i);

    // And the same diagram arriving through a share link (the real attack path).
    await w.page.getByTestId('share').click();
    // The field still shows the earlier test's link until the copy finishes: wait for the new one.
    await w.page.waitForFunction(
      (old) => (document.querySelector<HTMLInputElement>('[data-testid=share-link]')?.value ?? old) !== old,
      shareLink,
    );
    const link = await w.page.getByTestId('share-link').inputValue();
    const victim = await openPage(browser, link);
    await new AppPage(victim.page).waitForSvgText('Safe');
    await victim.page.waitForTimeout(500);
    expect(victim.dialogs).toEqual([]);
    expect(await victim.page.locator('[data-testid=diagram] img').count()).toBe(0);
    expect(victim.problems).toEqual([]);
    await victim.context.close();
  });

  it('Stop cancels a run and keeps the drawing', async () => {
    await app.setEditor(DIAGRAM);
    await app.waitForSvgText('Pay within 5 days');
    // Generate, then Stop as soon as the button exists: well before the tape model can finish.
    await w.page.evaluate(async () => {
      document.querySelector<HTMLButtonElement>('[data-testid=generate]')!.click();
      for (let i = 0; i < 100 && !document.querySelector('[data-testid=stop]'); i++) await new Promise((r) => setTimeout(r, 5));
      document.querySelector<HTMLButtonElement>('[data-testid=stop]')!.click();
    });
    await app.waitForPhase('aborted');
    expect(await app.svgText()).toContain('Manager approval');
    // The server is free again: a new run completes.
    await app.generateButton().click();
    await app.waitForPhase('done');
  });

  it('zooms, fits and copies code and SVG', async () => {
    const zoom = w.page.getByTestId('zoom-level');
    const before = await zoom.textContent();
    await w.page.getByRole('button', { name: 'Zoom in' }).click();
    expect(await zoom.textContent()).not.toBe(before);
    await app.canvas().focus();
    await w.page.keyboard.press('1'); // actual size
    expect(await zoom.textContent()).toBe('100%');
    await w.page.keyboard.press('-');
    expect(await zoom.textContent()).toBe('80%');
    await w.page.getByRole('button', { name: 'Fit' }).click();
    expect(await zoom.textContent()).toBe(before);

    await w.page.getByRole('button', { name: 'Copy code' }).click();
    expect(await w.page.evaluate(() => navigator.clipboard.readText())).toBe(DIAGRAM);
    await w.page.getByRole('button', { name: 'Copy SVG' }).click();
    const copied = await w.page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*>Manager approval<\/tspan>[\s\S]*<\/svg>\s*$/);
  });

  it('offers API snippets for this server and switches to dark mode', async () => {
    await w.page.getByRole('button', { name: 'Use via API' }).click();
    const snippet = w.page.getByTestId('api-snippet');
    expect(await snippet.textContent()).toContain(`Client.connect("${server.url}")`);
    await w.page.getByRole('tab', { name: 'Python' }).click();
    expect(await snippet.textContent()).toContain('api_name="/generate"');
    await shot('7-api');
    await w.page.keyboard.press('Escape');

    await w.page.getByTestId('ui-mode').selectOption('dark');
    await w.page.getByLabel('Theme', { exact: true }).selectOption('dark');
    await app.waitForSvgText('Pay within 5 days');
    expect(await w.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await w.page.waitForTimeout(300);
    await shot('8-dark');
  });

  it('shares history between tabs: a run in one tab does not write over the other tab\'s', async () => {
    const stored = () =>
      w.page.evaluate(() => (JSON.parse(localStorage.getItem('mfg:history') ?? '[]') as { description: string }[]).map((h) => h.description));
    const before = await stored();
    const other = await w.context.newPage(); // same browser profile: same localStorage
    const otherApp = new AppPage(other);
    await other.goto(`${server.url}/`);
    await otherApp.waitForEditor();
    await otherApp.description().fill('Second tab: a travel request');
    await otherApp.generateButton().click();
    await otherApp.waitForPhase('done');
    await other.close();
    // This tab, open all along, generates: its entry goes on top of the other tab's, not over it.
    await app.generateButton().click();
    await w.page.waitForFunction(
      () => (JSON.parse(localStorage.getItem('mfg:history') ?? '[]') as { description: string }[])[0]?.description !== 'Second tab: a travel request',
    );
    // (the same description and code as this tab's last entry: that one moves to the top)
    expect(await stored()).toEqual([before[0], 'Second tab: a travel request', ...before.slice(1)]);
  });

  it('fits a 390 px phone screen: no sideways scrolling, API tabs inside their dialog', async () => {
    const phone = await openPage(browser, `${server.url}/`, { viewport: { width: 390, height: 844 } });
    await new AppPage(phone.page).waitForEditor();
    await phone.page.getByRole('button', { name: 'Use via API' }).click();
    const layout = await phone.page.evaluate(() => {
      const body = document.querySelector('[data-testid=api] .dialog-body')!.getBoundingClientRect();
      return {
        pageWidth: document.documentElement.scrollWidth,
        tabsOutside: [...document.querySelectorAll('[data-testid=api] [role=tab]')]
          .filter((t) => t.getBoundingClientRect().right > body.right || t.getBoundingClientRect().left < body.left)
          .map((t) => t.textContent),
      };
    });
    expect(layout).toEqual({ pageWidth: 390, tabsOutside: [] });
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  });

  it('logged no console errors', () => {
    expect(w.problems).toEqual([]);
    expect(w.dialogs).toEqual([]);
  });
});
