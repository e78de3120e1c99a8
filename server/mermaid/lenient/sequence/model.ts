/** A sequence diagram as the reader understands it; the printer writes it back. */

export type Arrow = '->>' | '-->>' | '->' | '-->' | '-x' | '--x' | '-)' | '--)' | '<<->>' | '<<-->>';

export type SequenceStatement =
  | { kind: 'participant'; keyword: 'participant' | 'actor'; id: string; label: string | null }
  | { kind: 'message'; from: string; arrow: Arrow; mark: '' | '+' | '-'; to: string; text: string }
  | { kind: 'note'; place: 'left of' | 'right of' | 'over'; who: string[]; text: string }
  | { kind: 'activation'; on: boolean; who: string }
  /** `loop x`, `alt x`, `opt`, `par`, `critical`, `break`, `rect rgb(…)`, `box …`. */
  | { kind: 'open'; keyword: string; text: string }
  /** `else x`, `and x`, `option x`. */
  | { kind: 'middle'; keyword: string; text: string }
  | { kind: 'end' }
  /** `autonumber`, `title x`, `create participant x`, `destroy x`, `links …`: kept as written. */
  | { kind: 'verbatim'; text: string }
  | { kind: 'comment'; text: string };

export interface SequenceDiagram {
  statements: SequenceStatement[];
}
