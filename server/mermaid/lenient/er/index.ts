/** The lenient format for ER diagrams: read.ts → model.ts → print.ts. */
import type { LenientFormat } from '../types.ts';
import { printEr } from './print.ts';
import { readEr, unquotedLabel } from './read.ts';

export const erFormat: LenientFormat = {
  name: 'er',
  headers: ['erdiagram'],
  misread: unquotedLabel,
  rewrite(code) {
    const read = readEr(code);
    return read === null ? null : { code: printEr(read.diagram), changes: read.changes };
  },
};
