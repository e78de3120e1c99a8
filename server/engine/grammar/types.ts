/**
 * What a request says about its constraint (plain data: it crosses to the
 * engine's worker thread as it is).
 */
export interface ConstraintSpec {
  grammar: 'flowchart';
  /**
   * Text the assistant turn starts with (the header and its newline, e.g.
   * 'flowchart TD\n'): appended to the prompt after the generation prompt,
   * and the answer's text starts with it.
   */
  prefill: string;
}

/** The header line a flowchart request asks for, as a prefill. */
export function flowchartConstraint(direction: 'TD' | 'LR'): ConstraintSpec {
  return { grammar: 'flowchart', prefill: `flowchart ${direction}\n` };
}
