/** Table tests for keeping the model's comments through a lenient rewrite (comments.ts). */
import { describe, expect, it } from 'vitest';
import { commentsOf, lostComments, withComments } from './comments.ts';

describe('commentsOf', () => {
  it.each([
    ['whole-line %% and // belong to the next statement', 'stateDiagram-v2\n  %% start\n  // next\n  A --> B', [['start', 'A --> B'], ['next', 'A --> B']]],
    ['trailing %% and // after statements (zh)', 'sequenceDiagram\n  A->>B: 你好 %% 问候\n  B-->>A: ok // 回复', [['问候', 'A->>B: 你好'], ['回复', 'B-->>A: ok']]],
    ['a last comment line has no statement after it', 'classDiagram\n  A <|-- B\n  %% the end', [['the end', '']]],
    ['a URL and %% without a space before it are text; directives are not comments', 'erDiagram\n  %%{init: {}}%%\n  A ||--o{ B : "see https://x.y"\n  C ||--|| D : 100%%', []],
  ])('%s', (_name, code, expected) => {
    expect(commentsOf(code).map((c) => [c.text, c.near])).toEqual(expected);
  });
});

describe('withComments / lostComments', () => {
  it('puts each lost comment above the printed line of its statement, indented like it', () => {
    const input = 'classDiagram\n  Order <|-- Invoice %% billing\n  %% who pays\n  Customer --> Order : places';
    const output = 'classDiagram\n    Order <|-- Invoice\n    Customer --> Order : places';
    const lost = lostComments(input, output);
    expect(lost.map((c) => c.text)).toEqual(['billing', 'who pays']);
    expect(withComments(output, lost)).toBe('classDiagram\n    %% billing\n    Order <|-- Invoice\n    %% who pays\n    Customer --> Order : places');
  });

  it('a statement the printer renamed (ar): the line sharing most words; a last comment line at the end', () => {
    const input = 'stateDiagram-v2\n  [*] --> انتظار %% البداية\n  انتظار -> قيد المراجعة // مراجعة\n  %% آخر';
    const output = 'stateDiagram-v2\n    [*] --> انتظار\n    state "قيد المراجعة" as قيد_المراجعة\n    انتظار --> قيد_المراجعة';
    expect(withComments(output, lostComments(input, output))).toBe(
      'stateDiagram-v2\n    %% البداية\n    [*] --> انتظار\n    state "قيد المراجعة" as قيد_المراجعة\n    %% مراجعة\n    انتظار --> قيد_المراجعة\n    %% آخر',
    );
  });

  it('after front matter, and never as a directive', () => {
    expect(withComments('---\ntitle: T\n---\nerDiagram\n  A ||--|| B : x', [{ text: 'a }%% b', near: 'A ||--|| B : x' }])).toBe('---\ntitle: T\n---\nerDiagram\n  %% a    b\n  A ||--|| B : x');
  });

  it('keeps nothing twice: a comment the output has as a %% line is not lost; the same words as text are', () => {
    expect(lostComments('flowchart TD\n  A --> B %% why', 'flowchart TD\n    %% why\n    A --> B')).toEqual([]);
    expect(lostComments('sequenceDiagram\n  A->>B: why %% why', 'sequenceDiagram\n    A->>B: why').map((c) => c.text)).toEqual(['why']);
  });

  it('with no comment after the header line, the code comes back as it was', () => {
    expect(withComments('pie\n  "a" : 1', [])).toBe('pie\n  "a" : 1');
  });
});
