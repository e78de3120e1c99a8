import { describe as group, expect, it } from 'vitest';
import type { GenerateRequest, StreamEvent } from '../../common/protocol.ts';
import { normalizeRequest, type ValidRequest } from '../../common/request.ts';
import { GenerationQueue } from './queue.ts';
import { ScriptedEngine, type ScriptedEngineOptions } from '../engine/scripted.ts';
import type { ChatMessage, Engine, EngineRequest, TokenChunk } from '../engine/types.ts';
import { describe, type DescribeDeps } from './describe.ts';
// Fake Mermaid stages: `end` ids are repairable, BROKEN is not.
import { fakeTools as tools } from './fake-tools.ts';

/** A request as the rule book passes it on (the pipeline takes nothing else). */
function valid(raw: GenerateRequest, maxNewTokens = 4_000): ValidRequest {
  const r = normalizeRequest(raw, { maxNewTokens });
  if (!r.ok) throw new Error(r.error.message);
  return r.request;
}

const GOOD = '```mermaid\nflowchart TD\n    a["Order"] --> b["Ship"]\n    b --> c["Done"]\n```';
/** `end` as an id: fixable by the fake repair below. */
const FIXABLE = 'Sure! Here it is:\n```mermaid\nflowchart TD\n    a["Order"] --> end\n```\nHope this helps.';
/** BROKEN: nothing deterministic fixes it. */
const UNFIXABLE = '```mermaid\nflowchart TD\n    a["Order"] --> BROKEN\n```';

/** ScriptedEngine that also records how each generation stopped. */
class Engine2 extends ScriptedEngine {
  stops: string[] = [];
  get sent(): ChatMessage[][] {
    return this.received;
  }
  override async *generate(request: EngineRequest, signal?: AbortSignal): AsyncIterable<TokenChunk> {
    let ended = false;
    try {
      for await (const chunk of super.generate(request, signal)) {
        if (chunk.type === 'end') {
          ended = true;
          this.stops.push(chunk.stopReason);
        }
        yield chunk;
      }
    } finally {
      // a reader that leaves early (return()) ends the generation where it is: an abort
      if (!ended) this.stops.push('aborted');
    }
  }
}

/** A loaded scripted engine replaying `outputs` in order. */
async function scripted(outputs: string[], options: ScriptedEngineOptions = {}): Promise<Engine2> {
  const engine = new Engine2({ outputs, model: 'scripted/model', ...options });
  await engine.load();
  return engine;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function deps(engine: Engine, extra: Partial<DescribeDeps> = {}): DescribeDeps {
  return { engine, queue: new GenerationQueue(), budgetMs: 5_000, tools, candidateIntervalMs: 0, ...extra };
}

async function collect(iterable: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

const types = (events: StreamEvent[]) => [...new Set(events.map((e) => e.type))];
const done = (events: StreamEvent[]) => {
  const last = events[events.length - 1]!;
  if (last.type !== 'done') throw new Error(`last event is ${JSON.stringify(last)}`);
  return last.result;
};

group('describe()', () => {
  it('streams started → tokens → candidates → done, with a valid result and timings', async () => {
    const engine = await scripted([GOOD]);
    const events = await collect(describe(valid({ description: 'Order, then ship.' }), deps(engine)));
    expect(events[0]).toEqual({ type: 'started', budgetMs: 5_000 });
    expect(types(events)).toEqual(['started', 'token', 'candidate', 'done']);
    const tokens = events.filter((e) => e.type === 'token');
    expect(tokens.map((e) => e.text).join('')).toBe(GOOD);
    const result = done(events);
    expect(result).toMatchObject({ valid: true, retried: false, budgetCut: false, stopReason: 'eos', repairs: [], diagramType: 'flowchart', device: 'cpu (scripted)', model: 'scripted/model' });
    expect(result.code).toBe('flowchart TD\n    a["Order"] --> b["Ship"]\n    b --> c["Done"]');
    // The end-of-turn token counts too, as with the real model.
    expect(result.tokens).toBe((tokens[tokens.length - 1] as { tokens: number }).tokens + 1);
    expect(Object.keys(result.timings).sort()).toEqual(['firstTokenMs', 'generationMs', 'loadMs', 'queueMs', 'repairMs', 'totalMs']);
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.generationMs);
    // The prompt: system rules + the delimited description.
    expect(engine.sent[0]![1]!.content).toContain('<description>\nOrder, then ship.\n</description>');
  });

  it('candidates hold complete lines only, though tokens carry a newline and the start of the next line', async () => {
    // ScriptedEngine tokens are "a word with its leading whitespace": "\n    b[\"Ship\"]" arrives as one token.
    const engine = await scripted([GOOD]);
    const events = await collect(describe(valid({ description: 'Order, then ship.' }), deps(engine)));
    const candidates = events.filter((e) => e.type === 'candidate').map((e) => (e as { code: string }).code);
    const finalLines = new Set(done(events).code.split('\n'));
    expect(candidates.length).toBeGreaterThan(1);
    for (const code of candidates) for (const line of code.split('\n')) expect(finalLines, `${JSON.stringify(line)} in ${JSON.stringify(code)}`).toContain(line);
  });

  it('reports the load as loading events, and a failed load as model_unavailable', async () => {
    const ok = await collect(describe(valid({ description: 'x' }), deps(new Engine2({ outputs: [GOOD], loadDelayMs: 4 }))));
    expect(types(ok)).toEqual(['loading', 'started', 'token', 'candidate', 'done']);
    expect(done(ok).timings.loadMs).toBeGreaterThanOrEqual(1);

    const failed = await collect(describe(valid({ description: 'x' }), deps(new Engine2({ failLoads: 1, loadErrorMessage: 'onnx/model.onnx not found' }))));
    const last = failed[failed.length - 1]!;
    expect(last).toMatchObject({ type: 'error', error: { code: 'model_unavailable' } });
    expect(last.type === 'error' && last.error.message).toContain('onnx/model.onnx not found');
    // No "try again later": waiting does not fix a missing file (the engine's retry time is given when it has one).
    expect(last.type === 'error' && last.error.message).not.toMatch(/try again later/i);
  });

  it('repairs deterministically and lists the repairs', async () => {
    const events = await collect(describe(valid({ description: 'x' }), deps(await scripted([FIXABLE]))));
    const after = events.filter((e) => e.type !== 'token' && e.type !== 'candidate').map((e) => e.type);
    expect(after).toEqual(['started', 'invalid', 'repairing', 'done']);
    expect(events.find((e) => e.type === 'invalid')).toMatchObject({ error: { line: 2 } });
    expect(events.find((e) => e.type === 'repairing')).toMatchObject({ stage: 'deterministic' });
    expect(done(events)).toMatchObject({ valid: true, repairs: ['rename-reserved-ids'], retried: false });
  });

  it('retries with the model when deterministic repair fails, and keeps the valid retry', async () => {
    const engine = await scripted([UNFIXABLE, GOOD]);
    const events = await collect(describe(valid({ description: 'x' }), deps(engine)));
    const stages = events.filter((e) => e.type === 'repairing').map((e) => e.type === 'repairing' && e.stage);
    expect(stages).toEqual(['deterministic', 'model']);
    const result = done(events);
    expect(result).toMatchObject({ valid: true, retried: true });
    expect(result.code).toContain('a["Order"] --> b["Ship"]');
    // The retry prompt shows the model its output and the parser's error.
    const retry = engine.sent[1]!;
    expect(retry[2]).toMatchObject({ role: 'assistant' });
    expect(retry[2]!.content).toContain('BROKEN');
    expect(retry[3]!.content).toContain('Parse error on line 2');
    // Token counts run on across both passes.
    const counts = events.filter((e) => e.type === 'token').map((e) => (e as { tokens: number }).tokens);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(result.tokens).toBe(counts[counts.length - 1]! + 1);
  });

  it('keeps the first output when the retry is no better', async () => {
    const engine = await scripted([UNFIXABLE, 'I cannot draw that.']);
    const result = done(await collect(describe(valid({ description: 'x' }), deps(engine))));
    expect(result).toMatchObject({ valid: false, retried: true, error: { line: 2 } });
    expect(result.code).toContain('BROKEN');
  });

  it('does not retry when too little budget is left', async () => {
    const engine = await scripted([UNFIXABLE, GOOD]);
    const events = await collect(describe(valid({ description: 'x' }), deps(engine, { budgetMs: 5_000, retryMinMs: 10_000 })));
    expect(engine.sent).toHaveLength(1);
    expect(events.some((e) => e.type === 'repairing' && e.stage === 'model')).toBe(false);
    expect(done(events)).toMatchObject({ valid: false, retried: false });
  });

  it('marks a run cut by the budget, and repairs what it has', async () => {
    const long = GOOD.replace('```\n', '') + '\n' + Array.from({ length: 200 }, (_, i) => `    n${i}["Step ${i}"] --> n${i + 1}`).join('\n');
    const engine = await scripted([long], { tokenDelayMs: 2 });
    const started = Date.now();
    const result = done(await collect(describe(valid({ description: 'x' }), deps(engine, { budgetMs: 60 }))));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result).toMatchObject({ budgetCut: true, stopReason: 'budget', retried: false, valid: true });
    expect(result.tokens).toBeLessThan(long.split(/\s+/).length);
  });

  it('refuses with queue_full and a retry hint when the queue is full', async () => {
    const queue = new GenerationQueue({ maxWaiting: 0 });
    let release!: () => void;
    const blocker = queue.run(() => new Promise<void>((resolve) => (release = resolve)));
    const events = await collect(describe(valid({ description: 'x' }), deps(await scripted([GOOD]), { queue })));
    expect(events).toEqual([{ type: 'error', error: { code: 'queue_full', message: expect.any(String), retryAfterSeconds: expect.any(Number) } }]);
    release();
    await blocker;
  });

  it('reports queue positions while waiting', async () => {
    const queue = new GenerationQueue();
    const engine = await scripted([GOOD, GOOD], { tokenDelayMs: 2 });
    const d = deps(engine, { queue });
    const [a, b] = await Promise.all([collect(describe(valid({ description: 'a' }), d)), collect(describe(valid({ description: 'b' }), d))]);
    expect(a.some((e) => e.type === 'queued')).toBe(false);
    expect(b[0]).toEqual({ type: 'queued', position: 1, queueLength: 1 });
    expect(done(b).timings.queueMs).toBeGreaterThan(0);
  });

  it('cancels mid-generation when the consumer leaves, and frees the queue at once', async () => {
    const queue = new GenerationQueue();
    const engine = await scripted([GOOD.repeat(50)], { tokenDelayMs: 2 });
    const iterator = describe(valid({ description: 'x' }), deps(engine, { queue }));
    for await (const event of iterator) {
      if (event.type === 'token' && event.tokens >= 3) break; // return() → abort
    }
    expect(engine.stops).toEqual(['aborted']);
    expect(queue.running).toBe(0);
    expect(queue.depth).toBe(0);
  });

  it('ends with cancelled when the caller aborts, queued or running', async () => {
    const queue = new GenerationQueue();
    const engine = await scripted([GOOD.repeat(50), GOOD], { tokenDelayMs: 2 });
    const first = new AbortController();
    const second = new AbortController();
    const d = deps(engine, { queue });
    const running = collect(describe(valid({ description: 'a' }), d, first.signal));
    const waiting = collect(describe(valid({ description: 'b' }), d, second.signal));
    await sleep(20);
    second.abort();
    first.abort();
    const [a, b] = await Promise.all([running, waiting]);
    expect(a[a.length - 1]).toMatchObject({ type: 'error', error: { code: 'cancelled' } });
    expect(b[b.length - 1]).toMatchObject({ type: 'error', error: { code: 'cancelled' } });
    expect(engine.sent).toHaveLength(1);
    expect(queue.depth).toBe(0);
  });

  it('uses the refinement prompt with the current diagram and the instruction', async () => {
    const engine = await scripted([GOOD]);
    const req = { description: '', currentDiagram: 'flowchart LR\n    a["Pay"] --> b["Ship"]', instruction: 'add "Invoice" after payment' };
    const result = done(await collect(describe(valid(req), deps(engine))));
    expect(result.valid).toBe(true);
    const user = engine.sent[0]![1]!.content;
    expect(user).toContain('<current_diagram>\nflowchart LR\n    a["Pay"] --> b["Ship"]\n</current_diagram>');
    expect(user).toContain('<instruction>\nadd "Invoice" after payment\n</instruction>');
  });

  it('reports no diagram as an invalid result with a clear error', async () => {
    const engine = await scripted(['1. Order\n2. Ship', '- still a list']);
    const result = done(await collect(describe(valid({ description: 'x' }), deps(engine))));
    expect(result).toMatchObject({ valid: false, code: '', retried: true, error: { message: expect.stringContaining('did not write a Mermaid diagram') } });
  });

  it('caps maxNewTokens at the server ceiling', async () => {
    const engine = await scripted([GOOD]);
    const result = done(await collect(describe(valid({ description: 'x', maxNewTokens: 3 }), deps(engine, { retryMinMs: 1e9 }))));
    expect(result).toMatchObject({ stopReason: 'max_tokens', tokens: 3 });
  });
});
