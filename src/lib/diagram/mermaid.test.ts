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
});
