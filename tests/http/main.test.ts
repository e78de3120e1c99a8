/**
 * The real server process: `tsx server/main.ts` with a tape model
 * (MODEL_PATH, DEVICE=cpu) through transformers.js, the real Mermaid
 * stages, health before ready, a real generation (JSON, SSE, Gradio), then
 * SIGTERM: new work gets 503 shutting_down, the running generation is
 * cancelled after the grace period, and the process exits 0.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@gradio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagramResult } from '../../common/protocol.ts';
import { ensureTestModel } from '../../server/testmodels/index.ts';
import { buildIdFile } from '../../server/main.ts';
import { startServer, waitReady, type ServerProcess } from '../support/server-process.ts';
import { eventsOf, readFrames } from './helpers.ts';

const DIAGRAM = ['flowchart TD', '    a["Order received"] --> b{"In stock?"}', '    b -->|"yes"| c["Ship"]', '    b -->|"no"| d["Refund"]'].join('\n');
const TAPE = '```mermaid\n' + DIAGRAM + '\n```';
/** Long enough to still be generating when SIGTERM arrives. */
const LONG_TAPE = '```mermaid\nflowchart TD\n' + Array.from({ length: 400 }, (_, i) => `    n${i}["Step ${i}"] --> n${i + 1}["Step ${i + 1}"]`).join('\n') + '\n```';

/** The tape model on the CPU in fp32, a short grace period for the SIGTERM tests. */
const start = (modelDir: string, env: Record<string, string> = {}) => startServer({ MODEL_PATH: modelDir, DTYPE: 'fp32', SHUTDOWN_GRACE_MS: '1500', ...env });

describe('server/main.ts with a tape model (real engine, real Mermaid)', () => {
  let modelDir: string;
  let longDir: string;
  beforeAll(async () => {
    modelDir = await ensureTestModel({ kind: 'tape', text: TAPE });
    longDir = await ensureTestModel({ kind: 'tape', text: LONG_TAPE });
  });

  let proc: ServerProcess | null = null;
  afterAll(() => {
    if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
  });

  it('answers health at once, ready after load, generates via JSON, SSE and @gradio/client, and exits 0 on SIGTERM', async () => {
    proc = await start(modelDir);
    expect((await fetch(`${proc.url}/api/health`)).status).toBe(200);
    await waitReady(proc.url);

    const res = await fetch(`${proc.url}/api/generate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ description: 'Order handling' }) });
    expect(res.status).toBe(200);
    const result = (await res.json()) as DiagramResult;
    expect(result).toMatchObject({ valid: true, diagramType: 'flowchart', stopReason: 'eos' });
    expect(result.code).toContain('Order received');

    const stream = await fetch(`${proc.url}/api/generate/stream`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ description: 'Order handling' }) });
    const events = eventsOf(await stream.text());
    expect(events[0]!.type).toBe('started');
    expect(events.at(-1)!.type).toBe('done');
    expect(events.some((e) => e.type === 'token')).toBe(true);

    const client = await Client.connect(proc.url);
    const g = await client.predict('/generate', { description: 'Order handling' });
    expect((g.data as [string, DiagramResult])[1].valid).toBe(true);
    client.close();

    expect(await (await fetch(`${proc.url}/`)).text()).toContain('<title>ui</title>');
    expect(await (await fetch(`${proc.url}/metrics`)).text()).toMatch(/generations_total\{outcome="valid",transport="json"\} 1/);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.lines.join('\n')).toContain('"msg":"shut down"');
  });

  it('SIGTERM mid-generation: new work gets 503 shutting_down, the run is cancelled after the grace period, exit 0', async () => {
    proc = await start(longDir, { SHUTDOWN_GRACE_MS: '500', MAX_NEW_TOKENS: '32768' });
    await waitReady(proc.url);
    const stream = await fetch(`${proc.url}/api/generate/stream`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ description: 'A long process' }) });
    const frames = readFrames(stream);
    let tokens = 0;
    while (tokens < 5) {
      const { value, done } = await frames.next();
      if (done) throw new Error('stream ended early');
      if (value.event === 'token') tokens++;
    }
    // Keep reading (without leaving: leaving would cancel the run).
    const rest = (async () => {
      const seen: string[] = [];
      for await (const f of frames) seen.push(f.event ?? '');
      return seen;
    })().catch(() => ['(connection closed)']);
    const t0 = Date.now();
    proc.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    // both at once: the server no longer waits for the model, so after the grace period it closes quickly
    const [refused, ready] = await Promise.all([
      fetch(`${proc.url}/api/generate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ description: 'late' }) }),
      fetch(`${proc.url}/api/ready`),
    ]);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('shutting_down');
    expect(ready.status).toBe(503);
    expect(await proc.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(8_000);
    const log = proc.lines.join('\n');
    expect(log).toMatch(/"msg":"shut down"/);
    expect(log).toMatch(/"cancelled":1/);
    const tail = await rest;
    expect(tail.includes('done')).toBe(false); // it did not run to the end
  });
});

describe('buildIdFile', () => {
  it('reads a well-formed BUILD_ID file (as a Space upload carries), ignores a missing or odd one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'build-id-'));
    expect(buildIdFile(dir)).toBeNull();
    writeFileSync(join(dir, 'BUILD_ID'), 'abc123-dirty-x1\n');
    expect(buildIdFile(dir)).toBe('abc123-dirty-x1');
    writeFileSync(join(dir, 'BUILD_ID'), '<script>\n');
    expect(buildIdFile(dir)).toBeNull();
  });
});
