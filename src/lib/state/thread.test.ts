/** The refine thread through the state: turns, versions, what changed, history, reload, and the pure helpers. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { DiagramResult, GenerateRequest, StreamEvent } from '../../../common/protocol.ts';
import { ApiKeyRequiredError } from '../api/http.ts';
import { diagramResult } from '../testing/result.ts';
import { setApiKey } from '../api/apiKey.ts';
import {
  configure,
  diagram,
  generate,
  load,
  refine,
  restoreHistory,
  restoreVersion,
  setDescription,
  setInstruction,
  undo,
} from './diagram.svelte.ts';
import { beginTurn, endTurn, parseThread, startThread, THREAD_LIMIT } from './thread.ts';

function memoryStore() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

const done = (code: string, extra: Partial<DiagramResult> = {}): StreamEvent => ({ type: 'done', result: diagramResult({ code, ...extra }) });

/** A stream that answers each request with the next script. */
function answers(scripts: (StreamEvent[] | Error)[], seen: GenerateRequest[] = []) {
  let i = 0;
  return (req: GenerateRequest) => {
    seen.push(req);
    const script = scripts[i++] ?? [];
    return (async function* () {
      if (script instanceof Error) throw script;
      for (const e of script) {
        await Promise.resolve();
        yield e;
      }
    })();
  };
}

const V1 = 'flowchart TD\n  A[Submit] --> B[Pay]';
const V2 = 'flowchart TD\n  A[Submit] --> M[Manager approval] --> B[Pay]';
const V3 = 'flowchart TD\n  A[Submit] --> M[Manager approval] --> B[Pay invoice]';

let store: ReturnType<typeof memoryStore>;
const validate = async () => ({ ok: true as const, diagramType: 'flowchart' });

describe('the refine thread in the state', () => {
  beforeEach(() => {
    store = memoryStore();
    setApiKey(null);
  });

  it('keeps each turn as a version with what changed, saves it with history and the draft, and goes back', async () => {
    const seen: GenerateRequest[] = [];
    configure({ storage: store, validate, debounceMs: 0, now: () => 5, stream: answers([[done(V1)], [done(V2)], [done(V3)]], seen) });
    setDescription('expenses');
    await generate();
    expect(diagram.state.thread.map((t) => [t.instruction, t.code])).toEqual([['', V1]]);

    setInstruction('add a manager approval');
    await refine();
    expect(seen[1]).toMatchObject({ currentDiagram: V1, instruction: 'add a manager approval' });
    expect(diagram.state.instruction).toBe(''); // the box is ready for the next turn
    setInstruction('call it Pay invoice');
    await refine();
    expect(seen[2]?.currentDiagram).toBe(V2);

    const t = diagram.state.thread;
    expect(t.map((x) => [x.instruction, x.status])).toEqual([
      ['', 'done'],
      ['add a manager approval', 'done'],
      ['call it Pay invoice', 'done'],
    ]);
    expect(t[1]!.changes).toMatchObject({ added: ['Manager approval'], removed: [], renamed: [] });
    expect(t[2]!.changes?.renamed).toEqual([{ from: 'Pay', to: 'Pay invoice' }]);
    expect(diagram.state.history[0]?.thread?.length).toBe(3);

    // Back to the first version, and forward again.
    restoreVersion(t[0]!.id);
    expect(diagram.state.code).toBe(V1);
    restoreVersion(t[2]!.id);
    expect(diagram.state.code).toBe(V3);

    // A reload keeps the thread (the draft), and a restored history entry brings its thread back.
    configure({ storage: store, validate, debounceMs: 0 });
    load();
    expect(diagram.state.thread).toHaveLength(3);
    restoreHistory(diagram.state.history.at(-1)!.id);
    expect(diagram.state.thread.map((x) => x.code)).toEqual([V1]);
  });

  it('a failed or empty turn says why and changes nothing; going back over hand edits can be undone', async () => {
    configure({
      storage: store,
      validate,
      debounceMs: 0,
      stream: answers([[done(V1)], [done('', { valid: false, error: { message: 'The model did not write a Mermaid diagram.' } })], [{ type: 'error', error: { code: 'queue_full', message: 'Busy.' } }]]),
    });
    setDescription('x');
    await generate();
    setInstruction('do something');
    await refine();
    await refine();
    const t = diagram.state.thread;
    expect(t.map((x) => [x.status, x.error])).toEqual([
      ['done', undefined],
      ['failed', 'The model did not write a Mermaid diagram.'],
      ['failed', 'Busy.'],
    ]);
    expect(diagram.state.code).toBe(V1);
  });

  it('a 401 with a key already sent is "key rejected"; without one, only "needed"', async () => {
    configure({ storage: store, validate, debounceMs: 0, stream: answers([new ApiKeyRequiredError(), new ApiKeyRequiredError()]) });
    setDescription('x');
    await generate();
    expect(diagram.state.needsApiKey).toBe(true);
    expect(diagram.state.keyRejected).toBe(false);
    setApiKey('wrong');
    await generate();
    expect(diagram.state.keyRejected).toBe(true);
    setApiKey(null);
  });

  it('undo after going back restores the hand edit', async () => {
    configure({ storage: store, validate, debounceMs: 0, stream: answers([[done(V1)], [done(V2)]]) });
    setDescription('x');
    await generate();
    setInstruction('more');
    await refine();
    const { setCode } = await import('./diagram.svelte.ts');
    setCode(`${V2}\n  B --> Z[Mine]`);
    restoreVersion(diagram.state.thread[0]!.id);
    expect(diagram.state.code).toBe(V1);
    undo();
    expect(diagram.state.code).toBe(`${V2}\n  B --> Z[Mine]`);
  });
});

describe('the request rule book (common/request.ts) before sending', () => {
  it('a request the server would refuse is refused here, in its words, without a request', async () => {
    const seen: GenerateRequest[] = [];
    configure({ storage: memoryStore(), validate, debounceMs: 0, stream: answers([], seen) });
    setDescription('An order\u0001 with a control character');
    await generate();
    expect(seen).toEqual([]);
    expect(diagram.state.run?.phase).toBe('error');
    expect(diagram.state.run?.error?.code).toBe('invalid_request');
  });
});

describe('thread helpers', () => {
  it('caps the thread, keeping the first version', () => {
    let t = startThread(V1, 1);
    for (let i = 0; i < THREAD_LIMIT + 5; i++) t = endTurn(beginTurn(t, `turn ${i}`, 1), { code: V2, before: V1 });
    expect(t).toHaveLength(THREAD_LIMIT);
    expect(t[0]!.code).toBe(V1);
    expect(t.at(-1)!.instruction).toBe(`turn ${THREAD_LIMIT + 4}`);
  });

  it('parseThread drops junk and stops a turn that was still running', () => {
    const parsed = parseThread([{ id: 'a', instruction: '', code: V1, status: 'done', changes: null, time: 1 }, { instruction: 'x', code: '', status: 'running' }, 'junk', { code: 5 }]);
    expect(parsed.map((x) => x.status)).toEqual(['done', 'stopped']);
    expect(parseThread('nope')).toEqual([]);
  });
});
