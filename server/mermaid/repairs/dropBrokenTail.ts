import { headerIndex, kindOf } from '../body.ts';
import { parseMessage } from '../sequence.ts';
import { erRelation } from './er.ts';
import type { Repair } from './types.ts';

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
    const lines = code.replace(/\s+$/, '').split('\n');
    // Look past closers (`end`, `}`) another repair may have appended.
    let last = lines.length - 1;
    while (last > 0 && /^\s*(?:end|\})\s*$/.test(lines[last]!)) last--;
    const header = headerIndex(lines);
    const statements = lines.filter((l, i) => i > header && i !== last && l.trim() !== '' && !/^\s*%%/.test(l));
    if (last <= header || statements.length === 0) return code;
    if (!isUnfinished(bracketsOnly(code, lines[last]!)) && !lacksItsPart(code, lines, last)) return code;
    lines.splice(last, 1);
    return lines.join('\n');
  },
};

/**
 * Braces that open nothing a cut could leave open: ER cardinalities
 * (`||--o{`), and a `{` ending the line (a class body, an entity's
 * attributes, a composite state: close-braces closes those and keeps the name).
 */
function bracketsOnly(code: string, line: string): string {
  const kind = kindOf(code);
  if (kind !== 'er' && kind !== 'class' && kind !== 'state') return line;
  let s = line.replace(/\{\s*$/, '');
  const r = kind === 'er' ? erRelation(s) : null;
  if (r) s = s.replace(r.card, '--');
  return s;
}

export function isUnfinished(line: string): boolean {
  const text = line.replace(/"[^"]*"/g, '""');
  if ((line.match(/"/g) ?? []).length % 2 === 1) return true;
  const opens = (text.match(/[[({]/g) ?? []).length;
  const closes = (text.match(/[\])}]/g) ?? []).length;
  if (opens > closes) return true;
  if (/(?:--|==|-\.)[->]?\|[^|]*$/.test(text)) return true; // an edge label left open: `-->|Nei`
  if (/(?:-->|---|==>|-\.->|--|==|->>|-->>|-\)|->|:|\||&|,)\s*$/.test(text) && !/^\s*%%/.test(line)) {
    // A trailing colon is normal in no diagram line; a pipe only when the label is unclosed.
    return !/\|[^|]*\|\s*$/.test(text) || /(?:-->|---|==>|--|==|->|&)\s*$/.test(text);
  }
  return false;
}

/** The last line is a message / relation without the `: text` all the others have. */
function lacksItsPart(code: string, lines: string[], last: number): boolean {
  const kind = kindOf(code);
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
