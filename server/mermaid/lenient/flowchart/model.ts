/**
 * The typed model of a flowchart, as the lenient reader reads it and the
 * printer prints it. Ids are the model's raw ids; the printer maps them to
 * canonical ones (resolve.ts). Labels are plain text as a person reads it
 * (no quotes, no entity codes).
 */

export type Shape =
  | 'rect'
  | 'round'
  | 'stadium'
  | 'subroutine'
  | 'cylinder'
  | 'circle'
  | 'double-circle'
  | 'asymmetric'
  | 'rhombus'
  | 'hexagon'
  | 'lean-right'
  | 'lean-left'
  | 'trapezoid'
  | 'trapezoid-alt';

export interface NodeRef {
  /** The id as written (quotes and spaces already resolved to text). */
  raw: string;
  /** True when the model's id cannot be printed as an id (quoted, spaced, reserved, non-ASCII…). */
  needsId: boolean;
  shape?: Shape;
  label?: string;
  /** `:::name` classes. */
  classes: string[];
}

export type LineType = 'solid' | 'thick' | 'dotted' | 'invisible';
export type Head = '' | '>' | 'o' | 'x';

export interface Arrow {
  line: LineType;
  /** Head at the target end ('' = open link). */
  head: Head;
  /** Head at the source end (`<-->`, `o--o`, `x--x`). */
  startHead: Head;
  /** Extra length beyond the shortest form (`--->` is 1). */
  extra: number;
}

export interface Link {
  arrow: Arrow;
  label?: string;
  /** `A <-- B`: Mermaid has no one-way backward arrow; the printer swaps the ends. */
  reversed?: boolean;
  /** `B == text --> C`: the text opened with one line type and closed with another (Mermaid drops C). */
  mixed?: boolean;
}

/** `A & B --> C --> D`: groups joined by links. One group and no links is a node declaration. */
export interface Chain {
  kind: 'chain';
  groups: NodeRef[][];
  links: Link[];
  line: number;
}

export interface Subgraph {
  kind: 'subgraph';
  /** Raw id as written, or null when the model only gave a title. */
  id: string | null;
  title?: string;
  body: Statement[];
  line: number;
}

export interface Direction {
  kind: 'direction';
  dir: string;
  line: number;
}

export interface ClassDef {
  kind: 'classDef';
  names: string[];
  style: string;
  line: number;
}

export interface ClassStmt {
  kind: 'class';
  ids: string[];
  name: string;
  line: number;
}

export interface StyleStmt {
  kind: 'style';
  id: string;
  style: string;
  line: number;
}

export interface LinkStyle {
  kind: 'linkStyle';
  /** Edge indices, or 'default'. */
  indices: number[] | 'default';
  style: string;
  line: number;
}

/** A statement kept as written (accTitle, accDescr). */
export interface Raw {
  kind: 'raw';
  text: string;
  line: number;
}

export type Statement = Chain | Subgraph | Direction | ClassDef | ClassStmt | StyleStmt | LinkStyle | Raw;

export interface Flowchart {
  keyword: 'flowchart' | 'graph';
  dir: string | null;
  /** A plain front matter title, kept as written. */
  title?: string;
  body: Statement[];
}
