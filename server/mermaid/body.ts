/**
 * Which of our diagram types a piece of code is (from its header line), and
 * line-by-line access to its statements, for the type-specific repairs.
 * Pure, no mermaid import; line-based, like the models' output.
 */

export type DiagramKind =
  | 'flowchart'
  | 'sequence'
  | 'state'
  | 'class'
  | 'er'
  | 'gantt'
  | 'mindmap'
  | 'timeline'
  | 'journey'
  | 'pie'
  | 'quadrant'
  | 'xychart'
  | 'sankey'
  | 'block'
  | 'gitgraph'
  | 'requirement';

const KIND_HEADERS: Array<[RegExp, DiagramKind]> = [
  [/^\s*(?:flowchart-elk|flowchart|graph)\b/, 'flowchart'],
  [/^\s*sequenceDiagram\b/, 'sequence'],
  [/^\s*stateDiagram(?:-v2)?\b/, 'state'],
  [/^\s*classDiagram(?:-v2)?\b/, 'class'],
  [/^\s*erDiagram\b/, 'er'],
  [/^\s*gantt\s*$/, 'gantt'],
  [/^\s*mindmap\s*$/, 'mindmap'],
  [/^\s*timeline\s*$/, 'timeline'],
  [/^\s*journey\s*$/, 'journey'],
  [/^\s*pie\b/, 'pie'],
  [/^\s*quadrantChart\b/, 'quadrant'],
  [/^\s*xychart(?:-beta)?\b/, 'xychart'],
  [/^\s*sankey(?:-beta)?\s*$/, 'sankey'],
  [/^\s*block(?:-beta)?\s*$/, 'block'],
  [/^\s*gitGraph\b/, 'gitgraph'],
  [/^\s*requirementDiagram\b/, 'requirement'],
];

/** Index of the first line that is not front matter, blank or a `%%` comment (the header), or -1. */
export function headerIndex(lines: readonly string[]): number {
  let inFrontMatter = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*---\s*$/.test(line) && (inFrontMatter || i === firstNonBlank(lines))) {
      inFrontMatter = !inFrontMatter;
      continue;
    }
    if (inFrontMatter || line.trim() === '' || /^\s*%%/.test(line)) continue;
    return i;
  }
  return -1;
}

function firstNonBlank(lines: readonly string[]): number {
  return lines.findIndex((l) => l.trim() !== '');
}

export function kindOfHeader(line: string): DiagramKind | null {
  for (const [re, kind] of KIND_HEADERS) if (re.test(line)) return kind;
  return null;
}

/** The diagram type named by the header, or null. */
export function kindOf(code: string): DiagramKind | null {
  const lines = code.split('\n');
  const i = headerIndex(lines);
  return i === -1 ? null : kindOfHeader(lines[i]!);
}

/**
 * The code's lines and its header index when it is a diagram of `kind`, else
 * null: the common start of every type-specific repair.
 */
export function bodyOf(code: string, kind: DiagramKind): { lines: string[]; header: number } | null {
  const lines = code.split('\n');
  const header = headerIndex(lines);
  if (header === -1 || kindOfHeader(lines[header]!) !== kind) return null;
  return { lines, header };
}

/**
 * Applies `fn` to each statement line (after the header; `%%` comments
 * skipped) of a diagram of `kind`; other code is returned unchanged.
 */
export function mapBody(code: string, kind: DiagramKind, fn: (line: string, index: number, lines: string[]) => string): string {
  const body = bodyOf(code, kind);
  if (!body) return code;
  const { lines, header } = body;
  let changed = false;
  for (let i = header + 1; i < lines.length; i++) {
    if (/^\s*%%/.test(lines[i]!)) continue;
    const next = fn(lines[i]!, i, lines);
    if (next !== lines[i]) {
      lines[i] = next;
      changed = true;
    }
  }
  return changed ? lines.join('\n') : code;
}

/** Leading whitespace of a line. */
export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/**
 * Mermaid's entity code for a character (`;` → `#59;`): the parser never sees
 * the character, the rendered text shows it (mermaid encodes `#…;` before
 * parsing and decodes after rendering, in every diagram type).
 */
export function entity(ch: string): string {
  return `#${ch.codePointAt(0)};`;
}

/** `#` that does not already start an entity code (`#59;`, `#quot;`). */
export const BARE_HASH = /#(?![A-Za-z0-9]+;)/g;
