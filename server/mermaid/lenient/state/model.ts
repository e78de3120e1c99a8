/** A state diagram as the reader understands it; the printer writes it back. */

export type StateStatement =
  /** `A --> B : label`; ends are state names as written (`[*]` for start/end). */
  /** `both`: `A <--> B`, which Mermaid's state diagrams cannot draw: printed as a transition each way. */
  | { kind: 'transition'; from: string; to: string; label: string; both?: boolean }
  /** `A : description`. */
  | { kind: 'description'; state: string; text: string }
  /** `state X {` (a composite, with its display name when it has one). */
  | { kind: 'open'; state: string }
  | { kind: 'close' }
  /** `state X <<fork>>`, `state "Name" as X`, `state X`: a declaration. */
  | { kind: 'declare'; state: string; stereotype: string }
  | { kind: 'note'; place: string; state: string; text: string[] }
  /** `--` (concurrent regions), `direction LR`, `classDef …`, `class …`, `style …`: kept as written. */
  | { kind: 'verbatim'; text: string };

export interface StateDiagram {
  header: string;
  statements: StateStatement[];
  /** Display names given by `state "Name" as id`: id → name. */
  names: Map<string, string>;
}
