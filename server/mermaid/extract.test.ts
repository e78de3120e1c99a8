import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODEL_OUTPUTS, readModelOutput } from '../../tests/fixtures/model-outputs/index.ts';
import { extractDiagram } from './extract.ts';

describe('extractDiagram on raw model outputs (fixtures)', () => {
  it.each(MODEL_OUTPUTS)('$file', ({ file, header, complete }) => {
    const result = extractDiagram(readModelOutput(file));
    if (header === null) {
      expect(result).toBeNull();
      return;
    }
    expect(result).not.toBeNull();
    expect(result!.code.split('\n')[0]).toBe(header);
    expect(result!.complete).toBe(complete);
    expect(result!.code).not.toMatch(/```|~~~|<\/?think>/);
  });

  it('every fixture file is in the table', () => {
    const files = readdirSync(new URL('../../tests/fixtures/model-outputs/', import.meta.url)).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(files.sort()).toEqual(MODEL_OUTPUTS.map((c) => c.file).sort());
  });

  it('keeps prose out: chatty answer', () => {
    const { code } = extractDiagram(readModelOutput('en-chatty-fenced.md'))!;
    expect(code).not.toMatch(/Sure|Let me know/);
    expect(code.split('\n')).toHaveLength(7);
  });

  it('takes the answer, not the draft inside <think>', () => {
    expect(extractDiagram(readModelOutput('fr-thinking.md'))!.code).toContain('Réception de la commande');
  });

  it('takes the first of two diagrams', () => {
    expect(extractDiagram(readModelOutput('en-two-diagrams.md'))!.code).toBe(
      'flowchart TD\n    A[Request] --> B[Review]\n    B --> C[Approve]',
    );
  });

  it('stops an unfenced diagram where prose resumes (Korean)', () => {
    const { code } = extractDiagram(readModelOutput('ko-unfenced.md'))!;
    expect(code.split('\n').pop()).toBe('    C --> E[배송]');
  });
});

describe('extractDiagram: inline cases', () => {
  it.each([
    ['fence with language tag', '```mermaid\ngraph TD\n  A-->B\n```', 'graph TD\n  A-->B', true],
    ['fence with capitalised tag and attributes', '```Mermaid title="x"\ngraph TD\n  A-->B\n```', 'graph TD\n  A-->B', true],
    ['mmd tag', '```mmd\nflowchart LR\n  A-->B\n```', 'flowchart LR\n  A-->B', true],
    ['indented fence inside a list item', '1. Diagram:\n   ```mermaid\n   flowchart LR\n     A-->B\n   ```', 'flowchart LR\n  A-->B', true],
    ['four-backtick fence', '````mermaid\nflowchart LR\n  A-->B\n````', 'flowchart LR\n  A-->B', true],
    ['skips a fence of another language', '```json\n{"a":1}\n```\n```mermaid\npie\n  "a": 1\n```', 'pie\n  "a": 1', true],
    ['skips an untagged fence that is not a diagram', '```\n- a\n- b\n```\n\nflowchart TD\n  A-->B', 'flowchart TD\n  A-->B', true],
    ['unclosed fence: cut by the budget', 'Here:\n```mermaid\nflowchart TD\n  A-->B\n  B-->C[Ch', 'flowchart TD\n  A-->B\n  B-->C[Ch', false],
    ['first complete one wins over an earlier cut one? (cut swallows the rest)', '```mermaid\nflowchart TD\n  A-->B\n```\n```mermaid\nflowchart TD\n  X-->Y', 'flowchart TD\n  A-->B', true],
    ['unfenced with %%{init}%% above the header', 'Voilà :\n%%{init: {"theme":"dark"}}%%\nflowchart TD\n  A-->B', '%%{init: {"theme":"dark"}}%%\nflowchart TD\n  A-->B', true],
    ['unfenced with front matter above the header', '---\ntitle: Bestellung\n---\nflowchart TD\n  A-->B', '---\ntitle: Bestellung\n---\nflowchart TD\n  A-->B', true],
    ['graph with statements on the header line', 'graph TD; A-->B; B-->C', 'graph TD; A-->B; B-->C', true],
    ['sequenceDiagram unfenced', 'Sure.\nsequenceDiagram\n  A->>B: hi', 'sequenceDiagram\n  A->>B: hi', true],
    ['stateDiagram-v2', '```\nstateDiagram-v2\n  [*] --> A\n```', 'stateDiagram-v2\n  [*] --> A', true],
    ['classDiagram', 'classDiagram\n  A <|-- B', 'classDiagram\n  A <|-- B', true],
    ['erDiagram', 'erDiagram\n  A ||--o{ B : has', 'erDiagram\n  A ||--o{ B : has', true],
    ['gantt', 'gantt\n  title Plan\n  section S\n  T :a1, 2024-01-01, 1d', 'gantt\n  title Plan\n  section S\n  T :a1, 2024-01-01, 1d', true],
    ['mindmap', 'mindmap\n  root((Idee))\n    A', 'mindmap\n  root((Idee))\n    A', true],
    ['timeline', 'timeline\n  2020 : Start', 'timeline\n  2020 : Start', true],
    ['journey', 'journey\n  title Tag\n  section Morgen\n    Aufstehen: 3: Ich', 'journey\n  title Tag\n  section Morgen\n    Aufstehen: 3: Ich', true],
    ['pie with title', 'pie title Pets\n  "Dogs" : 3', 'pie title Pets\n  "Dogs" : 3', true],
    ['closing fence glued to the last line', '```mermaid\nflowchart TD\n  A-->B\n  B-->C```\nDone.', 'flowchart TD\n  A-->B\n  B-->C', true],
    ['header on the fence line', '```mermaid flowchart LR\n  A-->B\n```', 'flowchart LR\n  A-->B', true],
    ['an empty mermaid fence is skipped', '```mermaid\n```\n```mermaid\ngraph TD\n  A-->B\n```', 'graph TD\n  A-->B', true],
    ['CRLF line ends', '```mermaid\r\nflowchart TD\r\n  A-->B\r\n```\r\n', 'flowchart TD\n  A-->B', true],
    ['the language name on its own line inside the fence', '```\nmermaid\nsequenceDiagram\n  A->>B: hi\n```', 'sequenceDiagram\n  A->>B: hi', true],
    ['the opening fence written twice', '```mermaid\n```mermaid\nflowchart TD\n  A-->B\n```', 'flowchart TD\n  A-->B', true],
  ])('%s', (_name, text, code, complete) => {
    expect(extractDiagram(text)).toEqual({ code, complete });
  });

  it.each([
    ['empty', ''],
    ['prose only', 'I cannot draw diagrams, but here is a description of the process.'],
    ['prose mentioning a keyword', 'The graph of this process is simple. A pie chart would not help.'],
    ['a sentence starting with a plain keyword', 'timeline of the project: first we plan, then we build.'],
    ['a bullet list', '- Receive order\n- Check stock\n- Ship'],
    ['a numbered list in German', '1. Antrag stellen\n2. Prüfen\n3. Entscheiden'],
    ['only thinking', '<think>flowchart TD\nA-->B</think>'],
    ['a fence with another language only', '```python\nprint("graph TD")\n```'],
  ])('no diagram: %s', (_name, text) => {
    expect(extractDiagram(text)).toBeNull();
  });

  it('an unclosed <think> that finished: looks inside', () => {
    expect(extractDiagram('<think>\nflowchart TD\n  A-->B')).toEqual({ code: 'flowchart TD\n  A-->B', complete: true });
  });
});

describe('extractDiagram on streamed prefixes (partial)', () => {
  it('returns nothing while the model is still thinking', () => {
    expect(extractDiagram('<think>\nLet me plan: flowchart TD', { partial: true })).toBeNull();
    expect(extractDiagram(readModelOutput('fr-unclosed-think-partial.md'), { partial: true })).toBeNull();
  });

  it('returns what it has so far inside an open fence', () => {
    expect(extractDiagram('Here:\n```mermaid\nflowchart TD\n  A-->B\n  B-->', { partial: true })).toEqual({
      code: 'flowchart TD\n  A-->B\n  B-->',
      complete: false,
    });
  });

  it('drops a half-written closing fence', () => {
    expect(extractDiagram('```mermaid\nflowchart TD\n  A-->B\n``', { partial: true })).toEqual({
      code: 'flowchart TD\n  A-->B',
      complete: false,
    });
  });

  it('an unfenced diagram may still grow, until prose follows it', () => {
    expect(extractDiagram('flowchart TD\n  A-->B', { partial: true })!.complete).toBe(false);
    expect(extractDiagram('flowchart TD\n  A-->B\n\nThis shows the flow.', { partial: true })!.complete).toBe(true);
  });

  it('a closed fence is complete even mid-stream', () => {
    expect(extractDiagram('```mermaid\nflowchart TD\n  A-->B\n```\nThis', { partial: true })!.complete).toBe(true);
  });

  it('never throws on any prefix of any fixture, and grows monotonically once complete', () => {
    for (const { file } of MODEL_OUTPUTS) {
      const text = readModelOutput(file);
      let completeCode: string | null = null;
      for (let n = 0; n <= text.length; n++) {
        const prefix = text.slice(0, n);
        const partial = extractDiagram(prefix, { partial: true });
        extractDiagram(prefix);
        if (partial === null) continue;
        expect(typeof partial.code).toBe('string');
        if (completeCode !== null && !file.includes('thinking')) expect(partial.code).toBe(completeCode);
        if (partial.complete && completeCode === null) completeCode = partial.code;
      }
    }
  });

  it('is fast on long text (2,000 lines, far more than a 4,000-token answer)', () => {
    const text = 'Sure!\n```mermaid\nflowchart TD\n' + Array.from({ length: 2000 }, (_, i) => `  n${i}[Step ${i}] --> n${i + 1}`).join('\n') + '\n```\nDone.';
    const started = performance.now();
    for (let i = 0; i < 20; i++) extractDiagram(text.slice(0, text.length - i * 50), { partial: true });
    // Generous bound: CI machines are shared; typical is a few ms.
    expect((performance.now() - started) / 20).toBeLessThan(50);
  });
});
