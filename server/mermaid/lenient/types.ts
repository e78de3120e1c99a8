/**
 * The lenient reader + printer contract, one per diagram type.
 *
 * A format reads what a small model writes (with its usual mistakes) into a
 * small typed model of the diagram and prints that model back as canonical
 * Mermaid that the parser accepts. repair() calls it on invalid input only:
 * valid input is never rewritten.
 *
 *   const f = lenientFormatFor('graph TB-LR\n  A[x]; --> B');
 *   f?.rewrite(code)  // { code: 'flowchart TB\n    A["x"] --> B', changes: [] }
 *
 * Rules a format must keep (repair() checks them on every output, see invariants.ts):
 * - every unit the model wrote is printed (nodes, edges, messages, …), every label word kept;
 * - nothing invented: fence, prose and header lines never become units;
 * - hierarchy kept (subgraph membership, nesting, indentation);
 * - any content change is listed in `changes` (common/protocol.ts ChangeKind);
 * - linear time: hand-written scanners or regexes without nested/overlapping quantifiers.
 */
import type { DiagramChange } from '../../../common/protocol.ts';

export type { ChangeKind, DiagramChange } from '../../../common/protocol.ts';

export interface Rewrite {
  /** Canonical Mermaid, header line included. */
  code: string;
  /** Content changes (split ids, dropped cut line, …); [] when the content is the same. */
  changes: DiagramChange[];
}

export interface LenientFormat {
  /** Reported in `repairs` as `lenient-<name>` when its rewrite is used. */
  name: string;
  /** Diagram header keywords it handles, lower-case, e.g. ['flowchart', 'graph']. */
  headers: readonly string[];
  /** Lenient read + canonical print; null when it cannot read the text as this type. */
  rewrite(code: string): Rewrite | null;
}
