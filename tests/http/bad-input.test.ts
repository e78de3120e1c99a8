/**
 * The bad-input battery: each refusal gets the right 4xx and a message a
 * person can act on, is counted and logged as blocked, and the server keeps
 * serving afterwards. Plus the API key (never logged) and the rate limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_DESCRIPTION_CHARS } from '../../common/limits.ts';
import { makeApp, type TestApp } from './helpers.ts';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.shutdown();
  t = null;
});

async function expectError(res: Response, status: number, code: string, message?: RegExp) {
  expect(res.status, `${code}: ${await res.clone().text()}`).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  if (message) expect(body.error.message).toMatch(message);
  return body;
}

async function stillServes(app: TestApp) {
  expect((await app.app.request('/api/health')).status).toBe(200);
  const ok = await app.post('/api/generate', { description: 'Order, then ship.' });
  expect(ok.status).toBe(200);
  expect((await ok.json()).valid).toBe(true);
}

describe('bad input battery (POST /api/generate and friends)', () => {
  it('refuses each bad request with the right 4xx and a clear message, and keeps serving', async () => {
    t = await makeApp();
    const cases: Array<[string, () => Promise<Response>, number, string, RegExp?]> = [
      ['empty description', () => t!.post('/api/generate', { description: '' }), 400, 'empty_description', /empty/],
      ['whitespace description', () => t!.post('/api/generate', { description: ' \n\t  ' }), 400, 'empty_description'],
      ['missing description', () => t!.post('/api/generate', {}), 400, 'invalid_request', /`description` is required/],
      ['wrong type', () => t!.post('/api/generate', { description: 42 }), 400, 'invalid_request', /`description` must be a string/],
      ['wrong type (array body)', () => t!.post('/api/generate', [1, 2]), 400, 'invalid_request'],
      ['wrong type maxNewTokens', () => t!.post('/api/generate', { description: 'x', maxNewTokens: 'many' }), 400, 'invalid_request', /maxNewTokens/],
      ['maxNewTokens too big', () => t!.post('/api/generate', { description: 'x', maxNewTokens: 1e9 }), 400, 'invalid_request', /maxNewTokens/],
      ['invalid JSON', () => t!.post('/api/generate', '{"description": "x",'), 400, 'invalid_json', /not valid JSON/],
      ['unknown diagram type', () => t!.post('/api/generate', { description: 'x', diagramType: 'pie-chart' }), 400, 'invalid_request', /diagramType.*one of.*flowchart/],
      ['unknown direction', () => t!.post('/api/generate', { description: 'x', direction: 'XY' }), 400, 'invalid_request', /direction/],
      ['control characters', () => t!.post('/api/generate', { description: 'Order\u0000 then\u0007 ship' }), 400, 'invalid_request', /control character \(U\+0000\)/],
      ['instruction without diagram', () => t!.post('/api/generate', { description: 'x', instruction: 'add a step' }), 400, 'invalid_request', /currentDiagram/],
      ['description too long', () => t!.post('/api/generate', { description: 'a'.repeat(MAX_DESCRIPTION_CHARS + 1) }), 413, 'too_large', /at most 8000 characters/],
      ['1 MB body', () => t!.post('/api/generate', { description: 'a'.repeat(1024 * 1024) }), 413, 'too_large', /body is too large/],
      ['1 MB body on the stream', () => t!.post('/api/generate/stream', { description: 'a'.repeat(1024 * 1024) }), 413, 'too_large'],
      ['validate: wrong type', () => t!.post('/api/validate', { code: ['flowchart'] }), 400, 'invalid_request', /`code` must be a string/],
      ['validate: too long', () => t!.post('/api/validate', { code: 'a'.repeat(20_001) }), 413, 'too_large'],
      ['repair: invalid JSON', () => t!.post('/api/repair', 'code=1'), 400, 'invalid_json'],
      ['unknown endpoint', () => t!.post('/api/nope', {}), 404, 'not_found'],
      ['lone surrogate', () => t!.post('/api/generate', '{"description":"Order \\ud800 then ship"}'), 400, 'invalid_request', /`description` is not valid Unicode.*U\+D800/],
      ['lone low surrogate in the diagram', () => t!.post('/api/validate', '{"code":"flowchart TD\\n  a --> b\\udc00"}'), 400, 'invalid_request', /`code` is not valid Unicode/],
      ['text/plain body', () => t!.post('/api/generate', { description: 'x' }, { 'Content-Type': 'text/plain' }), 415, 'unsupported_media_type', /Content-Type: application\/json/],
      ['form body', () => t!.post('/api/validate', 'code=x', { 'Content-Type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type', /JSON/],
      ['GET on a POST route', () => Promise.resolve(t!.app.request('/api/generate')), 405, 'method_not_allowed', /takes POST requests \(got GET\)/],
    ];
    for (const [name, send, status, code, message] of cases) {
      await expectError(await send(), status, code, message).catch((e: Error) => {
        throw new Error(`${name}: ${e.message}`);
      });
    }
    // The control-character message names the character, not the text; the stream route checks the same rules.
    await expectError(await t.post('/api/generate/stream', { description: '   ' }), 400, 'empty_description');
    const metrics = await (await t.app.request('/metrics')).text();
    expect(metrics).toMatch(/http_blocked_requests_total\{reason="too_large"\} [1-9]/);
    expect(metrics).toMatch(/http_blocked_requests_total\{reason="invalid_json"\} [1-9]/);
    expect(metrics).toMatch(/http_blocked_requests_total\{reason="unsupported_media_type"\} 2/);
    expect((await t.app.request('/api/validate')).headers.get('allow')).toBe('POST');
    expect(t.engine.received).toHaveLength(0); // nothing reached the model
    await stillServes(t);
  });

  it('a body without Content-Length is still cut at the limit', async () => {
    t = await makeApp({ config: { maxBodyBytes: 1_000 } });
    const big = new TextEncoder().encode(JSON.stringify({ description: 'a'.repeat(5_000) }));
    const body = new ReadableStream({
      start(c) {
        c.enqueue(big);
        c.close();
      },
    });
    const res = await t.app.request('/api/generate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    await expectError(res, 413, 'too_large');
  });
});

describe('limits that depend on the server', () => {
  it('maxNewTokens is capped by the server\'s MAX_NEW_TOKENS, not by the default 4000', async () => {
    t = await makeApp({ maxNewTokens: 8_000 });
    expect((await t.post('/api/generate', { description: 'Order, then ship.', maxNewTokens: 6_000 })).status).toBe(200);
    await expectError(await t.post('/api/generate', { description: 'x', maxNewTokens: 8_001 }), 400, 'invalid_request', /between 1 and 8000/);
    await t.shutdown();
    t = await makeApp({ maxNewTokens: 2_000 });
    await expectError(await t.post('/api/generate', { description: 'x', maxNewTokens: 3_000 }), 400, 'invalid_request', /between 1 and 2000/);
  });

  it('a refinement needs no description (currentDiagram + instruction), as the pipeline allows', async () => {
    t = await makeApp();
    const res = await t.post('/api/generate', { description: '', currentDiagram: 'flowchart TD\n  a --> b', instruction: 'Add a refund step' });
    expect(res.status, await res.clone().text()).toBe(200);
    const sent = t.engine.received[0]!.map((m) => m.content).join('\n');
    expect(sent).toContain('Add a refund step');
    expect(sent).toContain('a --> b');
    // Without both refinement fields an empty description is still refused.
    await expectError(await t.post('/api/generate', { description: ' ', currentDiagram: 'flowchart TD\n  a --> b' }), 400, 'empty_description');
  });
});

describe('API key', () => {
  const KEY = 'sk-test-7f3c9a1b2d4e6f80-secret';

  it('protects /api/* (not health/ready/status) and the Gradio paths; accepts X-API-Key and Bearer; never logs the key', async () => {
    t = await makeApp({ config: { apiKey: KEY, logInputs: true } });
    await expectError(await t.post('/api/generate', { description: 'x' }), 401, 'unauthorized', /X-API-Key/);
    await expectError(await t.post('/api/generate', { description: 'x' }, { 'X-API-Key': 'wrong' }), 401, 'unauthorized');
    await expectError(await t.post('/api/generate', { description: 'x' }, { Authorization: `Bearer ${KEY}x` }), 401, 'unauthorized');
    await expectError(await t.post('/api/validate', { code: 'flowchart TD' }), 401, 'unauthorized');
    expect((await t.app.request('/api/health')).status).toBe(200);
    expect([200, 503]).toContain((await t.app.request('/api/ready')).status);
    expect((await t.app.request('/api/status')).status).toBe(200); // the UI polls it before it has a key
    // Gradio: /config answers 401 with auth_message, others with detail.
    const cfg = await t.app.request('/config');
    expect(cfg.status).toBe(401);
    expect((await cfg.json()).detail.auth_message).toMatch(/API key/);
    const info = await t.app.request('/gradio_api/info');
    expect(info.status).toBe(401);
    expect((await info.json()).detail).toMatch(/API key/);
    expect((await t.post('/gradio_api/call/generate', { data: ['x'] })).status).toBe(401);

    expect((await t.post('/api/generate', { description: 'x' }, { 'X-API-Key': KEY })).status).toBe(200);
    expect((await t.post('/api/generate', { description: 'x' }, { Authorization: `Bearer ${KEY}` })).status).toBe(200);
    expect((await t.post('/api/generate', { description: 'x' }, { Authorization: `Bearer hf_other, Bearer ${KEY}` })).status).toBe(200);
    expect((await t.app.request('/config', { headers: { 'X-HF-Authorization': `Bearer ${KEY}` } })).status).toBe(200);

    const logs = t.logs.join('');
    expect(logs).toContain('"blocked":"unauthorized"');
    expect(logs).not.toContain(KEY);
    expect(logs).not.toContain(KEY.slice(0, 12));
  });

  it('logs sizes, not texts, unless LOG_INPUTS=1', async () => {
    t = await makeApp();
    await t.post('/api/generate', { description: 'My secret supplier process' });
    const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'generation finished');
    expect(line).toMatchObject({ descriptionChars: 26, outcome: 'valid', transport: 'json' });
    expect(line.tokens).toBeGreaterThan(0);
    expect(line).toHaveProperty('budgetCut', false);
    expect(t.logs.join('')).not.toContain('supplier');
    const req = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.path === '/api/generate');
    expect(req).toMatchObject({ method: 'POST', status: 200, route: '/api/generate' });
    expect(req.ms).toBeGreaterThanOrEqual(0);
    expect(req.inBytes).toBeGreaterThan(0);
  });
});

describe('rate limit', () => {
  it('a flood past the limit gets 429 + Retry-After; other clients and health keep working', async () => {
    t = await makeApp({ config: { rateLimit: { burst: 5, perSecond: 0.5 } } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    let message = '';
    for (let i = 0; i < 12; i++) {
      const res = await t.post('/api/generate', { description: 'x' }, { 'X-Real-IP': '10.0.0.1' });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        message = (await res.json()).error.message;
      }
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(message).toMatch(/Too many requests.*try again in \d+ s/);
    // Another client is unaffected; health is never limited.
    expect((await t.post('/api/generate', { description: 'x' }, { 'X-Real-IP': '10.0.0.2' })).status).toBe(200);
    // Validation (cheap, called while typing) has a bucket ten times larger.
    expect((await t.post('/api/validate', { code: 'flowchart TD' }, { 'X-Real-IP': '10.0.0.1' })).status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await t.app.request('/api/health', { headers: { 'X-Real-IP': '10.0.0.1' } })).status).toBe(200);
    expect(await (await t.app.request('/metrics')).text()).toMatch(/http_blocked_requests_total\{reason="rate_limited"\} 7/);
  });

  it('behind a trusted proxy, a client cannot pick a fresh bucket by sending its own X-Forwarded-For', async () => {
    t = await makeApp({ config: { trustProxy: 1, rateLimit: { burst: 2, perSecond: 0.01 } } });
    // The proxy appends the address it saw (203.0.113.7); what comes before it is the client's own text.
    const from = (spoof: string, real: string) => t!.post('/api/generate', { description: 'x' }, { 'X-Forwarded-For': `${spoof}, ${real}` });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await from(`10.9.9.${i}`, '203.0.113.7')).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    // Another real client has its own bucket; the request log names the real address.
    expect((await from('10.9.9.1', '198.51.100.4')).status).toBe(200);
    const lines = t.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(lines.at(-1).ip).toBe('198.51.100.4');
  });

  it('with TRUST_PROXY=2 (two proxies that append), the client is the second hop from the end', async () => {
    t = await makeApp({ config: { trustProxy: 2, rateLimit: { burst: 1, perSecond: 0.01 } } });
    // client's own claim, then what the outer proxy saw (the client), then what the inner proxy saw (the outer proxy)
    const from = (spoof: string, client: string) => t!.post('/api/generate', { description: 'x' }, { 'X-Forwarded-For': `${spoof}, ${client}, 10.0.0.2` });
    expect((await from('1.1.1.1', '203.0.113.7')).status).toBe(200);
    expect((await from('2.2.2.2', '203.0.113.7')).status).toBe(429);
    expect((await from('3.3.3.3', '198.51.100.4')).status).toBe(200);
    const ips = t.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request').map((l) => l.ip);
    expect(ips).toEqual(['203.0.113.7', '203.0.113.7', '198.51.100.4']);
  });
});
