import { beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_LIMIT } from '../../../common/limits.ts';
import type { DiagramResult, GenerateRequest, StreamEvent, ValidateResult } from '../../../common/protocol.ts';
import { ApiKeyRequiredError } from '../api/http.ts';
import { diagramResult } from '../testing/result.ts';
import {
  applyEvent,
  configure,
  deleteHistory,
  diagram,
  generate,
  load,
  loadExample,
  loadShared,
  refine,
  reloadHistory,
  reportRender,
  restoreHistory,
  retry,
  setCode,
  setDescription,
  setDiagramType,
  setInstruction,
  settled,
  stop,
  undo,
} from './diagram.svelte.ts';

function memoryStore() {
  const m = new Map<string, string>();
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

/** A validator that accepts code starting with "flowchart" and points at the first line containing "!!". */
const validate = async (code: string): Promise<ValidateResult> => {
  const bad = code.split('\n').findIndex((l) => l.includes('!!'));
  if (!code.startsWith('flowchart')) return { ok: false, line: 1, message: 'No diagram type detected' };
  return bad === -1 ? { ok: true, diagramType: 'flowchart-v2' } : { ok: false, line: bad + 1, message: 'Parse error' };
};

const result = (code: string, extra: Partial<DiagramResult> = {}): DiagramResult => diagramResult({ code, diagramType: 'flowchart-v2', ...extra });

function scripted(events: StreamEvent[], seen: GenerateRequest[] = []) {
  return (req: GenerateRequest) => {
    seen.push(req);
    return (async function* () {
      for (const e of events) {
        await Promise.resolve();
        yield e;
      }
    })();
  };
}

let store: ReturnType<typeof memoryStore>;
beforeEach(() => {
  store = memoryStore();
  configure({ storage: store, validate, debounceMs: 0, now: () => 1_000 });
});

describe('inputs', () => {
  it('persists the description and options so a reload keeps them', () => {
    setDescription('Un client passe une commande');
    setDiagramType('sequence');
    configure({ storage: store, validate, debounceMs: 0 });
    expect(diagram.state.description).toBe('');
    load();
    expect(diagram.state.description).toBe('Un client passe une commande');
    expect(diagram.state.diagramType).toBe('sequence');
    expect(diagram.dirty).toBe(true); // typed, never generated: still unsaved after the reload
  });
});

describe('reload', () => {
  it('keeps unsaved edits unsaved, so a link opened after a reload still offers undo', async () => {
    applyEvent({ type: 'done', result: result('flowchart TD\n  Saved') });
    setCode('flowchart TD\n  Edited');
    configure({ storage: store, validate, debounceMs: 0 });
    load();
    expect(diagram.state.code).toBe('flowchart TD\n  Edited');
    expect(diagram.dirty).toBe(true);
    loadShared({ code: 'flowchart TD\n  Link', description: '' });
    expect(diagram.state.undoStack.at(-1)?.code).toBe('flowchart TD\n  Edited');
  });
});

describe('editing', () => {
  it('draws valid code and keeps the last good drawing while the code is broken', async () => {
    setCode('flowchart TD\n  A --> B');
    expect(diagram.state.validation.status).toBe('pending');
    await settled();
    expect(diagram.state.validation).toEqual({ status: 'valid', diagramType: 'flowchart-v2' });
    expect(diagram.state.renderCode).toBe('flowchart TD\n  A --> B');
    expect(diagram.stale).toBe(false);

    setCode('flowchart TD\n  A --> B\n  B -- !! C');
    await settled();
    expect(diagram.state.validation).toEqual({ status: 'invalid', error: { line: 3, message: 'Parse error' } });
    expect(diagram.error).toEqual({ line: 3, message: 'Parse error' });
    expect(diagram.state.renderCode).toBe('flowchart TD\n  A --> B');
    expect(diagram.stale).toBe(true);
  });

  it('ignores a validation result for code that was replaced meanwhile', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    configure({ storage: store, debounceMs: 0, validate: async (c) => (c.includes('slow') ? (await gate, { ok: true, diagramType: 'x' }) : validate(c)) });
    setCode('flowchart TD\n  slow');
    await new Promise((r) => setTimeout(r, 5));
    setCode('flowchart TD\n  !!');
    release();
    await settled();
    await new Promise((r) => setTimeout(r, 5));
    expect(diagram.state.validation.status).toBe('invalid');
    expect(diagram.state.renderCode).toBe('');
  });

  it('records a render failure for the drawn code and clears it on the next good code', async () => {
    setCode('flowchart TD\n  A --> B');
    await settled();
    reportRender('flowchart TD\n  A --> B', { svg: '<svg>1</svg>' });
    expect(diagram.state.svg).toBe('<svg>1</svg>');
    reportRender('flowchart TD\n  A --> B', { error: { message: 'render failed' } });
    expect(diagram.stale).toBe(true);
    expect(diagram.error).toEqual({ message: 'render failed' });
    reportRender('something else', { error: { message: 'late failure' } }); // an error for older code: ignored
    expect(diagram.error).toEqual({ message: 'render failed' });
    expect(diagram.state.svg).toBe('<svg>1</svg>'); // the last good drawing stays
    setCode('flowchart TD\n  A --> C');
    await settled();
    expect(diagram.state.renderError).toBeNull();
  });

  it('shows a drawing that finished after the code moved on (drawn in order while streaming)', async () => {
    setCode('flowchart TD\n  A --> B');
    await settled();
    setCode('flowchart TD\n  A --> B --> C');
    await settled();
    // the view started drawing the first code before the second arrived; its drawing is still progress
    reportRender('flowchart TD\n  A --> B', { svg: '<svg>AB</svg>' });
    expect(diagram.state.svg).toBe('<svg>AB</svg>');
    reportRender('flowchart TD\n  A --> B --> C', { svg: '<svg>ABC</svg>' });
    expect(diagram.state.svg).toBe('<svg>ABC</svg>');
  });
});

describe('stream events', () => {
  it('shows queue, loading and tokens, and draws each valid candidate', () => {
    applyEvent({ type: 'queued', position: 2, queueLength: 3 });
    expect(diagram.state.run).toMatchObject({ phase: 'queued', queuePosition: 2, queueLength: 3 });
    expect(diagram.running).toBe(true);
    applyEvent({ type: 'loading', progress: 140, message: 'Loading weights' });
    expect(diagram.state.run).toMatchObject({ phase: 'loading', loadingProgress: 100, loadingMessage: 'Loading weights' });
    applyEvent({ type: 'started', budgetMs: 60_000 });
    applyEvent({ type: 'token', text: 'flowchart', tokens: 1 });
    applyEvent({ type: 'token', text: ' TD\n', tokens: 2 });
    expect(diagram.state.run).toMatchObject({ phase: 'generating', tokens: 2, text: 'flowchart TD\n', budgetMs: 60_000 });

    applyEvent({ type: 'candidate', code: 'flowchart TD\n  A --> B', valid: true });
    expect(diagram.state.renderCode).toBe('flowchart TD\n  A --> B');
    applyEvent({ type: 'candidate', code: 'flowchart TD\n  A --> B\n  B --> C[unfinish', valid: false });
    expect(diagram.state.validation.status).toBe('partial');
    expect(diagram.state.renderCode).toBe('flowchart TD\n  A --> B'); // never blanks
    expect(diagram.stale).toBe(true);
  });

  it('keeps the previous drawing while a new run has streamed only its header line', () => {
    applyEvent({ type: 'done', result: result('flowchart TD\n  Old --> Diagram') });
    applyEvent({ type: 'started', budgetMs: 60_000 });
    // Every run's first candidate: it parses, but would draw an empty canvas.
    applyEvent({ type: 'candidate', code: 'flowchart TD', valid: true });
    expect(diagram.state.code).toBe('flowchart TD');
    expect(diagram.state.validation.status).toBe('partial');
    expect(diagram.state.renderCode).toBe('flowchart TD\n  Old --> Diagram');
    applyEvent({ type: 'candidate', code: 'flowchart TD\n  %% a comment', valid: true });
    expect(diagram.state.renderCode).toBe('flowchart TD\n  Old --> Diagram');
    applyEvent({ type: 'candidate', code: 'flowchart TD\n  A --> B', valid: true });
    expect(diagram.state.renderCode).toBe('flowchart TD\n  A --> B');
  });

  it('shows an invalid model diagram with its line, then the repaired result', () => {
    applyEvent({ type: 'invalid', code: 'flowchart TD\n  A -> B', error: { line: 2, message: 'Expecting arrow' } });
    expect(diagram.error).toEqual({ line: 2, message: 'Expecting arrow' });
    applyEvent({ type: 'repairing', stage: 'deterministic', reason: 'arrow' });
    expect(diagram.state.run?.phase).toBe('repairing');
    applyEvent({ type: 'done', result: result('flowchart TD\n  A --> B', { repairs: ['fix-arrows'], budgetCut: true }) });
    expect(diagram.state.run).toMatchObject({ phase: 'done', repairing: null });
    expect(diagram.state.run?.result?.repairs).toEqual(['fix-arrows']);
    expect(diagram.state.validation).toEqual({ status: 'valid', diagramType: 'flowchart-v2' });
    expect(diagram.running).toBe(false);
  });

  it('keeps the previous drawing when the final result is invalid or empty', () => {
    applyEvent({ type: 'candidate', code: 'flowchart TD\n  A --> B', valid: true });
    applyEvent({ type: 'done', result: result('flowchart TD\n  A --> ', { valid: false, error: { line: 2, message: 'Unexpected end' } }) });
    expect(diagram.state.renderCode).toBe('flowchart TD\n  A --> B');
    expect(diagram.error).toEqual({ line: 2, message: 'Unexpected end' });
    applyEvent({ type: 'done', result: result('', { valid: false }) });
    expect(diagram.state.code).toBe('flowchart TD\n  A --> ');
  });

  it('records a server error event', () => {
    applyEvent({ type: 'error', error: { code: 'queue_full', message: 'Busy.' } });
    expect(diagram.state.run).toMatchObject({ phase: 'error', error: { code: 'queue_full', message: 'Busy.' } });
  });
});

describe('runs', () => {
  it('sends the description and options, and saves the result in history', async () => {
    const seen: GenerateRequest[] = [];
    configure({
      storage: store,
      validate,
      debounceMs: 0,
      stream: scripted([{ type: 'started', budgetMs: 1000 }, { type: 'done', result: result('flowchart LR\n  A --> B') }], seen),
    });
    await generate(); // empty description: nothing sent
    expect(seen).toEqual([]);
    setDescription('  login flow  ');
    setDiagramType('flowchart');
    await generate();
    expect(seen[0]).toMatchObject({ description: 'login flow', diagramType: 'flowchart', direction: 'TD' });
    expect(diagram.state.code).toBe('flowchart LR\n  A --> B');
    expect(diagram.state.history).toHaveLength(1);
    expect(JSON.parse(store.getItem('mfg:history')!)[0].code).toBe('flowchart LR\n  A --> B');
    expect(diagram.dirty).toBe(false);
  });

  it('refines the current diagram with an instruction', async () => {
    const seen: GenerateRequest[] = [];
    configure({ storage: store, validate, debounceMs: 0, stream: scripted([{ type: 'done', result: result('flowchart TD\n  A --> M --> B') }], seen) });
    setCode('flowchart TD\n  A --> B');
    setDescription('approval');
    setInstruction('add a manager approval step');
    await refine();
    expect(seen[0]).toMatchObject({ currentDiagram: 'flowchart TD\n  A --> B', instruction: 'add a manager approval step', description: 'approval' });
    expect(diagram.state.run?.kind).toBe('refine');
  });

  it('Stop aborts the stream and keeps what was drawn', async () => {
    let signalSeen: AbortSignal | undefined;
    configure({
      storage: store,
      validate,
      debounceMs: 0,
      stream: (_req, { signal }) => {
        signalSeen = signal;
        return (async function* () {
          yield { type: 'candidate', code: 'flowchart TD\n  A --> B', valid: true } as StreamEvent;
          await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        })();
      },
    });
    setDescription('x');
    const p = generate();
    await new Promise((r) => setTimeout(r, 0));
    expect(diagram.running).toBe(true);
    stop();
    await p;
    expect(signalSeen?.aborted).toBe(true);
    expect(diagram.state.run?.phase).toBe('aborted');
    expect(diagram.state.renderCode).toBe('flowchart TD\n  A --> B');
    expect(diagram.running).toBe(false);
  });

  it('asks for an API key on 401 and retries the same request', async () => {
    let calls = 0;
    configure({
      storage: store,
      validate,
      debounceMs: 0,
      stream: () =>
        (async function* () {
          calls++;
          if (calls === 1) throw new ApiKeyRequiredError();
          yield { type: 'done', result: result('flowchart TD\n  K --> V') } as StreamEvent;
        })(),
    });
    setDescription('x');
    await generate();
    expect(diagram.state.needsApiKey).toBe(true);
    expect(diagram.state.run).toBeNull();
    await retry();
    expect(diagram.state.needsApiKey).toBe(false);
    expect(diagram.state.code).toBe('flowchart TD\n  K --> V');
  });

  it('reports a dropped connection and network failures as errors', async () => {
    configure({
      storage: store,
      validate,
      debounceMs: 0,
      stream: () =>
        (async function* () {
          throw new TypeError('Failed to fetch');
        })(),
    });
    setDescription('x');
    await generate();
    expect(diagram.state.run?.phase).toBe('error');
    expect(diagram.state.run?.error?.message).toContain('Failed to fetch');
  });
});

describe('history and undo', () => {
  function fill(n: number) {
    for (let i = 0; i < n; i++) {
      setDescription(`d${i}`);
      applyEvent({ type: 'done', result: result(`flowchart TD\n  A${i} --> B`) });
    }
  }

  it(`keeps the last ${HISTORY_LIMIT} diagrams, newest first`, () => {
    fill(HISTORY_LIMIT + 5);
    expect(diagram.state.history).toHaveLength(HISTORY_LIMIT);
    expect(diagram.state.history[0]!.description).toBe(`d${HISTORY_LIMIT + 4}`);
    expect(JSON.parse(store.getItem('mfg:history')!)).toHaveLength(HISTORY_LIMIT);
  });

  it('adds to the history another tab saved, instead of writing over it', () => {
    fill(1); // this tab: d0
    // Another tab (same storage) saved its own run and deleted d0 meanwhile.
    store.setItem('mfg:history', JSON.stringify([{ id: 'other', description: 'from the other tab', code: 'flowchart TD\n  O', time: 5, diagramType: null }]));
    reloadHistory();
    expect(diagram.state.history.map((h) => h.description)).toEqual(['from the other tab']);
    setDescription('d1');
    applyEvent({ type: 'done', result: result('flowchart TD\n  A1 --> B') });
    expect(JSON.parse(store.getItem('mfg:history')!).map((h: { description: string }) => h.description)).toEqual(['d1', 'from the other tab']);
  });

  it('restores and deletes entries', async () => {
    fill(2);
    const older = diagram.state.history[1]!;
    restoreHistory(older.id);
    await settled();
    expect(diagram.state.code).toBe(older.code);
    expect(diagram.state.description).toBe('d0');
    expect(diagram.state.renderCode).toBe(older.code);
    deleteHistory(older.id);
    expect(diagram.state.history.map((h) => h.description)).toEqual(['d1']);
  });

  it('offers undo when a restore would overwrite unsaved edits, and only then', async () => {
    fill(2);
    restoreHistory(diagram.state.history[1]!.id); // nothing unsaved: no undo
    expect(diagram.state.undoStack).toHaveLength(0);

    setCode('flowchart TD\n  My --> Edit');
    setDescription('my own words');
    restoreHistory(diagram.state.history[0]!.id);
    expect(diagram.state.undoStack).toHaveLength(1);
    expect(diagram.state.description).toBe('d1');
    undo();
    await settled();
    expect(diagram.state.code).toBe('flowchart TD\n  My --> Edit');
    expect(diagram.state.description).toBe('my own words');
    expect(diagram.state.undoStack).toHaveLength(0);
  });

  it('offers undo when an example replaces a typed description', () => {
    setDescription('something I typed');
    loadExample({ description: 'Example', diagramType: 'flowchart', direction: 'LR' });
    expect(diagram.state.description).toBe('Example');
    expect(diagram.state.undoStack.at(-1)?.reason).toBe('example');
    undo();
    expect(diagram.state.description).toBe('something I typed');
    expect(diagram.state.diagramType).toBe('auto');
  });

  it('offers no undo when an example replaces another example or the generated description', () => {
    loadExample({ description: 'First example', diagramType: 'flowchart', direction: 'TD' });
    loadExample({ description: 'Second example', diagramType: 'auto', direction: 'LR' });
    expect(diagram.state.description).toBe('Second example');
    expect(diagram.state.undoStack).toEqual([]);
    applyEvent({ type: 'done', result: result('flowchart TD\n  Generated') });
    loadExample({ description: 'Third example', diagramType: 'auto', direction: 'TD' });
    expect(diagram.state.undoStack).toEqual([]);
    expect(diagram.state.code).toBe('flowchart TD\n  Generated'); // examples never touch the code
    // A description edited by hand after an example is worth an undo.
    setDescription('Third example, with my changes');
    loadExample({ description: 'Fourth example', diagramType: 'auto', direction: 'TD' });
    expect(diagram.state.undoStack.at(-1)).toMatchObject({ reason: 'example', description: 'Third example, with my changes' });
  });

  it('keeps hand-edited code for undo when a run replaces it', async () => {
    configure({ storage: store, validate, debounceMs: 0, stream: scripted([{ type: 'done', result: result('flowchart TD\n  New') }]) });
    setDescription('x');
    await generate(); // nothing edited by hand yet: no undo
    expect(diagram.state.undoStack).toHaveLength(0);
    setCode('flowchart TD\n  Mine');
    await generate();
    expect(diagram.state.code).toBe('flowchart TD\n  New');
    expect(diagram.state.undoStack.at(-1)).toMatchObject({ reason: 'generate', code: 'flowchart TD\n  Mine' });
    undo();
    expect(diagram.state.code).toBe('flowchart TD\n  Mine');
  });

  it('offers no undo when a run fails or is stopped before its output replaced the edits', async () => {
    const mine = 'flowchart TD\n  Mine';
    // A refusal (queue full, rate limit, model unavailable): nothing was replaced.
    configure({ storage: store, validate, debounceMs: 0, stream: scripted([{ type: 'error', error: { code: 'model_unavailable', message: 'No model.' } }]) });
    setDescription('x');
    setCode(mine);
    await generate();
    expect(diagram.state.run?.phase).toBe('error');
    expect(diagram.state.code).toBe(mine);
    expect(diagram.state.undoStack).toEqual([]);
    expect(diagram.dirty).toBe(true);

    // Stopped while queued: still the user's code, still unsaved.
    configure({
      storage: store,
      validate,
      debounceMs: 0,
      stream: (_req, { signal }) =>
        (async function* () {
          yield { type: 'queued', position: 1, queueLength: 1 } as StreamEvent;
          await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        })(),
    });
    setDescription('x');
    setCode(mine);
    const p = generate();
    await new Promise((r) => setTimeout(r, 0));
    stop();
    await p;
    expect(diagram.state.run?.phase).toBe('aborted');
    expect(diagram.state.undoStack).toEqual([]);
    expect(diagram.dirty).toBe(true);

    // The first candidate replaces the edits: now undo is offered.
    configure({
      storage: store,
      validate,
      debounceMs: 0,
      stream: scripted([
        { type: 'candidate', code: 'flowchart TD\n  New', valid: true },
        { type: 'error', error: { code: 'internal', message: 'Broke.' } },
      ]),
    });
    setDescription('x');
    setCode(mine);
    await generate();
    expect(diagram.state.code).toBe('flowchart TD\n  New');
    expect(diagram.state.undoStack.at(-1)).toMatchObject({ reason: 'generate', code: mine });
  });

  it('opens a shared link with undo for unsaved work', async () => {
    setCode('flowchart TD\n  Unsaved');
    loadShared({ code: 'flowchart TD\n  S --> T', description: 'shared' });
    await settled();
    expect(diagram.state.renderCode).toBe('flowchart TD\n  S --> T');
    expect(diagram.state.undoStack.at(-1)?.reason).toBe('link');
    expect(diagram.dirty).toBe(false);
  });
});
