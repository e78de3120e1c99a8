/** The lenient format for state diagrams: read.ts → model.ts → print.ts. */
import type { LenientFormat } from '../types.ts';
import { printState } from './print.ts';
import { readState } from './read.ts';

export const stateFormat: LenientFormat = {
  name: 'state',
  headers: ['statediagram', 'statediagram-v2'],
  // `stateDiagram v2` draws a state named v2.
  misread: (code) => /^\s*stateDiagram\s+v2\s*$/im.test(code),
  rewrite(code) {
    const read = readState(code);
    return read === null ? null : { code: printState(read.diagram), changes: read.changes };
  },
};
