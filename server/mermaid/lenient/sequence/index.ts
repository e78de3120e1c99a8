/** The lenient format for sequence diagrams: read.ts → model.ts → print.ts. */
import type { LenientFormat } from '../types.ts';
import { printSequence } from './print.ts';
import { readSequence, swappedAlias } from './read.ts';
import { splitComment } from '../lines.ts';

/** A statement with a `%%` comment after it (`A->>B: hi %% why`); `//` may be text (`a // b`) and is left alone. */
function hasTrailingComment(code: string): boolean {
  return code.split('\n').some((l) => {
    const t = l.trim();
    if (t.startsWith('%%')) return false;
    const { comment } = splitComment(t);
    return comment !== null && t.includes(' %%');
  });
}

export const sequenceFormat: LenientFormat = {
  name: 'sequence',
  headers: ['sequencediagram'],
  // A trailing `%% why` after a message is drawn as part of its text: Mermaid takes `%%` at the start of a line only.
  misread: (code) => swappedAlias(code) || hasTrailingComment(code),
  rewrite(code) {
    const read = readSequence(code);
    return read === null ? null : { code: printSequence(read.diagram), changes: read.changes };
  },
};
