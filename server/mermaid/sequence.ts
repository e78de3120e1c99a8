/**
 * Just enough of sequence-diagram syntax for the repairs and for pointing a
 * parser error at the right line: messages (`A->>+B: text`), participants,
 * activations. Pure, no mermaid import; line-based.
 */
import { trimEndSemicolon } from '../../common/text.ts';

/** Mermaid's message arrows, longest first; an optional `+`/`-` activation mark follows. */
const ARROW = /(<<-->>|<<->>|-->>|->>|--x|-x|--\)|-\)|-->|->)([+-]?)/;
/** Lines that start with a keyword are not messages (mermaid's keywords are case-insensitive). */
const KEYWORD_LINE =
  /^\s*(?:participant|actor|note|loop|alt|else|opt|par|par_over|and|critical|option|break|rect|box|end|activate|deactivate|autonumber|title|accTitle|accDescr|create|destroy|links?|properties|details)\b/i;

export interface Message {
  indent: string;
  from: string;
  arrow: string;
  /** `+` activates the receiver, `-` deactivates the sender. */
  mark: '' | '+' | '-';
  to: string;
  /** The text after the first colon; null when the line has no colon. */
  text: string | null;
}

export function parseMessage(line: string): Message | null {
  if (KEYWORD_LINE.test(line) || /^\s*%%/.test(line)) return null;
  const colon = line.indexOf(':');
  const head = colon === -1 ? line : line.slice(0, colon);
  const m = ARROW.exec(head);
  if (!m) return null;
  const from = head.slice(0, m.index).trim();
  const to = head.slice(m.index + m[0].length).trim();
  if (!from || !to) return null;
  return {
    indent: /^\s*/.exec(line)![0],
    from,
    arrow: m[1]!,
    mark: m[2] as Message['mark'],
    to,
    text: colon === -1 ? null : line.slice(colon + 1),
  };
}

export function formatMessage(m: Message): string {
  return `${m.indent}${m.from}${m.arrow}${m.mark}${m.to}:${m.text ?? ''}`;
}

/**
 * `participant X`, `actor X as Label` → the id X (with spaces, as written):
 * the groups of `^(\s*)(participant|actor)\s+(.+?)(?:\s+as\s+(.*))?\s*$/i`
 * ([whole, indent, keyword, id, alias]), found by a scan because that
 * pattern is polynomial on runs of spaces (tests/redos).
 */
export function parseParticipant(line: string): [string, string, string, string, string | undefined] | null {
  const head = /^(\s*)(participant|actor)(?=\s)/i.exec(line);
  if (!head) return null;
  const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
  const n = line.length;
  let w = head[0].length;
  while (w < n && isSpace(line[w])) w++;
  if (w === n) {
    // Only spaces after the keyword: the id is the last of them (when there are two or more).
    return n - head[0].length >= 2 ? [line, head[1]!, head[2]!, line[n - 1]!, undefined] : null;
  }
  // The id ends at the first run of spaces that is followed by `as` and a space, or by the end.
  for (let e = w + 1; e < n; e++) {
    if (!isSpace(line[e]) || isSpace(line[e - 1])) continue;
    let x = e;
    while (x < n && isSpace(line[x])) x++;
    if (x === n) return [line, head[1]!, head[2]!, line.slice(w, e), undefined];
    if (/^as$/i.test(line.slice(x, x + 2)) && isSpace(line[x + 2])) {
      let y = x + 2;
      while (y < n && isSpace(line[y])) y++;
      return [line, head[1]!, head[2]!, line.slice(w, e), line.slice(y)];
    }
  }
  return [line, head[1]!, head[2]!, line.slice(w), undefined];
}

/** Ids of the participants: declared ones and both ends of every message. */
export function participants(lines: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const line of lines) {
    const p = parseParticipant(line);
    if (p) {
      ids.add(p[3]!.trim());
      continue;
    }
    const m = parseMessage(line);
    if (m) {
      ids.add(m.from);
      ids.add(m.to);
    }
  }
  return ids;
}

/**
 * The first deactivation of a participant that is not active (mermaid
 * rejects the diagram there), as a 0-based line index and the participant,
 * or null. Replays mermaid's count: `activate X` and `->>+X` raise X's count,
 * `deactivate X` and `X-->>-Y` lower it.
 */
export function firstBadDeactivation(lines: readonly string[]): { index: number; actor: string; shorthand: boolean } | null {
  const active = new Map<string, number>();
  const bump = (actor: string, by: number) => active.set(actor, (active.get(actor) ?? 0) + by);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const statement = activation(line);
    if (statement) {
      const actor = statement[2];
      if (statement[1]!.toLowerCase() === 'activate') bump(actor, 1);
      else if ((active.get(actor) ?? 0) < 1) return { index: i, actor, shorthand: false };
      else bump(actor, -1);
      continue;
    }
    const m = parseMessage(line);
    if (!m) continue;
    if (m.mark === '+') bump(m.to, 1);
    if (m.mark === '-') {
      if ((active.get(m.from) ?? 0) < 1) return { index: i, actor: m.from, shorthand: true };
      bump(m.from, -1);
    }
  }
  return null;
}

/**
 * `activate X` / `deactivate X;` → [line, keyword, X]: what
 * `^\s*(activate|deactivate)\s+(.+?)\s*;?\s*$/i` matched, without its
 * polynomial backtracking (a line of only spaces after the keyword is no statement).
 */
function activation(line: string): [string, string, string] | null {
  const head = /^\s*(activate|deactivate)(?=\s)/i.exec(line);
  if (!head) return null;
  const rest = line.slice(head[0].length).trim();
  if (rest === '') return null;
  return [line, head[1]!, trimEndSemicolon(rest) || rest];
}
