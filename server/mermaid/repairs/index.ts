/**
 * The deterministic repairs, in the order repair() tries them: first the
 * ones that remove what is not diagram (prose, a cut last line), then the
 * header, arrows, labels, ids, and finally structure.
 */
import { closeSubgraphs } from './closeSubgraphs.ts';
import { dropBrokenTail } from './dropBrokenTail.ts';
import { dropTrailingProse } from './dropTrailingProse.ts';
import { escapeQuotes } from './escapeQuotes.ts';
import { fixArrows } from './fixArrows.ts';
import { fixDirection } from './fixDirection.ts';
import { quoteLabels } from './quoteLabels.ts';
import { removeHtml } from './removeHtml.ts';
import { renameReservedIds } from './renameReservedIds.ts';
import type { Repair } from './types.ts';

export type { Repair } from './types.ts';

export const REPAIRS: readonly Repair[] = [
  dropTrailingProse,
  dropBrokenTail,
  fixDirection,
  fixArrows,
  removeHtml,
  escapeQuotes,
  quoteLabels,
  renameReservedIds,
  closeSubgraphs,
];
