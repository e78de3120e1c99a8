/** An entity-relationship diagram as the reader understands it; the printer writes it back. */

export interface Attribute {
  type: string;
  name: string;
  /** `PK`, `FK`, `UK`. */
  keys: string[];
  comment: string | null;
}

export type ErStatement =
  /** `NAME { attributes }` (attributes null when the entity has no block here), `NAME["Alias"]`. */
  | { kind: 'entity'; name: string; alias: string | null; attributes: Attribute[] | null }
  | { kind: 'relation'; left: string; card: string; right: string; label: string }
  /** `direction LR`, `classDef`, `style`: kept as written. */
  | { kind: 'verbatim'; text: string };

export interface ErDiagram {
  statements: ErStatement[];
}
