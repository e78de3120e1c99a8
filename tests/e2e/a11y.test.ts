/**
 * Accessibility: axe-core (injected into the page) on the app's main states,
 * in the light and the dark theme, plus what axe cannot see: the live region
 * (start / done / error announced once, never every token), dialogs (focus
 * moves in, Tab stays in, Escape gives focus back), and a keyboard-only walk
 * with a visible focus ring at every stop. Screenshots of focus states land
 * in test-results/e2e/a11y-*.png.
 *
 * The server runs ENGINE=scripted (a canned answer at ~15 ms a token), so a
 * run streams for real. The "while a run streams" checks do not race it: a
 * fetch wrapper in the page holds the response after a few token events
 * until the test releases it, so the page sits still mid-run on any machine.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppPage } from './support/app.ts';
import { openPage, type Watched } from './support/browser.ts';
import { startScriptedServer, type TestServer } from './support/server.ts';
import { SHOTS, skipE2e, startApp } from './support/suite.ts';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

const DIAGRAM = [
  'flowchart TD',
  '  A[Submit expense report] --> B{Amount over 500?}',
  '  B -->|Yes| C[Manager approval]',
  '  B -->|No| D[Finance approval]',
  '  C --> E[Pay within 5 days]',
  '  D --> E',
].join('\n');
// A few sentences before the code: ~80 tokens in all, over a second at the scripted pace, so a run held
// after its first tokens (duringRun) is still far from its end even when a slow machine reads late.
const ANSWER = [
  'Here is the expense approval process as a flowchart. The report is submitted first; the amount decides who approves it,',
  'a manager above 500 and finance otherwise, and both paths end with the payment within five days.',
  '',
  '```mermaid',
  DIAGRAM,
  '```',
  '',
].join('\n');

/**
 * Rules whose moderate or minor findings are accepted for now, each with its
 * reason in docs/ui.md ("Accessibility"). Serious and critical findings are
 * never accepted. Empty: axe reports nothing in any state checked here.
 */
const ACCEPTED: readonly string[] = [];

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core on the page (or under `include`), every rule that is not experimental; returns its violations. */
async function axe(page: Page, include?: string): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async (inc) => {
    type Result = { violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] };
    const run = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<Result> } }).axe.run;
    const r = await run(inc ? { include: [inc] } : document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240)}`),
    }));
  }, include);
}

/** No violations, but those of an ACCEPTED rule at moderate or minor impact. */
async function expectNoViolations(page: Page, state: string, include?: string): Promise<void> {
  const found = await axe(page, include);
  const blocking = found.filter((f) => !(ACCEPTED.includes(f.id) && (f.impact === 'moderate' || f.impact === 'minor')));
  expect(blocking, `axe, ${state}:\n${JSON.stringify(blocking, null, 2)}`).toEqual([]);
}

/**
 * Wraps fetch in the page so the generation stream can be held mid-run: after
 * `holdAfterTokens` token events the body stops at the next read until
 * `window.__release()`. Holding is armed per run with `window.__arm(n)`.
 */
async function installStreamGate(page: Page): Promise<void> {
  await page.evaluate(() => {
    type Gate = { armed: number; open: Promise<void>; release: () => void };
    const w = window as unknown as { __gate: Gate; __arm: (n: number) => void; __release: () => void; __held: boolean };
    w.__gate = { armed: 0, open: Promise.resolve(), release: () => {} };
    w.__held = false;
    w.__arm = (n) => {
      w.__gate.armed = n;
      w.__gate.open = new Promise((r) => (w.__gate.release = r));
    };
    w.__release = () => {
      w.__gate.armed = 0;
      w.__gate.release();
    };
    const original = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const res = await original(input, init);
      if (!String(input instanceof Request ? input.url : input).includes('/api/generate/stream') || !res.body) return res;
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let tokens = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (w.__gate.armed && tokens >= w.__gate.armed) {
            w.__held = true;
            await w.__gate.open;
            w.__held = false;
          }
          const { done, value } = await reader.read();
          if (done) return controller.close();
          tokens += decoder.decode(value, { stream: true }).split('event: token').length - 1;
          controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
  });
}

/** What the app's live region said, in order, since `startListening`. */
async function startListening(page: Page): Promise<void> {
  await page.evaluate(() => {
    const said: string[] = ((window as unknown as { __said: string[] }).__said = []);
    const region = document.querySelector('[data-testid=announcer]')!;
    new MutationObserver(() => {
      const t = region.textContent?.trim();
      if (t) said.push(t);
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });
}
const said = (page: Page) => page.evaluate(() => [...(window as unknown as { __said: string[] }).__said]);
const clearSaid = (page: Page) => page.evaluate(() => void ((window as unknown as { __said: string[] }).__said.length = 0));

/** A description of the focused element, and whether it shows a focus ring (its own, or the editor's). */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { name: 'body', testid: null, ring: false, inDialog: false };
    const ringOf = el.closest('.cm-editor') ?? el; // CodeMirror draws its ring on the editor box
    const cs = getComputedStyle(ringOf);
    const name =
      el.getAttribute('aria-label') ??
      (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent?.trim() : null) ??
      el.closest('label')?.querySelector('.visually-hidden')?.textContent?.trim() ??
      (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return {
      name: `${el.tagName.toLowerCase()}:${name}`,
      testid: el.getAttribute('data-testid'),
      ring: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
      inDialog: !!el.closest('dialog[open]'),
    };
  });
}

describe.skipIf(skipE2e)('accessibility: axe-core, live region, dialogs and the keyboard', () => {
  let server: TestServer;
  let browser: Browser;
  let w: Watched;
  let app: AppPage;

  /** A screenshot around the focused element (what a keyboard user sees there). */
  async function shotFocus(name: string, page: Page = w.page): Promise<void> {
    const box = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      const r = (el?.closest('.cm-editor') ?? el)?.getBoundingClientRect();
      return r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
    });
    const vp = page.viewportSize()!;
    const pad = 40;
    const clip = box
      ? {
          x: Math.max(0, box.x - pad),
          y: Math.max(0, box.y - pad),
          width: Math.min(vp.width - Math.max(0, box.x - pad), box.width + 2 * pad),
          height: Math.min(vp.height - Math.max(0, box.y - pad), box.height + 2 * pad),
        }
      : undefined;
    await page.screenshot({ path: resolve(SHOTS, `a11y-${name}.png`), ...(clip && clip.width > 0 && clip.height > 0 ? { clip } : {}) });
  }

  /** Starts a run from the keyboard and holds it after a few tokens; `check` runs while it is held, then the run ends. */
  async function duringRun(check: () => Promise<void>): Promise<void> {
    await w.page.evaluate(() => (window as unknown as { __arm: (n: number) => void }).__arm(3));
    await app.description().focus();
    await w.page.keyboard.press('ControlOrMeta+Enter');
    await w.page.waitForFunction(() => (window as unknown as { __held: boolean }).__held, undefined, { timeout: 60_000 });
    expect(await app.phase(), 'the run should be held mid-stream').toBe('generating');
    try {
      await check();
    } finally {
      await w.page.evaluate(() => (window as unknown as { __release: () => void }).__release());
    }
    await app.waitForPhase('done');
    await app.waitForSvgText('Pay within 5 days');
  }

  beforeAll(async () => {
    ({ server, browser } = await startApp(() => startScriptedServer(ANSWER)));
    // bypassCSP: the server's `script-src 'self'` would refuse the injected axe-core script.
    w = await openPage(browser, `${server.url}/`, { bypassCSP: true });
    app = new AppPage(w.page);
    await app.waitForEditor();
    await w.page.getByTestId('ready-badge').filter({ hasText: 'Model ready' }).waitFor();
    await installStreamGate(w.page);
    await startListening(w.page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the empty app has no axe violations', async () => {
    await expectNoViolations(w.page, 'empty app');
  });

  it('keyboard: the skip link, then describe and generate with Ctrl/Cmd+Enter', async () => {
    await w.page.keyboard.press('Tab');
    expect(await focused(w.page)).toMatchObject({ name: 'a:Skip to the description', ring: true });
    await shotFocus('focus-skip-link');
    await w.page.keyboard.press('Enter');
    expect((await focused(w.page)).name).toBe('textarea:Process description');
    await w.page.keyboard.type('An employee submits an expense report; over 500 needs a manager, else finance approves; then it is paid.');
    await clearSaid(w.page);
    await w.page.keyboard.press('ControlOrMeta+Enter');
    await app.waitForPhase('done');
    await app.waitForSvgText('Pay within 5 days');
    expect((await focused(w.page)).name).toBe('textarea:Process description'); // the focus stayed where the user was
  });

  it('the live region announces the start and the end of a run, not its tokens', async () => {
    // (the run of the previous test)
    await w.page.waitForFunction(() => (window as unknown as { __said: string[] }).__said.some((s) => s.startsWith('Done')));
    const messages = await said(w.page);
    expect(messages).toEqual(['Generating the diagram…', expect.stringMatching(/^Done in [\d.]+ seconds: a valid flowchart diagram, \d+ tokens\.$/)]);
    expect(Number(/(\d+) tokens/.exec(messages[1]!)![1])).toBeGreaterThan(20); // many tokens, two announcements
    // the visible status line is not a live region (it changes with every token)
    expect(await w.page.locator('[data-testid=run-status] [aria-live], [data-testid=run-status] [role=status], [data-testid=run-status] [role=alert]').count()).toBe(0);
  });

  it('after a generation (diagram drawn) there are no axe violations', async () => {
    await expectNoViolations(w.page, 'diagram drawn');
  });

  it('while a run streams (Stop, progress, token tail) there are no axe violations, and Enter on Stop stops it', async () => {
    await duringRun(async () => {
      expect(await app.stopButton().count()).toBe(1);
      await expectNoViolations(w.page, 'while streaming');
    });
    // Stop by keyboard: Generate turns into Stop under the focus.
    await clearSaid(w.page);
    await w.page.evaluate(() => (window as unknown as { __arm: (n: number) => void }).__arm(3));
    await app.generateButton().focus();
    await w.page.keyboard.press('Enter');
    await w.page.waitForFunction(() => (window as unknown as { __held: boolean }).__held, undefined, { timeout: 60_000 });
    expect((await focused(w.page)).name).toMatch(/^button:Stop/);
    await shotFocus('focus-stop');
    await w.page.keyboard.press('Enter');
    // (the held body ends the run once released: the aborted request then fails the read)
    await w.page.evaluate(() => (window as unknown as { __release: () => void }).__release());
    await app.waitForPhase('aborted');
    expect((await focused(w.page)).name).toMatch(/^button:Generate/);
    await w.page.waitForFunction(() => (window as unknown as { __said: string[] }).__said.length >= 2);
    expect(await said(w.page)).toEqual(['Generating the diagram…', 'Stopped. The last valid drawing is kept.']);
    await app.generateButton().click();
    await app.waitForPhase('done');
  });

  it('a failed run is announced politely, once', async () => {
    await clearSaid(w.page);
    const body = `event: error\ndata: ${JSON.stringify({ type: 'error', error: { code: 'model_failed', message: 'The model stopped unexpectedly; try again.' } })}\n\n`;
    await w.page.route('**/api/generate/stream', (route) => route.fulfill({ status: 200, contentType: 'text/event-stream', body }));
    try {
      await app.generateButton().click();
      await app.waitForPhase('error');
      const failed = 'Generation failed: The model stopped unexpectedly; try again.';
      await w.page.waitForFunction((m) => (window as unknown as { __said: string[] }).__said.includes(m), failed);
      // (a start that is at once overtaken by the failure is not read out: one message replaces the other)
      const messages = await said(w.page);
      expect(messages.at(-1)).toBe(failed);
      expect(messages.filter((m) => m !== 'Generating the diagram…')).toEqual([failed]);
      expect(await w.page.getByTestId('announcer').getAttribute('aria-live')).toBe('polite');
      await expectNoViolations(w.page, 'run failed');
    } finally {
      await w.page.unroute('**/api/generate/stream');
    }
    await app.generateButton().click();
    await app.waitForPhase('done');
  });

  it('a parser error while editing: marked invalid, announced once typing settles, no axe violations', async () => {
    await app.setEditor(`${DIAGRAM}\n  E --> F[Archive`);
    await app.parseError().waitFor();
    const content = app.editorContent();
    expect(await content.getAttribute('aria-invalid')).toBe('true');
    expect(await content.getAttribute('aria-describedby')).toBe('editor-help parse-error');
    await w.page.waitForFunction(() => (window as unknown as { __said: string[] }).__said.at(-1) === 'Parser error on line 7.');
    expect(await w.page.locator('[data-testid=parse-error][role=alert]').count()).toBe(0); // not assertive while typing
    await expectNoViolations(w.page, 'parser error');
    await shotFocus('focus-editor-error');

    // Tab indents in the editor; Esc, then Tab, leaves it.
    await w.page.keyboard.insertText(']');
    await w.page.waitForFunction(() => (window as unknown as { __said: string[] }).__said.at(-1) === 'Valid flowchart.');
    expect(await content.getAttribute('aria-invalid')).toBeNull();
    await w.page.keyboard.press('Tab');
    expect((await focused(w.page)).name).toBe('div:Mermaid code');
    await w.page.keyboard.press('Escape');
    await w.page.keyboard.press('Tab');
    expect((await focused(w.page)).name).toBe('input:Refinement instruction');
  });

  it('the History dialog: no axe violations; focus moves in, Tab stays in, Escape returns it', async () => {
    const opener = w.page.getByRole('button', { name: 'History', exact: true });
    await opener.focus();
    await w.page.keyboard.press('Enter');
    await w.page.getByTestId('history-item').first().waitFor();
    expect(await focused(w.page)).toMatchObject({ name: 'button:Close', inDialog: true, ring: true });
    await shotFocus('focus-history');
    await expectNoViolations(w.page, 'History dialog');
    // Tab and Shift+Tab cycle through the dialog's controls and never reach the page behind it.
    const stops = await w.page.getByTestId('history').locator('button:not([disabled])').count();
    for (let i = 0; i < stops + 2; i++) {
      await w.page.keyboard.press('Tab');
      expect((await focused(w.page)).inDialog).toBe(true);
    }
    for (let i = 0; i < stops + 2; i++) {
      await w.page.keyboard.press('Shift+Tab');
      expect((await focused(w.page)).inDialog).toBe(true);
    }
    await w.page.keyboard.press('Escape');
    await w.page.getByTestId('history').waitFor({ state: 'hidden' });
    expect((await focused(w.page)).name).toBe('button:History');
  });

  it('the "Use via API" dialog: no axe violations; tabs by arrow keys, Home and End; Escape returns focus', async () => {
    const opener = w.page.getByRole('button', { name: 'Use via API' });
    await opener.focus();
    await w.page.keyboard.press('Enter');
    await w.page.getByTestId('api-snippet').waitFor();
    await expectNoViolations(w.page, 'API dialog');
    // Its notice sits inside the dialog (the page behind a modal is inert), in the line kept for it.
    await w.page.getByTestId('api').getByRole('button', { name: 'Copy', exact: true }).click();
    const notice = w.page.getByTestId('notices-api').getByRole('status');
    await w.page.waitForFunction(() => document.querySelector('[data-testid=notices-api] [role=status]')?.textContent?.includes('Snippet copied'));
    expect(await notice.isVisible()).toBe(true);
    await expectNoViolations(w.page, 'API dialog with a notice');
    await w.page.getByTestId('api').screenshot({ path: resolve(SHOTS, 'a11y-api-notice.png') });
    await w.page.getByRole('tab', { selected: true }).focus();
    const selected = () => w.page.getByRole('tab', { selected: true }).textContent();
    const first = await selected();
    await w.page.keyboard.press('ArrowRight');
    expect(await selected()).not.toBe(first);
    expect(await w.page.evaluate(() => document.activeElement?.getAttribute('aria-selected'))).toBe('true');
    await w.page.keyboard.press('End');
    const last = await selected();
    await w.page.keyboard.press('Home');
    expect(await selected()).toBe(first);
    await w.page.keyboard.press('ArrowLeft'); // wraps to the last
    expect(await selected()).toBe(last);
    await shotFocus('focus-api-tab');
    // The snippet scrolls, so it is a Tab stop (axe: scrollable-region-focusable).
    await w.page.keyboard.press('Tab');
    expect((await focused(w.page)).testid).toBe('api-snippet');
    await w.page.keyboard.press('Escape');
    await w.page.getByTestId('api').waitFor({ state: 'hidden' });
    expect((await focused(w.page)).name).toBe('button:Use via API');
  });

  it('keyboard: zoom, pan, fit and full screen on the diagram, with the keys shown while it has focus', async () => {
    const canvas = app.canvas();
    await canvas.focus();
    expect(await focused(w.page)).toMatchObject({ name: 'div:Diagram preview', ring: true });
    expect(await w.page.locator('#canvas-help').isVisible()).toBe(true);
    await shotFocus('focus-canvas');
    const zoom = w.page.getByTestId('zoom-level');
    const transform = () => w.page.getByTestId('diagram').evaluate((el) => (el as HTMLElement).style.transform);
    await w.page.keyboard.press('1');
    expect(await zoom.textContent()).toBe('100%');
    await w.page.keyboard.press('+');
    expect(await zoom.textContent()).toBe('125%');
    const before = await transform();
    await w.page.keyboard.press('ArrowLeft');
    expect(await transform()).not.toBe(before);
    await w.page.keyboard.press('0');
    await w.page.keyboard.press('f');
    await w.page.waitForFunction(() => document.fullscreenElement?.classList.contains('diagram-pane') ?? false);
    expect((await focused(w.page)).name).toBe('div:Diagram preview'); // the focus stays on the canvas
    await w.page.keyboard.press('f');
    await w.page.waitForFunction(() => document.fullscreenElement === null);
    // the toolbar's buttons do the same from the keyboard
    await w.page.getByRole('button', { name: 'Zoom in' }).focus();
    const z = await zoom.textContent();
    await w.page.keyboard.press('Enter');
    expect(await zoom.textContent()).not.toBe(z);
    await w.page.keyboard.press('Tab');
    await w.page.keyboard.press('Space'); // Fit
    expect(await zoom.textContent()).toBe(z);
  });

  it('keyboard: every Tab stop shows a focus ring, and Tab reaches every control', async () => {
    await w.page.locator('.skip-link').focus();
    const seen: string[] = [];
    const noRing: string[] = [];
    for (let i = 0; i < 60; i++) {
      const inEditor = await w.page.evaluate(() => !!document.activeElement?.closest('.cm-editor'));
      // CodeMirror marks itself focused (and draws its ring) on its next update
      if (inEditor) await w.page.locator('.cm-editor.cm-focused').waitFor();
      const f = await focused(w.page);
      if (f.name === 'body') {
        // past the last control, the browser's own UI would come next
        await w.page.keyboard.press('Tab');
        continue;
      }
      if (seen.includes(f.name)) break; // came back round
      seen.push(f.name);
      if (!f.ring) noRing.push(f.name);
      if (inEditor) await w.page.keyboard.press('Escape'); // the editor keeps Tab for indenting: Esc, then Tab
      await w.page.keyboard.press('Tab');
    }
    expect(noRing, seen.join('\n')).toEqual([]);
    for (const name of [
      'a:Skip to the description',
      'button:History',
      'button:Use via API',
      'select:Appearance',
      'textarea:Process description',
      'select:Diagram type',
      'button:Generate Ctrl Enter',
      'div:Mermaid code',
      'input:Refinement instruction',
      'button:Zoom in',
      'button:Full screen',
      'select:Theme',
      'div:Diagram preview',
      'button:Download SVG',
      'select:PNG scale',
      'button:Share link',
    ]) {
      expect(seen, seen.join('\n')).toContain(name);
    }
  });

  it('dark mode: no axe violations with a diagram, while streaming, in both dialogs, and on the empty app', async () => {
    await w.page.getByTestId('ui-mode').selectOption('dark');
    await w.page.getByLabel('Theme', { exact: true }).selectOption('dark');
    await app.waitForSvgText('Pay within 5 days');
    expect(await w.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await expectNoViolations(w.page, 'dark, diagram drawn');
    await duringRun(() => expectNoViolations(w.page, 'dark, while streaming'));
    await w.page.getByRole('button', { name: 'History', exact: true }).click();
    await expectNoViolations(w.page, 'dark, History dialog');
    await w.page.keyboard.press('Escape');
    await w.page.getByRole('button', { name: 'Use via API' }).click();
    await expectNoViolations(w.page, 'dark, API dialog');
    await shotFocus('focus-dark-api');
    await w.page.keyboard.press('Escape');
    await app.setEditor(`${DIAGRAM}\n  E --> F[Archive`);
    await app.parseError().waitFor();
    await expectNoViolations(w.page, 'dark, parser error');
    await shotFocus('focus-dark-editor-error');

    // A fresh page in dark mode, empty, on both canvases: the dark UI with the light Mermaid theme and the dark one.
    for (const mermaidTheme of ['default', 'dark']) {
      const fresh = await openPage(browser, `${server.url}/`, {
        bypassCSP: true,
        beforeGoto: async (page) => {
          await page.addInitScript((t) => localStorage.setItem('mfg:prefs', JSON.stringify({ uiMode: 'dark', mermaidTheme: t })), mermaidTheme);
        },
      });
      await new AppPage(fresh.page).waitForEditor();
      await fresh.page.keyboard.press('Tab'); // the skip link shows
      await fresh.page.screenshot({ path: resolve(SHOTS, `a11y-dark-empty-${mermaidTheme}.png`) });
      await expectNoViolations(fresh.page, `dark, empty, Mermaid theme ${mermaidTheme}`);
      expect(fresh.problems).toEqual([]);
      await fresh.context.close();
    }
  });

  it('logged no console errors', () => {
    expect(w.problems).toEqual([]);
    expect(w.dialogs).toEqual([]);
  });
});
