/**
 * Every JSON/SSE endpoint through app.request() (no port): health, ready,
 * generate, stream order, cancellation on disconnect, queue positions,
 * validate, repair, docs, metrics, static UI, headers.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiagramResult, StreamEvent } from '../../common/protocol.ts';
import { GOOD, GOOD_CODE, eventsOf, makeApp, readFrames, waitFor, type TestApp } from './helpers.ts';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.shutdown();
  t = null;
});

describe('health and readiness', () => {
  it('health names the build (BUILD_ID), so a deploy can tell the new revision from the old one', async () => {
    t = await makeApp({ config: { buildId: 'abc123' } });
    expect(await (await t.app.request('/api/health')).json()).toMatchObject({ ok: true, buildId: 'abc123' });
  });

  it('health is 200 at once; ready is 503 with progress until loaded, then 200', async () => {
    t = await makeApp({ unloaded: true, engine: { loadDelayMs: 200 } });
    const h = await t.app.request('/api/health');
    expect(h.status).toBe(200);
    expect(await h.json()).toMatchObject({ ok: true, buildId: null });

    let r = await t.app.request('/api/ready');
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ state: 'idle', queueDepth: 0 });

    const loading = t.engine.load();
    await new Promise((res) => setTimeout(res, 60));
    r = await t.app.request('/api/ready');
    expect(r.status).toBe(503);
    const body = await r.json();
    expect(body.state).toBe('loading');
    expect(body.progress).toBeGreaterThanOrEqual(0);
    await loading;
    r = await t.app.request('/api/ready');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ state: 'ready', model: 'scripted/model' });
  });

  it('ready waits for other warm-ups (the Mermaid parser) after the model', async () => {
    t = await makeApp();
    let reason: string | null = 'Starting the Mermaid parser';
    t.deps.notReadyReason = () => reason;
    let r = await t.app.request('/api/ready');
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ state: 'warming', message: 'Starting the Mermaid parser' });
    reason = null;
    expect((await t.app.request('/api/ready')).status).toBe(200);
  });

  it('a failed load: ready is 503 with the error, health stays 200', async () => {
    t = await makeApp({ unloaded: true, engine: { failLoads: 5, loadErrorMessage: 'model.onnx not found' } });
    await t.engine.load().catch(() => undefined);
    const r = await t.app.request('/api/ready');
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ state: 'error', error: expect.stringContaining('model.onnx not found') });
    expect((await t.app.request('/api/health')).status).toBe(200);
  });
});

describe('GET /api/status (what the UI polls)', () => {
  it('is 200 in every state, with the same ReadyStatus body as /api/ready', async () => {
    t = await makeApp({ unloaded: true, engine: { loadDelayMs: 200, failLoads: 1, loadErrorMessage: 'model.onnx not found' } });
    const both = async () => {
      const [status, ready] = [await t!.app.request('/api/status'), await t!.app.request('/api/ready')];
      expect(status.status).toBe(200);
      expect(status.headers.get('cache-control')).toBe('no-store');
      const body = await status.json();
      expect(body).toEqual(await ready.json());
      return { body, readyStatus: ready.status };
    };
    expect(await both()).toMatchObject({ body: { state: 'idle', queueDepth: 0 }, readyStatus: 503 });

    await t.engine.load().catch(() => undefined);
    expect(await both()).toMatchObject({ body: { state: 'error', error: expect.stringContaining('model.onnx not found') }, readyStatus: 503 });

    const loading = t.engine.load();
    await new Promise((res) => setTimeout(res, 60));
    expect(await both()).toMatchObject({ body: { state: 'loading', progress: expect.any(Number) }, readyStatus: 503 });
    await loading;
    expect(await both()).toMatchObject({ body: { state: 'ready', model: 'scripted/model' }, readyStatus: 200 });

    t.deps.notReadyReason = () => 'Starting the Mermaid parser';
    expect(await both()).toMatchObject({ body: { state: 'warming', message: 'Starting the Mermaid parser' }, readyStatus: 503 });
  });
});

describe('POST /api/generate', () => {
  it('returns the DiagramResult (the done payload)', async () => {
    t = await makeApp();
    const res = await t.post('/api/generate', { description: 'Order, then ship.', diagramType: 'flowchart', direction: 'LR' });
    expect(res.status).toBe(200);
    const result = (await res.json()) as DiagramResult;
    expect(result).toMatchObject({ code: GOOD_CODE, valid: true, diagramType: 'flowchart', stopReason: 'eos', budgetCut: false });
    expect(result.tokens).toBeGreaterThan(0);
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('passes refinement fields through to the prompt', async () => {
    t = await makeApp();
    const res = await t.post('/api/generate', { description: 'Orders', currentDiagram: GOOD_CODE, instruction: 'Add a refund step' });
    expect(res.status).toBe(200);
    const sent = t.engine.received[0]!.map((m) => m.content).join('\n');
    expect(sent).toContain('Add a refund step');
  });

  it('a full queue is 503 queue_full with Retry-After', async () => {
    t = await makeApp({ maxWaiting: 0, engine: { tokenDelayMs: 20 } });
    const first = t.post('/api/generate', { description: 'one' });
    await waitFor(() => t!.queue.running === 1);
    const res = await t.post('/api/generate', { description: 'two' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await res.json()).error.code).toBe('queue_full');
    expect((await first).status).toBe(200);
  });
});

describe('POST /api/generate/stream', () => {
  it('sends every event in order as event:/data: frames, ending with done', async () => {
    t = await makeApp();
    const res = await t.post('/api/generate/stream', { description: 'Order, then ship.' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    // Each frame: event line = the JSON's type.
    for (const block of text.split('\n\n').filter(Boolean)) {
      const [ev, data] = block.split('\n');
      expect(ev).toMatch(/^event: [a-z]+$/);
      expect(JSON.parse(data!.slice(6)).type).toBe(ev!.slice(7));
    }
    const events = eventsOf(text);
    const kinds = [...new Set(events.map((e) => e.type))];
    expect(kinds).toEqual(['started', 'token', 'candidate', 'done']);
    expect(events.filter((e) => e.type === 'token').map((e) => (e as { text: string }).text).join('')).toBe(GOOD);
    const last = events.at(-1) as Extract<StreamEvent, { type: 'done' }>;
    expect(last.result.code).toBe(GOOD_CODE);
    await waitFor(() => t!.runs.active === 0, 500, 'run bookkeeping');
  });

  it('sends keep-alive comments while nothing happens (a slow prefill), and loses no event', async () => {
    t = await makeApp({ engine: { firstTokenDelayMs: 400 }, config: { heartbeatMs: 60 } });
    const text = await (await t.post('/api/generate/stream', { description: 'Order, then ship.' })).text();
    const blocks = text.split('\n\n').filter(Boolean);
    const started = blocks.findIndex((b) => b.startsWith('event: started'));
    const firstToken = blocks.findIndex((b) => b.startsWith('event: token'));
    const pings = blocks.slice(started + 1, firstToken);
    expect(pings.length).toBeGreaterThanOrEqual(3);
    expect(pings.every((b) => b === ': keep-alive')).toBe(true);
    const events = eventsOf(text);
    expect(events.filter((e) => e.type === 'token').map((e) => (e as { text: string }).text).join('')).toBe(GOOD);
    expect(events.at(-1)!.type).toBe('done');
  });

  it('repairs show as invalid → repairing → done', async () => {
    t = await makeApp({ engine: { outputs: ['```mermaid\nflowchart TD\n    a["Order"] --> end\n```'] } });
    const events = eventsOf(await (await t.post('/api/generate/stream', { description: 'x' })).text());
    const order = events.filter((e) => e.type !== 'token' && e.type !== 'candidate').map((e) => e.type);
    expect(order).toEqual(['started', 'invalid', 'repairing', 'done']);
  });

  it('a client that disconnects cancels its run and frees the queue at once', async () => {
    t = await makeApp({ engine: { outputs: [GOOD.repeat(40)], tokenDelayMs: 10 } });
    const res = await t.post('/api/generate/stream', { description: 'long one' });
    let tokens = 0;
    for await (const f of readFrames(res)) {
      if (f.event === 'token' && ++tokens === 3) break; // leaving the loop cancels the body
    }
    await waitFor(() => t!.queue.running === 0 && t!.queue.waiting === 0, 1_000, 'queue to free');
    expect(t.runs.active).toBe(0);
    expect(t.engine.received).toHaveLength(1);
    expect(await (await t.app.request('/metrics')).text()).toMatch(/generations_total\{outcome="aborted",transport="sse"\} 1/);
    // The next request starts at once and completes.
    const next = await t.post('/api/generate/stream', { description: 'next' });
    const frames = readFrames(next);
    const first = (await frames.next()).value;
    expect(first?.event).toBe('started');
    await frames.return(undefined);
    await waitFor(() => t!.runs.active === 0, 1_000, 'second run to cancel');
  });

  it('a client leaving while the server waits for the next event is not logged as an internal error', async () => {
    t = await makeApp({ engine: { outputs: [GOOD.repeat(40)], tokenDelayMs: 30 } });
    const res = await t.post('/api/generate/stream', { description: 'long one' });
    for await (const f of readFrames(res)) if (f.event === 'token') break; // cancels while pull() awaits the next token
    await waitFor(() => t!.runs.active === 0, 1_000, 'run to cancel');
    await new Promise((r) => setTimeout(r, 80)); // the token that was awaited arrives after the cancel
    const errors = t.logs.map((l) => JSON.parse(l)).filter((l) => l.level === 'error');
    expect(errors).toEqual([]);
  });

  it('concurrent requests get queued events with their positions', async () => {
    t = await makeApp({ engine: { tokenDelayMs: 15 } });
    const a = t.post('/api/generate/stream', { description: 'a' });
    await waitFor(() => t!.queue.running === 1);
    const b = t.post('/api/generate/stream', { description: 'b' });
    await waitFor(() => t!.queue.waiting === 1);
    const c = t.post('/api/generate/stream', { description: 'c' });
    const [ea, eb, ec] = await Promise.all([a, b, c].map(async (p) => eventsOf(await (await p).text())));
    expect(ea!.find((e) => e.type === 'queued')).toBeUndefined();
    // b is next (position 1) throughout; the line length grows when c joins.
    expect(eb!.filter((e) => e.type === 'queued')).toEqual([
      { type: 'queued', position: 1, queueLength: 1 },
      { type: 'queued', position: 1, queueLength: 2 },
    ]);
    const cq = ec!.filter((e) => e.type === 'queued').map((e) => (e as { position: number }).position);
    expect(cq[0]).toBe(2);
    expect(cq.at(-1)).toBe(1); // moved up when a finished
    for (const ev of [ea!, eb!, ec!]) expect(ev.at(-1)!.type).toBe('done');
  });

  it('an error before the stream starts gets its HTTP status', async () => {
    t = await makeApp({ maxWaiting: 0, engine: { tokenDelayMs: 20 } });
    const first = t.post('/api/generate/stream', { description: 'one' });
    await waitFor(() => t!.queue.running === 1);
    const res = await t.post('/api/generate/stream', { description: 'two' });
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('queue_full');
    await (await first).text();
  });
});

describe('failures a client must read correctly', () => {
  it('an unexpected pipeline failure is 500 with an error id; the cause is logged, never returned', async () => {
    const secret = 'ENOENT: no such file /srv/models/private-path/model.onnx';
    t = await makeApp({ engine: { outputs: () => { throw new Error(secret); } } });
    const res = await t.post('/api/generate', { description: 'x' });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string; errorId?: string } };
    expect(body.error.code).toBe('internal');
    expect(body.error.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.error.message).toContain(body.error.errorId);
    expect(JSON.stringify(body)).not.toContain('private-path');
    const logged = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'internal error');
    expect(logged).toMatchObject({ errorId: body.error.errorId });
    expect(JSON.stringify(logged)).toContain('private-path');
    // The same on the stream: an `error` event with the id only.
    const events = eventsOf(await (await t.post('/api/generate/stream', { description: 'x' })).text());
    const last = events.at(-1) as Extract<StreamEvent, { type: 'error' }>;
    expect(last.error.code).toBe('internal');
    expect(JSON.stringify(events)).not.toContain('private-path');
  });

  it('a run cancelled by the shutdown says shutting_down (503 + Retry-After), not "cancelled"', async () => {
    t = await makeApp({ engine: { outputs: [GOOD.repeat(40)], tokenDelayMs: 20 }, config: { shutdownGraceMs: 50 } });
    const running = t.post('/api/generate', { description: 'running' });
    await waitFor(() => t!.queue.running === 1);
    const queued = t.post('/api/generate/stream', { description: 'queued' });
    await waitFor(() => t!.queue.waiting === 1);
    const stream = await queued;
    expect(stream.status).toBe(200);
    const streamText = stream.text(); // a client that keeps reading
    await t.shutdown();
    const res = await running;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('10');
    expect((await res.json()).error.code).toBe('shutting_down');
    const last = eventsOf(await streamText).at(-1) as Extract<StreamEvent, { type: 'error' }>;
    expect(last).toMatchObject({ type: 'error', error: { code: 'shutting_down', retryAfterSeconds: 10 } });
    t = null;
  });

  it('a JSON run the client cancels is counted as aborted, not as a refused request', async () => {
    t = await makeApp({ engine: { outputs: [GOOD.repeat(40)], tokenDelayMs: 10 } });
    const ac = new AbortController();
    const res = Promise.resolve(
      t.app.request('/api/generate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ description: 'x' }), signal: ac.signal }),
    ).catch(() => null);
    await waitFor(() => t!.queue.running === 1);
    ac.abort();
    await res;
    await waitFor(() => t!.runs.active === 0, 1_000, 'run to cancel');
    const metrics = await (await t.app.request('/metrics')).text();
    expect(metrics).toMatch(/generations_total\{outcome="aborted",transport="json"\} 1/);
    expect(metrics).not.toMatch(/http_blocked_requests_total\{reason="cancelled"\}/);
  });
});

describe('validate and repair', () => {
  it('POST /api/validate returns the parse result as data', async () => {
    t = await makeApp();
    let res = await t.post('/api/validate', { code: GOOD_CODE });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, diagramType: 'flowchart' });
    res = await t.post('/api/validate', { code: 'flowchart TD\n  a --> BROKEN' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: false, line: 2 });
  });

  it('POST /api/repair returns the repaired code and the repairs', async () => {
    t = await makeApp();
    const res = await t.post('/api/repair', { code: 'flowchart TD\n  a --> end' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ valid: true, repairs: ['rename-reserved-ids'], code: 'flowchart TD\n  a --> end_' });
    expect(await (await t.app.request('/metrics')).text()).toContain('diagram_repairs_total{name="rename-reserved-ids"} 1');
  });
});

describe('docs, metrics, headers', () => {
  it('/openapi.json documents every endpoint; /docs works with local assets and no inline script', async () => {
    t = await makeApp();
    const doc = await (await t.app.request('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/api/generate', '/api/generate/stream', '/api/validate', '/api/repair', '/api/health', '/api/ready', '/api/status']) {
      expect(doc.paths[p], p).toBeTruthy();
    }
    expect(doc.components.schemas.GenerateRequest.properties.diagramType.enum).toContain('flowchart');
    const page = await t.app.request('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/<script>(?!<)/); // every script has a src
    expect(html).not.toContain('cdn.');
    for (const asset of ['/docs/assets/swagger-ui.css', '/docs/assets/swagger-ui-bundle.js', '/docs/assets/init.js']) {
      expect(html).toContain(asset);
      const r = await t.app.request(asset);
      expect(r.status, asset).toBe(200);
    }
    expect((await t.app.request('/docs/assets/package.json')).status).toBe(404);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('/metrics has requests, latency, queue depth, tokens/s, generations', async () => {
    t = await makeApp();
    await t.post('/api/generate', { description: 'x' });
    const text = await (await t.app.request('/metrics')).text();
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/api\/generate",status="200"\} 1/);
    expect(text).toContain('http_request_duration_seconds_bucket');
    expect(text).toMatch(/generation_queue_depth\{state="running"\} 0/);
    expect(text).toContain('generation_tokens_count 1');
    expect(text).toContain('generation_tokens_per_second_bucket');
    expect(text).toMatch(/generations_total\{outcome="valid",transport="json"\} 1/);
    expect(text).toContain('generation_budget_cuts_total 0');
  });

  it('security headers and a same-origin CORS default; CORS_ORIGINS opens it', async () => {
    t = await makeApp();
    let res = await t.app.request('/api/health', { headers: { Origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
    expect(res.headers.get('x-powered-by')).toBeNull();
    await t.shutdown();

    t = await makeApp({ config: { corsOrigins: ['https://app.example'] } });
    res = await t.app.request('/api/generate', {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-api-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-api-key');
    res = await t.app.request('/api/health', { headers: { Origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('static UI', () => {
  it('serves dist/ with long-cached hashed assets and an SPA fallback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ui-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title><script type="module" src="/assets/app-abc123.js"></script>');
    writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
    t = await makeApp({ staticDir: dir });
    let res = await t.app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('<title>app</title>');
    res = await t.app.request('/assets/app-abc123.js');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('content-type')).toContain('javascript');
    res = await t.app.request('/history/42');
    expect(await res.text()).toContain('<title>app</title>');
    expect((await t.app.request('/assets/missing-1.js')).status).toBe(404);
    expect((await t.app.request('/favicon.svg')).headers.get('content-type')).toBe('image/svg+xml');
    expect(await (await t.app.request('/..%2F..%2F..%2Fetc%2Fpasswd')).text()).not.toContain('root:');
    // Malformed percent-encoding is a 404, not an internal error.
    for (const bad of ['/%E0%A4%A', '/100%', '/assets/%C0%AF']) {
      res = await t.app.request(bad);
      expect(res.status, bad).toBe(404);
    }
    expect(t.logs.join('')).not.toContain('internal error');
    res = await t.app.request('/api/nope');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});

describe('ensureUiBuilt', () => {
  it('is a no-op when built, and refuses to build into a folder with other files', async () => {
    const { ensureUiBuilt } = await import('../../server/http/static.ts');
    const built = mkdtempSync(join(tmpdir(), 'ui-'));
    writeFileSync(join(built, 'index.html'), '<!doctype html>');
    expect(await ensureUiBuilt(built, process.cwd())).toEqual({ built: false, ok: true, message: 'UI already built' });
    const other = mkdtempSync(join(tmpdir(), 'ui-'));
    writeFileSync(join(other, 'notes.txt'), 'keep me');
    const r = await ensureUiBuilt(other, process.cwd());
    expect(r).toMatchObject({ built: false, ok: false });
  });
});
