/**
 * A small Mermaid highlighter for CodeMirror 6 (a StreamLanguage, not a full
 * grammar): diagram keywords, arrows, strings, |edge labels|, comments,
 * numbers and brackets. Good enough to read model output at a glance; the
 * real parser is Mermaid's own.
 */
import { StreamLanguage, type StreamParser } from '@codemirror/language';

const DIAGRAMS =
  /^(flowchart|graph|sequenceDiagram|classDiagram(-v2)?|stateDiagram(-v2)?|erDiagram|gantt|pie|journey|mindmap|timeline|gitGraph|quadrantChart|requirementDiagram|C4Context|sankey-beta|xychart-beta|block-beta|packet-beta|architecture-beta|kanban)\b/;
const KEYWORDS = new Set([
  'subgraph', 'end', 'direction', 'click', 'style', 'linkStyle', 'classDef', 'class',
  'participant', 'actor', 'loop', 'alt', 'else', 'opt', 'par', 'and', 'critical', 'break', 'rect',
  'note', 'Note', 'over', 'of', 'left', 'right', 'activate', 'deactivate', 'autonumber', 'box',
  'state', 'as', 'title', 'section', 'dateFormat', 'axisFormat', 'excludes', 'todayMarker',
  'accTitle', 'accDescr', 'TD', 'TB', 'BT', 'LR', 'RL',
]);
const ARROW = /^(<?[-=.]{1,3}[->ox]{1,2}|<?-->>?|-\.->|==>|-->|->>|-->>|--x|--o|<-->|<-->>|\.\.>|\.\.|--|\|\||\}o|o\{|\|o|o\||\}\||\|\{)/;

interface State {
  /** Inside "…" (strings can span lines in Mermaid markdown labels). */
  inString: boolean;
  /** Inside a node shape's label, e.g. A[ … ]: the characters that close it. */
  label: string | null;
}

const CLOSE: Record<string, string> = { '[': ']', '(': ')', '{': '}', '>': ']' };

export const parser: StreamParser<State> = {
  name: 'mermaid',
  startState: () => ({ inString: false, label: null }),
  token(stream, state) {
    // Only quoted strings continue over line ends; an unclosed shape does not.
    if (stream.sol() && !state.inString) state.label = null;
    if (state.inString) {
      while (!stream.eol()) {
        if (stream.next() === '"') {
          state.inString = false;
          break;
        }
      }
      return 'string';
    }
    if (state.label) {
      if (stream.peek() === '"') {
        stream.next();
        state.inString = true;
        return 'string';
      }
      if (stream.match(/^[\])}]+/)) {
        state.label = null;
        return 'bracket';
      }
      if (!stream.match(/^[^"\])}]+/)) stream.next();
      return 'string';
    }
    if (stream.sol() && stream.eatSpace()) return null;
    if (stream.string.slice(0, stream.pos).trim() === '') {
      if (stream.match(DIAGRAMS)) return 'keyword';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('%%')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.peek() === '"') {
      stream.next();
      state.inString = true;
      while (!stream.eol()) {
        if (stream.next() === '"') {
          state.inString = false;
          break;
        }
      }
      return 'string';
    }
    if (stream.peek() === '|') {
      // An edge label: |text|
      if (stream.match(/^\|[^|\n]*\|/)) return 'labelName';
    }
    if (stream.match(ARROW)) return 'operator';
    // A node shape after an id (A[…], B{…}, C((…)), D>…]): its text is a label.
    const prev = stream.string.charAt(stream.pos - 1);
    if (/[\p{L}\p{N}_]/u.test(prev) && stream.match(/^(\[\[|\[\(|\(\(|\(\[|\{\{|\[\/|\[\\|[[({>])/u)) {
      const open = stream.current();
      state.label = CLOSE[open.charAt(0)] ?? ']';
      return 'bracket';
    }
    if (stream.match(/^[[\](){}]+/)) return 'bracket';
    // Sequence messages and notes: "A->>B: text", "Note over A: text".
    if (stream.match(/^: /)) {
      stream.skipToEnd();
      return 'string';
    }
    if (stream.match(/^\d+(\.\d+)?\b/)) return 'number';
    // Ids may hold single hyphens (my-node) but "A-->B" is A, an arrow, B.
    if (stream.match(/^[\p{L}_][\p{L}\p{N}_]*(?:-[\p{L}\p{N}_]+)*/u)) {
      const word = stream.current();
      if (KEYWORDS.has(word)) return 'keyword';
      return 'variableName';
    }
    if (stream.match(/^[:;,&]/)) return 'punctuation';
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '%%' } },
};

export const mermaidLanguage = StreamLanguage.define(parser);
