import { describe, expect, it } from 'vitest';
import { parseErrorOf } from './mermaid.ts';

describe('parseErrorOf', () => {
  it('takes the line from a jison error and drops its own line prefix', () => {
    const e = Object.assign(new Error("Parse error on line 8:\n...E --> F[Archive\n-----^\nExpecting 'SQE'"), {
      hash: { line: 7, loc: { first_line: 7 } },
    });
    expect(parseErrorOf(e)).toEqual({ line: 7, message: "...E --> F[Archive\n-----^\nExpecting 'SQE'" });
  });

  it('falls back to hash.line (0-based) and to the message', () => {
    expect(parseErrorOf(Object.assign(new Error('x'), { hash: { line: 2 } }))).toEqual({ line: 3, message: 'x' });
    expect(parseErrorOf(new Error('Lexer error on line 4, column 2'))).toEqual({ line: 4, message: 'Lexer error on line 4, column 2' });
    expect(parseErrorOf('No diagram type detected')).toEqual({ message: 'No diagram type detected' });
  });

  it('maps the line back to the code when Mermaid dropped front matter, comments or a directive first', () => {
    // Mermaid counts lines of what it parsed: here "line 3" is `B --> C(`, the code's line 6, 4, 4 and 7.
    const err = () => Object.assign(new Error('Parse error on line 3:\n... B --> C(\n'), { hash: { loc: { first_line: 3 } } });
    expect(parseErrorOf(err(), '---\ntitle: Hello\n---\nflowchart TD\n  A --> B\n  B --> C(').line).toBe(6);
    expect(parseErrorOf(err(), 'flowchart TD\n  %% a note\n  A --> B\n  B --> C(').line).toBe(4);
    expect(parseErrorOf(err(), '%%{init: {"theme":"dark"}}%%\nflowchart TD\n  A --> B\n  B --> C(').line).toBe(4);
    expect(parseErrorOf(err(), '---\nconfig:\n  theme: dark\n---\nflowchart TD\n  A --> B\n  B --> C(').line).toBe(7);
    expect(parseErrorOf(err(), 'flowchart TD\n  A --> B\n  B --> C(').line).toBe(3);
  });
});
