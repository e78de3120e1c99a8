/** A class diagram as the reader understands it; the printer writes it back. */

export type ClassStatement =
  /** `class Name~T~["Label"] { members }`; members null when no body was written. */
  | { kind: 'class'; name: string; generic: string; label: string | null; members: string[] | null; rest: string }
  /** `Name : +int id`. */
  | { kind: 'member'; name: string; text: string }
  | { kind: 'relation'; left: string; leftCard: string; arrow: string; rightCard: string; right: string; label: string }
  /** `<<interface>> Name`. */
  | { kind: 'annotation'; name: string; text: string }
  | { kind: 'note'; name: string | null; text: string }
  | { kind: 'namespace'; name: string }
  | { kind: 'close' }
  /** `direction LR`, `classDef`, `cssClass`, `style`: kept as written. */
  | { kind: 'verbatim'; text: string };

export interface ClassDiagram {
  statements: ClassStatement[];
}
