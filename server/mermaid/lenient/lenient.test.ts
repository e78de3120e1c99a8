/** Table tests of the shared pieces: label text (entity codes, quotes) and the content check. */
import { describe, expect, it } from 'vitest';
import { checkContent } from './invariants.ts';
import { decodeEntityCodes, quoteLabel } from './text.ts';

describe('label text', () => {
  it.each([
    ['#quot;hi#quot;', '"hi"'],
    ['I #9829; it', 'I ♥ it'],
    ['#x2665;', '♥'],
    ['Order #12; paid', 'Order #12; paid'],
    ['a #amp; b', 'a & b'],
    ['#notanentity;', '#notanentity;'],
  ])('decodeEntityCodes(%j) = %j', (input, out) => {
    expect(decodeEntityCodes(input)).toBe(out);
  });

  it.each([
    ['say "hi"', '"say “hi”"'],
    ['"quoted" start', '"“quoted” start"'],
    ['plain', '"plain"'],
    ['`**md**`', '"`**md**`"'],
  ])('quoteLabel(%j) = %j: no straight quote inside', (input, out) => {
    expect(quoteLabel(input)).toBe(out);
  });
});

describe('content check', () => {
  it.each([
    ['all kept', 'flowchart TD\n  A[Pay card] --> B', 'flowchart TD\n    A["Pay card"] --> B', [], []],
    ['a lost word', 'flowchart TD\n  A[Pay card] --> B', 'flowchart TD\n    A["Pay"] --> B', ['card'], []],
    ['an invented word', 'flowchart TD\n  A --> B', 'flowchart TD\n    A --> B["Extra"]', [], ['extra']],
    ['generated ids are not invented', 'flowchart TD\n  시작 --> 끝', 'flowchart TD\n    n1["시작"] --> n2["끝"]', [], []],
    ['styling and comments do not count', 'flowchart TD\n  A --> B %% note\n  style A fill:#f00', 'flowchart TD\n    A --> B', [], []],
  ] as const)('%s', (_, before, after, missing, invented) => {
    expect(checkContent(before, after)).toEqual({ missing, invented });
  });

  it('skips dropped lines for what is required, but their words are not invented', () => {
    const before = 'flowchart TD\n  A --> B\n  B --> C[Sh';
    expect(checkContent(before, 'flowchart TD\n    A --> B', new Set([3])).missing).toEqual([]);
    expect(checkContent('flowchart TD\n  A[x] --> B\n  B --> A[Ship]', 'flowchart TD\n    A["x"] --> B\n    B --> A_2["Ship"]', new Set([3])).invented).toEqual([]);
  });

  it('ids of labelled nodes that were renamed are not required (Mermaid never drew them)', () => {
    expect(checkContent('flowchart TD\n  אב[שלום] --> B', 'flowchart TD\n    n1["שלום"] --> B', new Set(), ['אב']).missing).toEqual([]);
  });
});
