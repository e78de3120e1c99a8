import type { DiagramChange } from '../../../common/protocol.ts';

/** One deterministic fix: a name for the result's `repairs` list and a pure function. */
export interface Repair {
  /** Stable kebab-case name, reported to clients (e.g. "quote-labels"). */
  name: string;
  /** Returns the fixed code, or the same string when there is nothing to fix. */
  apply(code: string): string;
  /**
   * Also tried on a diagram Mermaid accepts: the mistake it fixes parses, but
   * into something else than what the model wrote (`Waiting for payment -->
   * Paid` in a state diagram draws three states; `Order #12` in a sequence
   * message loses `#12`). Such a fix must recognise the mistake by its shape
   * alone, since the parser cannot tell; the corpus test checks that no valid
   * diagram of Mermaid's documentation triggers one.
   */
  whenValid?: boolean;
  /** The content changes this fix made from `before` to `after` (a score filled in, a root moved), for `changes`. */
  changes?(before: string, after: string): DiagramChange[];
}
