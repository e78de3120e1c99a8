/**
 * Issue 14, item 3: no cross-site starts. A page on another site can make a
 * browser send a "simple" request without asking the server first: a form
 * post (`application/x-www-form-urlencoded`, `multipart/form-data`) or a
 * `fetch` with `text/plain`. Every route that starts a run answers those 415
 * before any work, so without an API key no other site can spend the model;
 * `application/json` needs a CORS preflight, which other origins fail unless
 * CORS_ORIGINS lets them in (docs/api.md, "Cross-site requests").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../http/helpers.ts';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.shutdown();
  t = null;
});

const DESCRIPTION = 'A customer orders; we ship.';

/** Each route that starts a run, with a body it would accept as JSON. */
const STARTS: Array<[string, unknown]> = [
  ['/api/generate', { description: DESCRIPTION }],
  ['/api/generate/stream', { description: DESCRIPTION }],
  ['/gradio_api/queue/join', { data: [DESCRIPTION], fn_index: 0, session_hash: 'cross-site-1' }],
  ['/gradio_api/call/generate', { data: [DESCRIPTION] }],
  ['/gradio_api/call/v2/generate', { description: DESCRIPTION }],
];

/** The bodies a cross-site form or a no-preflight fetch can send. */
const SIMPLE: Array<[string, (body: unknown) => string]> = [
  ['text/plain', (body) => JSON.stringify(body)],
  ['text/plain;charset=UTF-8', (body) => JSON.stringify(body)],
  ['application/x-www-form-urlencoded', (body) => `json=${encodeURIComponent(JSON.stringify(body))}`],
  ['multipart/form-data; boundary=x', (body) => `--x\r\nContent-Disposition: form-data; name="data"\r\n\r\n${JSON.stringify(body)}\r\n--x--\r\n`],
];

describe('cross-site starts', () => {
  it.each(STARTS.flatMap(([path, body]) => SIMPLE.map(([type, encode]) => [path, type, encode(body)] as const)))(
    '%s with Content-Type %s: 415, and nothing reaches the model',
    async (path, type, text) => {
      t = await makeApp();
      const res = await t.app.request(path, { method: 'POST', headers: { 'Content-Type': type, Origin: 'https://evil.example' }, body: text });
      expect(res.status).toBe(415);
      expect(await res.text()).toMatch(/Content-Type: application\/json/);
      await new Promise((r) => setTimeout(r, 20)); // a run, had one started, would have reached the engine by now
      expect(t.engine.received).toHaveLength(0);
      expect(t.runs.active).toBe(0);
    },
  );

  it('the same requests as JSON do start runs (the rule refuses the type, not the route)', async () => {
    t = await makeApp();
    for (const [path, body] of STARTS.filter(([p]) => p.startsWith('/api/'))) {
      const res = await t.post(path, body);
      expect(res.status, path).toBe(200);
      await res.text();
    }
    expect(t.engine.received.length).toBe(2);
  });

  it('no CORS headers for another origin unless CORS_ORIGINS names it', async () => {
    t = await makeApp();
    const preflight = await t.app.request('/api/generate', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    await t.shutdown();
    t = await makeApp({ config: { corsOrigins: ['https://good.example'] } });
    const allowed = await t.app.request('/gradio_api/queue/join', {
      method: 'OPTIONS',
      headers: { Origin: 'https://good.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://good.example');
    const other = await t.app.request('/gradio_api/queue/join', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    // Every group CORS_ORIGINS opens: the JSON API, Gradio, the OpenAPI document.
    for (const path of ['/api/status', '/config', '/openapi.json']) {
      const res = await t.app.request(path, { headers: { Origin: 'https://good.example' } });
      expect(res.headers.get('access-control-allow-origin'), path).toBe('https://good.example');
    }
  });
});
