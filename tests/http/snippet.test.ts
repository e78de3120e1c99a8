/**
 * The "Use via API" JavaScript snippet runs as a person saves it: as
 * `snippet.js` in a CommonJS project (Node's default without "type": "module")
 * and as `snippet.mjs`, with node, against this server's Gradio API.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snippets } from '../../src/lib/api/snippets.ts';
import { listen, makeApp, type Listening } from './helpers.ts';

const run = promisify(execFile);
const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

describe('the JavaScript snippet, saved and run with node', () => {
  let server: Listening;
  let dir: string;
  beforeAll(async () => {
    const t = await makeApp();
    server = await listen(t.app);
    // Inside the repository, so `@gradio/client` resolves from its node_modules.
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    dir = mkdtempSync(join(ROOT, '.cache', 'snippet-'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  });
  afterAll(async () => server?.close());

  it.each(['snippet.js', 'snippet.mjs'])('%s prints the diagram', async (name) => {
    const js = snippets({ origin: server.url, description: 'A customer orders; we ship.', withKey: false }).find((s) => s.id === 'js')!;
    const file = join(dir, name);
    writeFileSync(file, js.code);
    const { stdout } = await run(process.execPath, [file], { cwd: dir, timeout: 60_000 });
    expect(stdout).toMatch(/^flowchart /);
  }, 90_000);
});
