/** Table tests for keeping the model's comments through a lenient rewrite (comments.ts). */
import { describe, expect, it } from 'vitest';
import { commentsOf, lostComments, withComments } from './comments.ts';

describe('commentsOf', () => {
  it.each([
    ['whole-line %% and //', 'stateDiagram-v2\n  %% start\n  // next\n  A --> B', ['start', 'next']],
    ['trailing %% and // after statements (zh)', 'sequenceDiagram\n  A->>B: 你好 %% 问候\n  B-->>A: ok // 回复', ['问候', '回复']],
    ['a URL and %% without a space before it are text; directives are not comments', 'erDiagram\n  %%{init: {}}%%\n  A ||--o{ B : "see https://x.y"\n  C ||--|| D : 100%%', []],
  ])('%s', (_name, code, expected) => {
    expect(commentsOf(code)).toEqual(expected);
  });
});

describe('withComments / lostComments', () => {
  it('puts the lost comments under the header, indented like the body', () => {
    const input = 'classDiagram\n  %% who pays\n  Order <|-- Invoice %% billing';
    const output = 'classDiagram\n    Order <|-- Invoice';
    const lost = lostComments(input, output);
    expect(lost).toEqual(['who pays', 'billing']);
    expect(withComments(output, lost)).toBe('classDiagram\n    %% who pays\n    %% billing\n    Order <|-- Invoice');
  });

  it('after front matter, and never as a directive', () => {
    expect(withComments('---\ntitle: T\n---\nerDiagram\n  A ||--|| B : x', ['a }%% b'])).toBe('---\ntitle: T\n---\nerDiagram\n  %% a    b\n  A ||--|| B : x');
  });

  it('keeps nothing twice: a comment the output has is not lost', () => {
    expect(lostComments('flowchart TD\n  A --> B %% why', 'flowchart TD\n    %% why\n    A --> B')).toEqual([]);
  });
});
