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
}

const parser: StreamParser<State> = {
  name: 'mermaid',
  startState: () => ({ inString: false }),
  token(stream, state) {
    if (state.inString) {
      while (!stream.eol()) {
        if (stream.next() === '"') {
          state.inString = false;
          break;
        }
      }
      return 'string';
    }
    if (stream.sol()) stream.eatSpace();
    if (stream.sol() || stream.string.slice(0, stream.pos).trim() === '') {
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
    if (stream.match(/^[[\](){}]+/)) return 'bracket';
    if (stream.match(/^\d+(\.\d+)?\b/)) return 'number';
    if (stream.match(/^[\p{L}_][\p{L}\p{N}_-]*/u)) {
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
