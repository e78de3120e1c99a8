import { describe, expect, it } from 'vitest';
import { sourceLine, sourceLineMap } from './lineMap.ts';

describe('sourceLine: parser line → line of the code the caller gave', () => {
  it.each([
    ['nothing removed', 'flowchart TD\n  A --> B\n  B -> C', 3, 3],
    ['front matter (3 lines)', '---\ntitle: x\n---\nflowchart TD\n  B -> C', 2, 5],
    ['init directive line', '%%{init: {}}%%\nflowchart TD\n  B -> C', 2, 3],
    ['comment line in the middle', 'flowchart TD\n  %% note\n  A --> B\n  B -> C', 3, 4],
    ['leading blank lines', '\n\nflowchart TD\n  B -> C', 2, 4],
    ['CRLF', 'flowchart TD\r\n  A --> B\r\n  B -> C', 3, 3],
    ['past the end → last line with text', 'flowchart TD\n  A --> B\n\n', 9, 2],
  ])('%s', (_name, code, parsed, expected) => {
    expect(sourceLine(code, parsed)).toBe(expected);
  });
});

describe('sourceLineMap: every parser line of one text at once', () => {
  it('maps each line past front matter and a comment, and past the end to the last line', () => {
    const map = sourceLineMap('---\ntitle: x\n---\nflowchart TD\n  %% c\n  A --> B\n  B --> C\n');
    expect([1, 2, 3, 4, 0].map(map)).toEqual([4, 6, 7, 7, 7]);
  });
});
