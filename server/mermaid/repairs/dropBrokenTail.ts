import { headerIndex, kindOf } from '../body.ts';
import { parseMessage } from '../sequence.ts';
import { erRelation } from './er.ts';
import type { Repair } from './types.ts';

const GANTT_KEYWORD = /^\s*(?:title|dateFormat|axisFormat|tickInterval|excludes|includes|todayMarker|weekday|section|displayMode|topAxis|inclusiveEndDates|click|accTitle|accDescr)\b/;
/** A date or a duration: a task line that has one is complete, only its colon is missing (gantt-colons). */
const GANTT_DATA = /\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\b\d+\s?[a-zA-Z]/;

/**
 * An answer cut by the token budget ends mid-line: `E -->|Ja| F[Bescheid verschi`.
 * Drops that last line when it is visibly unfinished (open bracket, quote or
 * pipe, a dangling arrow, colon or comma), or when it lacks the part every
 * other line of its kind has: a sequence message without `: text`, an ER
 * relation without `: label` (`KUNDE ||--o{ BESTELL`). The nodes and edges
 * before it are kept, and a diagram is never cut down to its header.
 */
export const dropBrokenTail: Repair = {
  name: 'drop-broken-tail',
  apply(code) {
    const lines = code.trimEnd().split('\n');
    // Look past closers (`end`, `}`) another repair may have appended.
    let last = lines.length - 1;
    while (last > 0 && /^\s*(?:end|\})\s*$/.test(lines[last]!)) last--;
    const header = headerIndex(lines);
    const statements = lines.filter((l, i) => i > header && i !== last && l.trim() !== '' && !/^\s*%%/.test(l));
    if (last <= header || statements.length === 0) return code;
    if (!isUnfinished(bracketsOnly(code, lines[last]!)) && !lacksItsPart(code, lines, last)) return code;
    // Where the half-written part is one item of a list, only that item goes.
    const kept = keptPart(code, lines[last]!);
    if (kept !== null) lines[last] = kept;
    else lines.splice(last, 1);
    return lines.join('\n');
  },
};

/**
 * Braces that open nothing a cut could leave open: ER cardinalities
 * (`||--o{`), and a `{` ending the line (a class body, an entity's
 * attributes, a composite state: close-braces closes those and keeps the name).
 */
export function bracketsOnly(code: string, line: string): string {
  const kind = kindOf(code);
  if (kind !== 'er' && kind !== 'class' && kind !== 'state') return line;
  let s = line.replace(/\{\s*$/, '');
  const r = kind === 'er' ? erRelation(s) : null;
  if (r) s = s.replace(r.card, '--');
  return s;
}

export function isUnfinished(line: string): boolean {
  // Trimmed first: a pattern anchored at the end after `\s*` backtracks over runs of spaces.
  const text = line.replace(/"[^"]*"/g, '""').trimEnd();
  if ((line.match(/"/g) ?? []).length % 2 === 1) return true;
  const opens = (text.match(/[[({]/g) ?? []).length;
  const closes = (text.match(/[\])}]/g) ?? []).length;
  if (opens > closes) return true;
  if (/(?:--|==|-\.)[->]?\|[^|]*$/.test(text)) return true; // an edge label left open: `-->|Nei`
  if (/(?:-->|---|==>|-\.->|--|==|->>|-->>|-\)|->|:|\||&|,)$/.test(text) && !/^\s*%%/.test(line)) {
    // A trailing colon is normal in no diagram line; a pipe only when the label is unclosed.
    return !/\|[^|]*\|$/.test(text) || /(?:-->|---|==>|--|==|->|&)$/.test(text);
  }
  return false;
}

/**
 * The part of a cut last line that was finished, when the line is a list
 * whose last item was cut: a timeline period keeps its name and its
 * finished events (`2025 : Launch : Beta (te` → `2025 : Launch`), an
 * xychart series its finished values (`bar [10, 20, 3` → `bar [10, 20]`).
 * Null: the whole line goes.
 */
function keptPart(code: string, line: string): string | null {
  const kind = kindOf(code);
  if (kind === 'timeline') {
    const colon = line.lastIndexOf(':');
    const head = colon === -1 ? '' : line.slice(0, colon).trimEnd();
    return head.trim() === '' || isUnfinished(head) ? null : head;
  }
  if (kind === 'xychart') {
    const open = line.indexOf('[');
    if (open === -1 || line.includes(']')) return null;
    const items = line.slice(open + 1).split(',').slice(0, -1).map((s) => s.trim()).filter((s) => s !== '');
    return items.length === 0 ? null : `${line.slice(0, open + 1)}${items.join(', ')}]`;
  }
  return null;
}

/** Every line of the chart's items but the last matches `item`, and the last does not. */
function lastBreaks(lines: string[], last: number, header: number, skip: RegExp, item: (line: string) => boolean): boolean {
  const items = lines.slice(header + 1, last).filter((l) => l.trim() !== '' && !/^\s*%%/.test(l) && !skip.test(l));
  return items.length > 0 && items.every(item) && !skip.test(lines[last]!) && !item(lines[last]!);
}

/** The last line is a message / relation / task / slice without the part all the others have. */
function lacksItsPart(code: string, lines: string[], last: number): boolean {
  const kind = kindOf(code);
  const header = headerIndex(lines);
  // A gantt task, journey task, pie slice or quadrant point without its colon; a sankey flow short of a field.
  if (kind === 'gantt') return lastBreaks(lines, last, header, GANTT_KEYWORD, (l) => l.includes(':')) && !GANTT_DATA.test(lines[last]!);
  if (kind === 'journey') return lastBreaks(lines, last, header, /^\s*(?:title|section)\b/, (l) => /:\s*\d/.test(l));
  if (kind === 'pie') return lastBreaks(lines, last, header, /^\s*(?:title|showData|accTitle|accDescr)\b/, (l) => l.includes(':'));
  if (kind === 'quadrant') return lastBreaks(lines, last, header, /^\s*(?:title|[xy]-axis|quadrant-\d|classDef|accTitle|accDescr)\b/, (l) => l.includes(':'));
  if (kind === 'sankey') return lastBreaks(lines, last, header, /^$/, (l) => l.split(',').length >= 3);
  if (kind === 'sequence') {
    const lastMessage = parseMessage(lines[last]!);
    if (!lastMessage || lastMessage.text !== null) return false;
    const others = lines.slice(0, last).map(parseMessage).filter((m) => m !== null);
    return others.length > 0 && others.every((m) => m.text !== null);
  }
  if (kind === 'er') {
    const lastRelation = erRelation(lines[last]!);
    if (!lastRelation || lastRelation.label !== null) return false;
    const others = lines.slice(0, last).map(erRelation).filter((r) => r !== null);
    return others.length > 0 && others.every((r) => r.label !== null);
  }
  return false;
}
