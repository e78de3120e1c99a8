import { StringStream } from '@codemirror/language';
import { describe, expect, it } from 'vitest';
import { parser } from './mermaidLanguage.ts';

/** Tokenises lines into [text, style] pairs, skipping whitespace. */
function tokens(lines: string[]): [string, string | null][] {
  const state = parser.startState!(2);
  const out: [string, string | null][] = [];
  for (const line of lines) {
    const stream = new StringStream(line, 2, 2);
    while (!stream.eol()) {
      const style = parser.token(stream, state);
      const text = stream.current();
      if (text.trim()) out.push([text, style ?? null]);
      stream.start = stream.pos;
    }
  }
  return out;
}

describe('Mermaid highlighting', () => {
  it('marks keywords, ids, arrows, labels and edge labels', () => {
    expect(tokens(['flowchart TD', '  A[Amount over 500?] -->|Yes| B{OK}'])).toEqual([
      ['flowchart', 'keyword'],
      ['TD', 'keyword'],
      ['A', 'variableName'],
      ['[', 'bracket'],
      ['Amount over 500?', 'string'],
      [']', 'bracket'],
      ['-->', 'operator'],
      ['|Yes|', 'labelName'],
      ['B', 'variableName'],
      ['{', 'bracket'],
      ['OK', 'string'],
      ['}', 'bracket'],
    ]);
  });

  it('marks comments, quoted strings and sequence messages', () => {
    expect(tokens(['%% a comment', 'A["quoted <b>"]', 'Alice->>Bob: Hello there'])).toEqual([
      ['%% a comment', 'comment'],
      ['A', 'variableName'],
      ['[', 'bracket'],
      ['"', 'string'],
      ['quoted <b>"', 'string'],
      [']', 'bracket'],
      ['Alice', 'variableName'],
      ['->>', 'operator'],
      ['Bob', 'variableName'],
      [': Hello there', 'string'],
    ]);
  });

  it('does not carry an unclosed shape into the next line', () => {
    expect(tokens(['A[unfinished', 'end']).at(-1)).toEqual(['end', 'keyword']);
  });
});
