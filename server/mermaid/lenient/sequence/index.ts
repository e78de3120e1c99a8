/** The lenient format for sequence diagrams: read.ts → model.ts → print.ts. */
import type { LenientFormat } from '../types.ts';
import { printSequence } from './print.ts';
import { readSequence, swappedAlias } from './read.ts';

export const sequenceFormat: LenientFormat = {
  name: 'sequence',
  headers: ['sequencediagram'],
  misread: swappedAlias,
  rewrite(code) {
    const read = readSequence(code);
    return read === null ? null : { code: printSequence(read.diagram), changes: read.changes };
  },
};
