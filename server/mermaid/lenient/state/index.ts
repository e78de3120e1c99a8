/** The lenient format for state diagrams: read.ts → model.ts → print.ts. */
import type { LenientFormat } from '../types.ts';
import { printState } from './print.ts';
import { readState } from './read.ts';

export const stateFormat: LenientFormat = {
  name: 'state',
  headers: ['statediagram', 'statediagram-v2'],
  // `stateDiagram v2` draws a state named v2.
  // A line scan: the multi-line `^\s*…$` regex it replaces is quadratic on runs of newlines (tests/redos).
  misread: (code) => code.split('\n').some((line) => /^stateDiagram\s+v2$/i.test(line.trim())),
  rewrite(code) {
    const read = readState(code);
    return read === null ? null : { code: printState(read.diagram), changes: read.changes };
  },
};
