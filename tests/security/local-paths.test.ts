/**
 * Issue 14, item 4: no local paths in responses. With MODEL_PATH set, the
 * absolute path appeared in /api/status, /api/ready, every result's `model`
 * and the model_unavailable message. A response names the model by its Hub
 * id, or by the folder's name for a local model; the server's own log may
 * keep the path. Runs the real server (main.ts) on a tape model.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigWith } from '../../server/config.ts';
import { silentLogger } from '../../server/log.ts';
import { start, type RunningServer } from '../../server/main.ts';
import { ensureTestModel } from '../../server/testmodels/index.ts';

const TAPE = '```mermaid\nflowchart TD\n    a["Order"] --> b["Ship"]\n```';

let server: RunningServer | null = null;
afterEach(async () => {
  await server?.stop('test');
  server = null;
});

async function serve(modelPath: string): Promise<string> {
  const ui = mkdtempSync(join(tmpdir(), 'ui-'));
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  const config = loadConfigWith({ MODEL_PATH: modelPath, DEVICE: 'cpu', DTYPE: 'fp32', PORT: '0', HOST: '127.0.0.1', UI_DIR: ui, RATE_LIMIT_PER_MINUTE: '0' });
  server = await start(config, silentLogger(), { buildUi: false });
  return `http://127.0.0.1:${server.port}`;
}

async function settled(url: string): Promise<{ state: string; model: string }> {
  for (let i = 0; i < 600; i++) {
    const status = (await (await fetch(`${url}/api/status`)).json()) as { state: string; model: string };
    if (status.state === 'ready' || status.state === 'error') return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the model neither loaded nor failed in 60 s');
}

/** Every answer a client can get about the model, as text. */
async function answers(url: string): Promise<string[]> {
  const generate = await fetch(`${url}/api/generate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ description: 'Order, then ship.' }) });
  const stream = await fetch(`${url}/api/generate/stream`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ description: 'Order, then ship.' }) });
  return [
    await (await fetch(`${url}/api/status`)).text(),
    await (await fetch(`${url}/api/ready`)).text(),
    await generate.text(),
    await stream.text(),
  ];
}

describe('no local paths in responses', () => {
  it('a local model is named by its folder: status, ready, results', async () => {
    const dir = await ensureTestModel({ kind: 'tape', text: TAPE });
    const url = await serve(dir);
    const status = await settled(url);
    expect(status.state).toBe('ready');
    expect(status.model).toBe(basename(dir));
    const texts = await answers(url);
    for (const text of texts) expect(text).not.toContain(dirname(dir));
    const result = JSON.parse(texts[2]!) as { model: string; valid: boolean };
    expect(result.valid).toBe(true);
    expect(result.model).toBe(basename(dir));
  });

  it('a model that cannot load: the error names the folder, not where it is', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'secret-place-')), 'my-model');
    const url = await serve(dir);
    const status = await settled(url);
    expect(status.state).toBe('error');
    expect(status.model).toBe('my-model');
    const texts = await answers(url);
    for (const text of texts) expect(text).not.toContain(dirname(dir));
    expect(JSON.parse(texts[2]!)).toMatchObject({ error: { code: 'model_unavailable' } });
  });
});
