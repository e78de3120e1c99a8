/**
 * A flowchart body under another type's header: `sequenceDiagram` followed
 * by `A[Customer] --> B[Agent]`. Recognised by shape alone: most statement
 * lines hold a node shape or a flowchart arrow, and none holds what only the
 * other types write (a `participant`, a `->>` message, `Note`, `:` labels of
 * states and relations, braces of classes and entities).
 */
import { headerKeyword } from '../index.ts';

const FLOW_LINE = /^[\p{L}\p{N}_]+\s*(?:\[|\{|\(\(|\(\[)|(?:-->|---|==>|-\.->)/u;
const OTHER_TYPE = /^(?:participant|actor|activate|deactivate|note|loop|alt|opt|state|class|section|title|dateFormat)\b|->>|-->>|^\}$|\{$|\|\|--|}o--|:\s*\S/i;

export interface Body {
  /** The code with its header replaced by `flowchart TD`. */
  code: string;
  /** The header as written. */
  header: string;
  /** Its 1-based line. */
  line: number;
}

export function flowchartBody(code: string): Body | null {
  const keyword = headerKeyword(code);
  if (keyword === null || keyword === 'flowchart' || keyword === 'graph') return null;
  const lines = code.split('\n');
  const at = lines.findIndex((l) => l.trim().toLowerCase().startsWith(keyword));
  if (at === -1) return null;
  const statements = lines.slice(at + 1).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('%%'));
  if (statements.length === 0 || statements.some((l) => OTHER_TYPE.test(l))) return null;
  const flow = statements.filter((l) => FLOW_LINE.test(l)).length;
  if (flow * 2 < statements.length) return null;
  const out = [...lines];
  out[at] = 'flowchart TD';
  return { code: out.join('\n'), header: lines[at]!.trim(), line: at + 1 };
}
