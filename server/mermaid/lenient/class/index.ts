/** The lenient format for class diagrams: read.ts → model.ts → print.ts. */
import type { LenientFormat } from '../types.ts';
import { printClass } from './print.ts';
import { readClass, wordMultiplicity } from './read.ts';

export const classFormat: LenientFormat = {
  name: 'class',
  headers: ['classdiagram', 'classdiagram-v2'],
  misread: wordMultiplicity,
  rewrite(code) {
    const read = readClass(code);
    return read === null ? null : { code: printClass(read.diagram), changes: read.changes };
  },
};
