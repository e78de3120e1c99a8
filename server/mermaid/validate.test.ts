import { afterAll, describe, expect, it } from 'vitest';
import { closeValidator, normalizeDiagramType, parserPatched, validate } from './validate.ts';

afterAll(closeValidator);

describe('validate: what Mermaid accepts', () => {
  it.each([
    ['flowchart', 'flowchart TD\n  A[Start] --> B{Ok?}\n  B -->|yes| C[Done]', 'flowchart'],
    ['graph keyword', 'graph LR\n  A --> B', 'flowchart'],
    ['non-ASCII labels', 'flowchart TD\n  a[Commande reçue] --> b[주문 확인] --> c[Größe prüfen]', 'flowchart'],
    ['quoted label with specials', 'flowchart TD\n  A["Pay (card); #1: ok?"] --> B', 'flowchart'],
    ['sequence', 'sequenceDiagram\n  Alice->>Bob: Hello\n  Bob-->>Alice: Hi', 'sequence'],
    ['state', 'stateDiagram-v2\n  [*] --> Idle\n  Idle --> [*]', 'state'],
    ['class', 'classDiagram\n  Animal <|-- Duck', 'class'],
    ['er', 'erDiagram\n  CUSTOMER ||--o{ ORDER : places', 'er'],
    ['gantt', 'gantt\n  title Plan\n  dateFormat YYYY-MM-DD\n  section A\n  Task :a1, 2024-01-01, 3d', 'gantt'],
    ['mindmap', 'mindmap\n  root((Idea))\n    A\n    B', 'mindmap'],
    ['timeline', 'timeline\n  title History\n  2020 : Start\n  2021 : Growth', 'timeline'],
    ['journey', 'journey\n  title Day\n  section Morning\n    Wake up: 3: Me', 'journey'],
    ['pie (Langium parser)', 'pie\n  "A" : 40\n  "B" : 60', 'pie'],
    ['front matter title', '---\ntitle: Order\n---\nflowchart TD\n  A --> B', 'flowchart'],
    ['comment lines', 'flowchart TD\n  %% a comment\n  A --> B', 'flowchart'],
  ])('%s', async (_name, code, type) => {
    expect(await validate(code)).toEqual({ ok: true, diagramType: type });
  });
});

describe('validate: what Mermaid rejects, as data with a line', () => {
  it.each([
    ['end as a node id', 'flowchart TD\n  A --> end', 2],
    ['parentheses in an unquoted label', 'flowchart TD\n  A[Pay (card)] --> B', 2],
    ['single-dash arrow', 'flowchart TD\n  A --> B\n  B -> C', 3],
    ['unclosed shape', 'flowchart TD\n  A --> B\n  B --> C{ok?\n\n', 3],
    ['lower-case direction', 'flowchart td\n  A --> B', 1],
    ['direction word', 'graph down\n  A --> B', 1],
    ['sequence message without colon', 'sequenceDiagram\n  A->>B hi', 2],
    ['unclosed class body', 'classDiagram\n  class A {\n', 2],
    ['pie with a word for a number', 'pie\n  "a": x', 2],
    ['error line counts front matter', '---\ntitle: x\n---\nflowchart TD\n  A --> B\n  B -> C', 6],
    ['error line counts directives and comments', '%%{init: {"theme":"dark"}}%%\nflowchart TD\n%% c\n\n  A --> B\n  B -> C', 6],
  ])('%s', async (_name, code, line) => {
    const result = await validate(code);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.line).toBe(line);
    expect(result.message.length).toBeGreaterThan(0);
  });

  it.each([
    ['empty', ''],
    ['prose', 'Here is your diagram: first the customer orders, then we ship.'],
    ['a bullet list', '- Receive order\n- Check stock\n- Ship'],
    ['unclosed subgraph', 'flowchart TD\n  subgraph S\n    A --> B\n'],
    ['mindmap with two roots', 'mindmap\n  root\n    a\n  b'],
  ])('%s', async (_name, code) => {
    const result = await validate(code);
    expect(result.ok).toBe(false);
  });

  it('never rejects, whatever it is given', async () => {
    const inputs = ['\u0000', '%%{', '---\n', '```mermaid', 'flowchart TD\n' + 'A-->'.repeat(2000), undefined as unknown as string];
    for (const input of inputs) await expect(validate(input)).resolves.toHaveProperty('ok');
  });

  it('is safe to call concurrently: answers match their inputs', async () => {
    const codes = Array.from({ length: 20 }, (_, i) => (i % 2 ? `flowchart TD\n  A${i} --> end` : `flowchart TD\n  A${i} --> B${i}`));
    const results = await Promise.all(codes.map((c) => validate(c)));
    results.forEach((r, i) => expect(r.ok).toBe(i % 2 === 0));
  });

  it('restarts after being closed', async () => {
    await closeValidator();
    expect(await validate('flowchart LR\n  Restarted --> B')).toEqual({ ok: true, diagramType: 'flowchart' });
  });

  it('keeps the DOM shim out of this thread', () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
  });
});

describe('validate: render checks (parsed, but the renderer cannot draw it as written)', () => {
  it.each([
    ['gantt date in another format than dateFormat', 'gantt\n  dateFormat YYYY-MM-DD\n  section S\n  Design :a1, 15/01/2024, 3d', 4, /the date "15\/01\/2024" on line 4 does not match dateFormat YYYY-MM-DD/],
    ['gantt keyword with a colon (read as a task)', 'gantt\n  title: Plan\n  dateFormat YYYY-MM-DD\n  section S\n  Design :a1, 2024-01-01, 3d', 2, /line 2 is read as a task; write "title …" without a colon/],
    ['journey task without a score', 'journey\n  section Shop\n    Find shoes: 3: Me\n    Pay: Me', 4, /Journey task "Pay" on line 4 has no score/],
    ['deactivating an inactive participant points at its line (mermaid says line 1)', 'sequenceDiagram\n  A->>B: hi\n  activate B\n  deactivate B\n  deactivate B', 5, /Line 5: B is deactivated here but is not active/],
    ['the same through the - shorthand', 'sequenceDiagram\n  A->>B: hi\n  B-->>-A: ok', 3, /Line 3: B is deactivated/],
  ])('%s', async (_name, code, line, message) => {
    const result = await validate(code);
    expect(result).toMatchObject({ ok: false, line });
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it.each([
    ['gantt with another dateFormat and times', 'gantt\n  dateFormat HH:mm\n  axisFormat %H:%M\n  section S\n  Meeting : a1, 17:49, 10m\n  Next : after a1, 5m', 'gantt'],
    ['gantt after an unknown id (drawn from today)', 'gantt\n  section S\n  A :a1, after nothing, 3d', 'gantt'],
    ['journey scores out of 1..5 (drawn off the scale, not an error)', 'journey\n  section S\n    A: 7: Me\n    B: 0: Me', 'journey'],
  ])('still valid: %s', async (_name, code, type) => {
    expect(await validate(code)).toEqual({ ok: true, diagramType: type });
  });
});

describe('normalizeDiagramType', () => {
  it.each([
    ['flowchart-v2', 'flowchart'],
    ['stateDiagram', 'state'],
    ['classDiagram', 'class'],
    ['gitGraph', 'gitGraph'],
  ])('%s → %s', (from, to) => expect(normalizeDiagramType(from)).toBe(to));
});

describe('speed patch', () => {
  it('mermaid got the getConfig() patch (if this fails after a mermaid upgrade, update HOOKS_SOURCE)', async () => {
    await validate('flowchart TD\n  A --> B');
    expect(parserPatched()).toBe(true);
  });
});
