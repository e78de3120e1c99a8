/**
 * The first line of every Mermaid diagram type, as a pattern that tells a
 * diagram header from a sentence of prose. Pure; shared by extract and repair.
 *
 * Distinctive camelCase keywords (sequenceDiagram, erDiagram…) only need to
 * start the line. Plain English words (pie, graph, journey, timeline…) must
 * stand alone or be followed by their own header syntax, so that "pie charts
 * are…" or "timeline of the project:" in prose is not taken for a diagram.
 */

const DISTINCTIVE = [
  'sequenceDiagram',
  'stateDiagram-v2',
  'stateDiagram',
  'classDiagram-v2',
  'classDiagram',
  'erDiagram',
  'requirementDiagram',
  'gitGraph',
  'quadrantChart',
  'xychart-beta',
  'xychart',
  'sankey-beta',
  'C4Context',
  'C4Container',
  'C4Component',
  'C4Dynamic',
  'C4Deployment',
  'architecture-beta',
  'packet-beta',
  'block-beta',
  'radar-beta',
  'treemap-beta',
  'venn-beta',
  'ishikawa-beta',
  'treeView-beta',
  'wardley-beta',
  'eventmodeling',
  'zenuml',
];

/** Words that are also English: the header line must be just the keyword (plus its own options). */
const PLAIN = ['mindmap', 'timeline', 'journey', 'gantt', 'kanban', 'sankey', 'packet', 'block', 'architecture', 'treemap'];

const escape = (s: string) => s.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&');

const HEADER_PATTERNS: RegExp[] = [
  new RegExp(`^\\s*(?:${DISTINCTIVE.map(escape).join('|')})(?![\\w-])`),
  new RegExp(`^\\s*(?:${PLAIN.map(escape).join('|')})\\s*$`),
  /^\s*xychart(?:-beta)?(?:\s+(?:horizontal|vertical))?\s*$/,
];

/** True when `line` can be the first line of a Mermaid diagram (after front matter and directives). */
export function isDiagramHeader(line: string): boolean {
  return isFlowchartHeader(line) || isPieHeader(line) || HEADER_PATTERNS.some((re) => re.test(line));
}

// The two headers below are checked in two steps because as one pattern
// each (`…\s*(?:;.*)?$`, `…(?:\s+title\s+.*)?\s*$`) they backtrack
// quadratically (tests/redos). Callers pass single lines.

/**
 * flowchart / graph with any single direction-like word (typos included:
 * repair fixes them), optionally followed by `;` and statements on the same line.
 */
function isFlowchartHeader(line: string): boolean {
  const semicolon = line.indexOf(';');
  const head = semicolon === -1 ? line : line.slice(0, semicolon);
  if (semicolon !== -1 && /[\n\r\u2028\u2029]/.test(line.slice(semicolon))) return false;
  return /^\s*(?:flowchart-elk|flowchart|graph)(?:\s+[A-Za-z]{1,12})?\s*$/.test(head);
}

/** `pie`, `pie showData`, each optionally followed by `title …`. */
function isPieHeader(line: string): boolean {
  const text = line.trimStart();
  return /^pie(?:\s+showData)?$/.test(text.trimEnd()) || /^pie(?:\s+showData)?\s+title\s/.test(text);
}

/** `%%{init: …}%%`-style directive or `%%` comment line. */
export function isDirectiveOrComment(line: string): boolean {
  return /^\s*%%/.test(line);
}

/** The flowchart header, split: keyword, direction word (maybe a typo) and the rest. */
export const FLOWCHART_HEADER = /^(\s*)(flowchart-elk|flowchart|graph)\b(.*)$/;
