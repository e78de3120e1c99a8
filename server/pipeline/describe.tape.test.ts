/**
 * The whole real path on CPU: tape models (greedy output = a chosen text)
 * through transformers.js + onnxruntime-node, the queue, the budget, and the
 * real extract → validate (Mermaid's parser) → repair.
 */
import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import type { DiagramResult, GenerateRequest, StreamEvent } from '../../common/protocol.ts';
import { normalizeRequest, type ValidRequest } from '../../common/request.ts';
import { TransformersEngine } from '../engine/model.ts';
import { GenerationQueue } from './queue.ts';
import { closeValidator, validate, warmUp } from '../mermaid/validate.ts';
import { ensureTestModel } from '../testmodels/index.ts';
import { describe } from './describe.ts';

/** A request as the rule book passes it on (the pipeline takes nothing else). */
function valid(raw: GenerateRequest, maxNewTokens = 4_000): ValidRequest {
  const r = normalizeRequest(raw, { maxNewTokens });
  if (!r.ok) throw new Error(r.error.message);
  return r.request;
}

/** What a small model writes on a bad day: chatty, fenced, `end` as an id, parentheses in a bare label. */
const CHATTY_BROKEN = [
  'Sure! Here is the diagram for your process:',
  '',
  '```mermaid',
  'flowchart TD',
  '    A[Customer places order] --> B[Check payment (card or cash)]',
  '    B --> C{Payment ok?}',
  '    C -->|yes| D[Ship order]',
  '    C -->|no| end',
  '    D --> end',
  '```',
  '',
  'This diagram shows each step of the order process. Let me know if you need any changes!',
].join('\n');

const FRENCH = [
  '```mermaid',
  'flowchart TD',
  '    a["Le client passe une commande"] --> b{"Article en stock ?"}',
  '    b -->|"oui"| c[Expédier l’article (colis)]',
  '    b -->|"non"| d["Rembourser le client"]',
  '    c --> e(["Fin"])',
  '    d --> e',
  '```',
].join('\n');

/** The model forgot the header line and started at the first node. */
const HEADERLESS = ['```mermaid', '    a[Bestellung eingegangen] --> b[Ware versenden]', '    b --> c[Fertig]', '```'].join('\n');

async function run(engine: TransformersEngine, description: string, extra: { direction?: 'TD' | 'LR' } = {}): Promise<{ events: StreamEvent[]; result: DiagramResult }> {
  const events: StreamEvent[] = [];
  const deps = { engine, queue: new GenerationQueue(), budgetMs: 60_000 };
  for await (const event of describe(valid({ description, ...extra }), deps)) events.push(event);
  const last = events[events.length - 1]!;
  if (last.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(last)}`);
  return { events, result: last.result };
}

group('describe() on tape models through transformers.js (CPU)', () => {
  const engines: TransformersEngine[] = [];
  let broken: TransformersEngine;
  let french: TransformersEngine;
  let headerless: TransformersEngine;

  beforeAll(async () => {
    // As the server does at startup: Mermaid's parser is started before the first request.
    const [brokenDir, frenchDir, headerlessDir] = await Promise.all([
      ensureTestModel({ kind: 'tape', text: CHATTY_BROKEN }),
      ensureTestModel({ kind: 'tape', text: FRENCH }),
      ensureTestModel({ kind: 'tape', text: HEADERLESS }),
      warmUp(),
    ]);
    broken = new TransformersEngine({ modelPath: brokenDir, device: 'cpu', dtype: 'fp32' });
    french = new TransformersEngine({ modelPath: frenchDir, device: 'cpu', dtype: 'fp32' });
    headerless = new TransformersEngine({ modelPath: headerlessDir, device: 'cpu', dtype: 'fp32' });
    engines.push(broken, french, headerless);
  });

  afterAll(async () => {
    await Promise.all(engines.map((e) => e.dispose()));
    await closeValidator();
  });

  it('a fenced, chatty, broken flowchart comes out valid, with the repairs listed', async () => {
    const { events, result } = await run(broken, 'A customer orders; we check the payment and ship, or stop.');
    const types = events.map((e) => e.type);
    // The model loads on first use: loading first, then the run.
    expect(types[0]).toBe('loading');
    expect(types.indexOf('started')).toBeLessThan(types.indexOf('token'));
    expect(types).toContain('candidate');
    expect(types.filter((t) => t === 'invalid')).toHaveLength(1);
    expect(events.find((e) => e.type === 'repairing')).toMatchObject({ stage: 'deterministic' });

    expect(result.valid).toBe(true);
    expect(result.retried).toBe(false);
    expect(result.diagramType).toBe('flowchart');
    expect(result.repairs).toEqual(['lenient-flowchart']);
    expect(await validate(result.code)).toMatchObject({ ok: true });
    // The model's content survives; its prose does not.
    for (const label of ['Customer places order', 'Check payment (card or cash)', 'Payment ok?', 'Ship order']) {
      expect(result.code).toContain(label);
    }
    expect(result.code).not.toMatch(/Sure!|Let me know/);
    expect(result.code.startsWith('flowchart TD')).toBe(true);
    expect(result).toMatchObject({ stopReason: 'eos', budgetCut: false, device: 'cpu (fp32)' });
    expect(result.tokens).toBeGreaterThan(50);
    expect(result.tokensPerSecond).toBeGreaterThan(0);
    expect(result.timings.firstTokenMs).not.toBeNull();
    expect(result.timings.loadMs).toBeGreaterThan(0);
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.generationMs);
    // The streamed tokens are the tape's text.
    const streamed = events.filter((e) => e.type === 'token').map((e) => (e.type === 'token' ? e.text : '')).join('');
    expect(streamed).toBe(CHATTY_BROKEN);
  });

  it('code without its header line gets the requested type and direction in front, nothing else added', async () => {
    const { result } = await run(headerless, 'Bestellung eingegangen, dann Ware versenden, dann fertig.', { direction: 'LR' });
    expect(result.valid).toBe(true);
    expect(result.retried).toBe(false);
    expect(result.repairs[0]).toBe('add-header');
    expect(result.code.split('\n').map((l) => l.trim())).toEqual(['flowchart LR', 'a[Bestellung eingegangen] --> b[Ware versenden]', 'b --> c[Fertig]']);
  });

  it('French in, French labels out (accents and punctuation kept)', async () => {
    const { result } = await run(french, 'Le client passe une commande. Si l’article est en stock, on l’expédie ; sinon on rembourse le client.');
    expect(result.valid).toBe(true);
    for (const label of ['Le client passe une commande', 'Article en stock ?', 'oui', 'non', 'Expédier l’article (colis)', 'Rembourser le client', 'Fin']) {
      expect(result.code).toContain(label);
    }
    expect(result.repairs).toContain('lenient-flowchart');
  });
});
