/**
 * The Gradio-compatible API, driven by the real @gradio/client package
 * against a real server on 127.0.0.1 (random port), plus the curl flow with
 * plain fetch. Protocol: ../shared/specs/gradio-protocol.md.
 */
import { Client } from '@gradio/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiagramResult } from '../../common/protocol.ts';
import { GOOD, GOOD_CODE, listen, makeApp, parseSse, waitFor, type Listening, type TestApp } from './helpers.ts';

let t: TestApp | null = null;
let srv: Listening | null = null;
afterEach(async () => {
  await t?.shutdown();
  await srv?.close();
  t = null;
  srv = null;
});

async function start(opts: Parameters<typeof makeApp>[0] = {}) {
  t = await makeApp(opts);
  srv = await listen(t.app);
  return { t, url: srv.url };
}

const PARAMS = ['description', 'diagram_type', 'direction', 'current_diagram', 'instruction', 'max_new_tokens'];

describe('@gradio/client', () => {
  it('connects, view_api lists /generate with its parameters, predict returns [mermaid, result]', async () => {
    const { url } = await start();
    const client = await Client.connect(url);
    expect(client.config?.protocol).toBe('sse_v3');
    const api = (await client.view_api()) as { named_endpoints: Record<string, { parameters: { parameter_name: string; parameter_has_default: boolean }[]; returns: unknown[] }> };
    const ep = api.named_endpoints['/generate']!;
    expect(ep.parameters.map((p) => p.parameter_name)).toEqual(PARAMS);
    expect(ep.parameters.filter((p) => !p.parameter_has_default).map((p) => p.parameter_name)).toEqual(['description']);
    expect(ep.returns).toHaveLength(2);

    const res = await client.predict('/generate', { description: 'Order, then ship.' });
    const [code, result] = res.data as [string, DiagramResult];
    expect(code).toBe(GOOD_CODE);
    expect(result).toMatchObject({ valid: true, code: GOOD_CODE, diagramType: 'flowchart' });
    // The optional inputs reach the pipeline (diagram type + direction in the prompt).
    const res2 = await client.predict('/generate', { description: 'Order, then ship.', diagram_type: 'flowchart', direction: 'LR' });
    expect((res2.data as unknown[])[0]).toBe(GOOD_CODE);
    expect(t!.engine.received[1]!.map((m) => m.content).join('\n')).toMatch(/flowchart LR/);
    // Positional form too.
    const res3 = await client.predict('/generate', ['Order, then ship.']);
    expect((res3.data as unknown[])[0]).toBe(GOOD_CODE);
    client.close();
  });

  it('submit streams status (pending, generating) and growing partial outputs, then completes', async () => {
    const { url } = await start({ engine: { tokenDelayMs: 3 } });
    const client = await Client.connect(url, { events: ['data', 'status'] });
    const seen: { type: string; stage?: string; code?: string }[] = [];
    for await (const msg of client.submit('/generate', { description: 'Order, then ship.' })) {
      if (msg.type === 'status') seen.push({ type: 'status', stage: msg.stage });
      if (msg.type === 'data') seen.push({ type: 'data', code: (msg.data as unknown[])[0] as string });
    }
    const stages = seen.filter((s) => s.type === 'status').map((s) => s.stage);
    expect(stages[0]).toBe('pending');
    expect(stages.filter((s) => s === 'generating').length).toBeGreaterThanOrEqual(2);
    expect(stages.at(-1)).toBe('complete');
    const codes = seen.filter((s) => s.type === 'data').map((s) => s.code!);
    expect(codes.at(-1)).toBe(GOOD_CODE);
    // Partial outputs grow (diffs applied by the client): some intermediate value is a strict prefix of the final code.
    expect(codes.some((c) => c.length > 0 && c.length < GOOD_CODE.length && GOOD_CODE.startsWith(c))).toBe(true);
    client.close();
  });

  it('submit while busy: queue position via estimation messages', async () => {
    const { url, t } = await start({ engine: { tokenDelayMs: 10, outputs: [GOOD.repeat(3)] } });
    const a = await Client.connect(url);
    const b = await Client.connect(url, { events: ['data', 'status'] });
    const first = a.predict('/generate', { description: 'first' });
    await waitFor(() => t.queue.running === 1);
    const positions: (number | undefined)[] = [];
    let queueSize: number | undefined;
    for await (const msg of b.submit('/generate', { description: 'second' })) {
      if (msg.type === 'status' && msg.stage === 'pending' && msg.position !== undefined && msg.queue) {
        positions.push(msg.position);
        queueSize ??= msg.size;
      }
    }
    expect(positions).toContain(0); // rank 0 = next in line (our position 1)
    expect(queueSize).toBe(1);
    await first;
    a.close();
    b.close();
  });

  it('two concurrent and two sequential predicts on one client all resolve (multiplexed stream, close_stream)', async () => {
    const { url } = await start({ engine: { tokenDelayMs: 2 } });
    const client = await Client.connect(url);
    const [x, y] = await Promise.all([client.predict('/generate', { description: 'x' }), client.predict('/generate', { description: 'y' })]);
    expect((x.data as unknown[])[0]).toBe(GOOD_CODE);
    expect((y.data as unknown[])[0]).toBe(GOOD_CODE);
    for (let i = 0; i < 2; i++) expect(((await client.predict('/generate', { description: `s${i}` })).data as unknown[])[0]).toBe(GOOD_CODE);
    client.close();
  });

  it('an error surfaces as a rejected promise with a readable message; the server keeps serving', async () => {
    const { url } = await start();
    const client = await Client.connect(url);
    const err = (await client.predict('/generate', { description: '   ' }).catch((e: unknown) => e)) as Error & { title?: string };
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/description is empty/);
    expect(err.title).toBe('Invalid input');
    // Client-side checks from view_api: missing or unknown keyword.
    await expect(client.predict('/generate', {})).rejects.toThrow(/No value provided for required parameter: description/);
    await expect(client.predict('/generate', { description: 'x', colour: 'red' })).rejects.toThrow(/colour/);
    // A type error caught by the server at join (422).
    await expect(client.predict('/generate', { description: 'x', diagram_type: 'pie' })).rejects.toThrow(/diagram_type/);
    expect(((await client.predict('/generate', { description: 'x' })).data as unknown[])[0]).toBe(GOOD_CODE);
    client.close();
  });

  it('a model failure rejects with the pipeline message', async () => {
    const { url } = await start({ unloaded: true, engine: { failLoads: 9, loadErrorMessage: 'weights missing' } });
    const client = await Client.connect(url);
    await expect(client.predict('/generate', { description: 'x' })).rejects.toThrow(/weights missing/);
    client.close();
  });

  it('cancel frees the queue', async () => {
    const { url, t } = await start({ engine: { tokenDelayMs: 10, outputs: [GOOD.repeat(20)] } });
    const client = await Client.connect(url, { events: ['data', 'status'] });
    const job = client.submit('/generate', { description: 'long' });
    for await (const msg of job) {
      if (msg.type === 'data') break;
    }
    await job.cancel();
    await waitFor(() => t.queue.running === 0 && t.runs.active === 0, 2_000, 'cancel to free the queue');
    client.close();
  });

  it('API key: connect without it rejects with auth_message; X-API-Key header or token works', async () => {
    const KEY = 'k-123456789';
    const { url } = await start({ config: { apiKey: KEY } });
    await expect(Client.connect(url)).rejects.toThrow(/API key required/);
    const viaHeader = await Client.connect(url, { headers: { 'X-API-Key': KEY } });
    expect(((await viaHeader.predict('/generate', { description: 'x' })).data as unknown[])[0]).toBe(GOOD_CODE);
    viaHeader.close();
    const viaToken = await Client.connect(url, { token: KEY as `hf_${string}` });
    expect(((await viaToken.predict('/generate', { description: 'x' })).data as unknown[])[0]).toBe(GOOD_CODE);
    viaToken.close();
  });
});

describe('curl flow (POST call/generate → event_id, GET its event stream)', () => {
  async function call(url: string, path: string, body: unknown) {
    const res = await fetch(`${url}/gradio_api/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return res;
  }

  it('positional and keyword (v2) forms stream generating frames and end with complete', async () => {
    const { url } = await start({ engine: { tokenDelayMs: 2 } });
    for (const [path, body] of [
      ['call/generate', { data: ['Order, then ship.'] }],
      ['call/v2/generate', { description: 'Order, then ship.', diagram_type: 'flowchart' }],
    ] as const) {
      const res = await call(url, path, body);
      expect(res.status).toBe(200);
      const { event_id } = (await res.json()) as { event_id: string };
      expect(event_id).toMatch(/^[0-9a-f]{32}$/);
      const stream = await fetch(`${url}/gradio_api/${path}/${event_id}`);
      expect(stream.headers.get('content-type')).toContain('text/event-stream');
      const frames = parseSse(await stream.text());
      expect(frames.at(-1)!.event).toBe('complete');
      const final = JSON.parse(frames.at(-1)!.data) as [string, DiagramResult];
      expect(final).toHaveLength(2);
      expect(final[0]).toBe(GOOD_CODE);
      expect(final[1].valid).toBe(true);
      for (const f of frames.slice(0, -1)) {
        expect(['generating', 'heartbeat']).toContain(f.event);
        if (f.event === 'generating') expect(JSON.parse(f.data)).toHaveLength(2);
      }
      // The finished result can be fetched again.
      const again = parseSse(await (await fetch(`${url}/gradio_api/${path}/${event_id}`)).text());
      expect(again.at(-1)!.event).toBe('complete');
    }
  });

  it('errors: semantic → event: error with a message; malformed → 422; unknown endpoint → 404; unknown event → error frame', async () => {
    const { url } = await start();
    const { event_id } = (await (await call(url, 'call/generate', { data: [''] })).json()) as { event_id: string };
    const frames = parseSse(await (await fetch(`${url}/gradio_api/call/generate/${event_id}`)).text());
    expect(frames).toHaveLength(1);
    expect(frames[0]!.event).toBe('error');
    expect(JSON.parse(frames[0]!.data)).toMatchObject({ error: expect.stringMatching(/description is empty/), title: 'Invalid input' });

    const bad = await call(url, 'call/generate', { data: [42] });
    expect(bad.status).toBe(422);
    expect((await bad.json()).detail[0]).toMatchObject({ parameter_name: 'description', message: 'must be a string' });
    expect((await call(url, 'call/v2/generate', { description: 'x', colour: 'red' })).status).toBe(422);
    expect((await call(url, 'call/nope', { data: ['x'] })).status).toBe(404);
    const unknown = parseSse(await (await fetch(`${url}/gradio_api/call/generate/doesnotexist`)).text());
    expect(unknown[0]!.event).toBe('error');
  });

  it('semantic refusals name the Gradio parameter and are counted as blocked; other routes answer in Gradio\'s {detail} form', async () => {
    const { url } = await start();
    const { event_id } = (await (await call(url, 'call/v2/generate', { description: 'x', max_new_tokens: 0 })).json()) as { event_id: string };
    const frames = parseSse(await (await fetch(`${url}/gradio_api/call/v2/generate/${event_id}`)).text());
    const err = JSON.parse(frames.at(-1)!.data) as { error: string };
    expect(frames.at(-1)!.event).toBe('error');
    expect(err.error).toMatch(/`max_new_tokens` must be between 1 and 4000/);
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/http_blocked_requests_total\{reason="invalid_request"\} 1/);

    const missing = await fetch(`${url}/gradio_api/run/generate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"data":["x"]}' });
    expect(missing.status).toBe(404);
    expect((await missing.json()).detail).toMatch(/queue\/join/);
    // fn_index as a string (some clients) is the same function.
    const join = await call(url, 'queue/join', { data: ['Order, then ship.'], fn_index: '0', session_hash: 'str-fn-index' });
    expect(join.status).toBe(200);
    const text = await (await fetch(`${url}/gradio_api/queue/data?session_hash=str-fn-index`)).text();
    expect(text).toContain('"msg":"process_completed"');
  });

  it('a refinement with an empty description works through @gradio/client', async () => {
    const { url } = await start();
    const client = await Client.connect(url);
    const res = await client.predict('/generate', { description: '', current_diagram: GOOD_CODE, instruction: 'Add a refund step' });
    expect((res.data as unknown[])[0]).toBe(GOOD_CODE);
    expect(t!.engine.received[0]!.map((m) => m.content).join('\n')).toContain('Add a refund step');
    client.close();
  });

  it('heartbeat route stays open and says ALIVE; queue/data frames are data-only JSON lines', async () => {
    const { url } = await start();
    const ac = new AbortController();
    const hb = await fetch(`${url}/gradio_api/heartbeat/abc`, { signal: ac.signal });
    const reader = hb.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe('data: ALIVE\n\n');
    ac.abort();

    // Raw queue protocol, as the Python client speaks it.
    const join = await fetch(`${url}/gradio_api/queue/join`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-gradio-user': 'api' },
      body: JSON.stringify({ data: ['Order, then ship.'], fn_index: 0, session_hash: 'py-session-1' }),
    });
    const { event_id } = (await join.json()) as { event_id: string };
    const text = await (await fetch(`${url}/gradio_api/queue/data?session_hash=py-session-1`)).text();
    for (const block of text.split('\n\n').filter(Boolean)) expect(block).toMatch(/^data: \{.*\}$/);
    const msgs = text.split('\n\n').filter(Boolean).map((b) => JSON.parse(b.slice(6)) as { msg: string; event_id: string | null });
    expect(msgs.map((m) => m.msg)).toContain('process_starts');
    expect(msgs.at(-2)).toMatchObject({ msg: 'process_completed', event_id, success: true });
    expect(msgs.at(-1)).toEqual({ msg: 'close_stream', event_id: null });
    const unknown = await (await fetch(`${url}/gradio_api/queue/data?session_hash=nope`)).text();
    expect(JSON.parse(unknown.slice(6))).toMatchObject({ msg: 'unexpected_error', session_not_found: true });
  });
});

describe('OpenAPI document', () => {
  it('lists the Gradio routes with summaries and parameters; the keyless ones say so', async () => {
    t = await makeApp({ config: { apiKey: 'sk-openapi-test' } });
    const doc = (await (await t.app.request('/openapi.json')).json()) as {
      security: unknown[];
      paths: Record<string, Record<string, { summary?: string; tags?: string[]; security?: unknown[]; parameters?: { name: string; in: string }[]; requestBody?: unknown }>>;
    };
    const expected: [string, string][] = [
      ['/config', 'get'],
      ['/gradio_api/info', 'get'],
      ['/gradio_api/app_id', 'get'],
      ['/gradio_api/queue/join', 'post'],
      ['/gradio_api/queue/data', 'get'],
      ['/gradio_api/heartbeat/{session_hash}', 'get'],
      ['/gradio_api/cancel', 'post'],
      ['/gradio_api/reset', 'post'],
      ['/gradio_api/call/{api_name}', 'post'],
      ['/gradio_api/call/{api_name}/{event_id}', 'get'],
      ['/gradio_api/call/v2/{api_name}', 'post'],
      ['/gradio_api/call/v2/{api_name}/{event_id}', 'get'],
    ];
    for (const [path, method] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method.toUpperCase()} ${path}`).toBeTruthy();
      expect(op!.summary, path).toBeTruthy();
      expect(op!.tags).toEqual(['Gradio']);
    }
    const names = (path: string, method: string) => (doc.paths[path]![method]!.parameters ?? []).map((p) => `${p.in}:${p.name}`);
    expect(names('/gradio_api/call/{api_name}/{event_id}', 'get')).toEqual(['path:api_name', 'path:event_id']);
    expect(names('/gradio_api/queue/data', 'get')).toEqual(['query:session_hash']);
    expect(names('/gradio_api/heartbeat/{session_hash}', 'get')).toEqual(['path:session_hash']);
    expect(doc.paths['/gradio_api/queue/join']!.post!.requestBody).toBeTruthy();
    expect(JSON.stringify(doc.paths['/gradio_api/call/v2/{api_name}']!.post!.requestBody)).toContain('GradioKeywordInputs');
    // API key on the document, except where the server never asks for it.
    expect(doc.security.length).toBeGreaterThan(0);
    for (const p of ['/gradio_api/heartbeat/{session_hash}', '/gradio_api/cancel', '/gradio_api/reset']) {
      expect(Object.values(doc.paths[p]!)[0]!.security, p).toEqual([]);
    }
    expect(doc.paths['/gradio_api/queue/join']!.post!.security).toBeUndefined();
    expect(doc.paths['/api/status']!.get!.security).toEqual([]);
  });
});

describe('Gradio config on a Hugging Face Space', () => {
  it('says space_id and is_space from SPACE_ID; /api/health names the Space for the snippets', async () => {
    const app = await makeApp({ config: { space: { id: 'alice/flows', url: 'https://alice-flows.hf.space' } } });
    const cfg = (await (await app.app.request('/config')).json()) as { space_id: string | null; is_space: boolean };
    expect(cfg).toMatchObject({ space_id: 'alice/flows', is_space: true });
    const health = (await (await app.app.request('/api/health')).json()) as { space: unknown };
    expect(health.space).toEqual({ id: 'alice/flows', url: 'https://alice-flows.hf.space' });
    const plain = await makeApp();
    expect(await (await plain.app.request('/config')).json()).toMatchObject({ space_id: null, is_space: false });
  });
});
