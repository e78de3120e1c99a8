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
  /**
   * 1-based lines of the input that are not diagram (fences, the header, prose
   * or a second diagram after it, comments): the content check skips them.
   */
  notDiagram?: number[];
  /** Texts of the input Mermaid never draws and the printer left out (ids of labelled nodes it renamed). */
  undrawn?: string[];
}

export interface LenientFormat {
  /** Reported in `repairs` as `lenient-<name>` when its rewrite is used. */
  name: string;
  /** Diagram header keywords it handles, lower-case, e.g. ['flowchart', 'graph']. */
  headers: readonly string[];
  /** Lenient read + canonical print; null when it cannot read the text as this type. */
  rewrite(code: string): Rewrite | null;
  /**
   * For code Mermaid accepts: true when it holds a mistake Mermaid parses
   * into something else than what was written (a flowchart id given two
   * different labels draws one node). repair() then tries `rewrite` and keeps
   * it only if it is valid and keeps every word. Must recognise the mistake
   * by its shape alone and never fire on a good diagram (good answers are
   * returned byte for byte).
   */
  misread?(code: string): boolean;
}
