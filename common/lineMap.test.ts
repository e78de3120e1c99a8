import { describe, expect, it } from 'vitest';
import { sourceLine } from './lineMap.ts';

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
