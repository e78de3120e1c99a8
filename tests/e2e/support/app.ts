/** Page object for the app: what a person does, by role and label first, test ids where needed. */
import type { Download, Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';

export class AppPage {
  constructor(readonly page: Page) {}

  description = () => this.page.getByLabel('Process description');
  generateButton = () => this.page.getByTestId('generate');
  stopButton = () => this.page.getByTestId('stop');
  status = () => this.page.getByTestId('run-status');
  diagram = () => this.page.getByTestId('diagram');
  canvas = () => this.page.getByTestId('canvas');
  validation = () => this.page.getByTestId('validation');
  parseError = () => this.page.getByTestId('parse-error');
  editorContent = () => this.page.locator('[data-testid=editor] .cm-content');

  async waitForEditor(): Promise<void> {
    await this.page.locator('[data-testid=editor][data-ready=true]').waitFor();
  }

  async phase(): Promise<string | null> {
    return (await this.status().count()) ? this.status().getAttribute('data-phase') : null;
  }

  async waitForPhase(phase: string, timeout = 60_000): Promise<void> {
    await this.page.locator(`[data-testid=run-status][data-phase=${phase}]`).waitFor({ timeout });
  }

  /** Text of the SVG currently drawn ('' when none). */
  async svgText(): Promise<string> {
    const svg = this.page.locator('[data-testid=diagram] svg');
    return (await svg.count()) ? ((await svg.textContent()) ?? '') : '';
  }

  async waitForSvgText(text: string, timeout = 30_000): Promise<void> {
    await this.page.waitForFunction(
      (t) => document.querySelector('[data-testid=diagram] svg')?.textContent?.includes(t) ?? false,
      text,
      { timeout },
    );
  }

  async editorText(): Promise<string> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=editor] .cm-line')].map((l) => l.textContent ?? '').join('\n'),
    );
  }

  /** Replaces the editor's text as typing would (one input event). */
  async setEditor(code: string): Promise<void> {
    await this.waitForEditor();
    await this.editorContent().click();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(code);
  }

  /** Controls fully on screen that are not the topmost element at their centre: something covers them. */
  async coveredControls(): Promise<string[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('button, select, input, textarea, a[href]')]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
        })
        .filter((el) => {
          const r = el.getBoundingClientRect();
          const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return top !== el && !el.contains(top) && !(top instanceof HTMLLabelElement && top.control === el);
        })
        .map((el) => `${el.tagName} ${el.textContent?.trim() || el.getAttribute('aria-label')}`),
    );
  }

  /** Where every visible control is in the page (document coordinates), to see that something moved nothing. */
  async controlBoxes(): Promise<string[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('button, select, input, textarea, a[href]')]
        .filter((el) => !el.closest('[data-testid^=notices-]'))
        .map((el) => el.getBoundingClientRect())
        .filter((r) => r.width > 0 && r.height > 0)
        .map((r) => `${Math.round(r.left + scrollX)},${Math.round(r.top + scrollY)} ${Math.round(r.width)}×${Math.round(r.height)}`),
    );
  }

  async download(trigger: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
    const [dl] = await Promise.all([this.page.waitForEvent('download') as Promise<Download>, trigger()]);
    const path = await dl.path();
    return { name: dl.suggestedFilename(), bytes: await readFile(path) };
  }
}
