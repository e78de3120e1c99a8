/** One deterministic fix: a name for the result's `repairs` list and a pure function. */
export interface Repair {
  /** Stable kebab-case name, reported to clients (e.g. "quote-labels"). */
  name: string;
  /** Returns the fixed code, or the same string when there is nothing to fix. */
  apply(code: string): string;
}
