/**
 * First start on a fresh clone: while `vite build` runs, a page route answers
 * a page that says the UI is being built and reloads itself; once built, the
 * app. A stand-in `vite.js` (it writes index.html after a pause) keeps the
 * test quick and independent of the real build.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureUiBuilt } from '../../server/http/static.ts';
import { makeApp, type TestApp } from './helpers.ts';


/** A project folder whose "vite build" waits until `release` exists, then writes OUT/index.html. */
function fakeProject(): { root: string; release: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'ui-src-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  mkdirSync(join(root, 'node_modules', 'vite', 'bin'), { recursive: true });
  const gate = join(root, 'go');
  writeFileSync(
    join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
    `const fs = require('node:fs'); const path = require('node:path');
     const out = process.argv[process.argv.indexOf('--outDir') + 1];
     const started = Date.now();
     const tick = () => {
       if (fs.existsSync(${JSON.stringify(gate)}) || Date.now() - started > 60000) {
         fs.mkdirSync(out, { recursive: true });
         fs.writeFileSync(path.join(out, 'index.html'), '<!doctype html><title>app</title>');
       } else setTimeout(tick, 50);
     };
     tick();`,
  );
  return { root, release: () => writeFileSync(gate, '') };
}

describe('the first start builds the UI', () => {
  it('says "being built" (and reloads itself) while the build runs, then serves the app', async () => {
    const project = fakeProject();
    const dist = join(mkdtempSync(join(tmpdir(), 'ui-out-')), 'dist');
    const t: TestApp = await makeApp({ staticDir: dist });

    // Before any build: the plain "not built" answer.
    expect(await (await t.app.request('/')).text()).toMatch(/UI is not built/);

    let started = 0;
    const build = ensureUiBuilt(dist, project.root, () => started++);
    expect(started).toBe(1);
    const res = await t.app.request('/');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('retry-after')).toBe('2');
    const page = await res.text();
    expect(page).toContain('The UI is being built');
    expect(page).toMatch(/<meta http-equiv="refresh" content="2">/);
    expect(page).toContain('reloads itself');
    // The API does not wait for the UI.
    expect((await t.app.request('/api/health')).status).toBe(200);

    project.release();
    expect(await build).toEqual({ built: true, ok: true, message: 'UI built' });
    const after = await t.app.request('/');
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('<title>app</title>');
  }, 90_000);

  it('does not call onStart when there is nothing to build', async () => {
    const built = mkdtempSync(join(tmpdir(), 'ui-'));
    writeFileSync(join(built, 'index.html'), '<!doctype html>');
    let started = 0;
    await ensureUiBuilt(built, process.cwd(), () => started++);
    expect(started).toBe(0);
  });
});
