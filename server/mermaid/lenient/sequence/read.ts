/**
 * Reads a sequence diagram as a small model writes it into the model of
 * model.ts, tolerating: Markdown bullets, trailing `;`/comments, arrows of
 * other diagram types (`=>`, `->>>`, `→`, `A <-- B`), quoted names, a
 * message or note without its colon, a note without a position or with
 * `right A`/`over A B`, `participant Long Name as X` when the messages use
 * X, `end alt`, blocks left open, a stray `end`, a `deactivate` of nothing.
 * Returns null when a line is not sequence syntax at all (a flowchart body
 * under a `sequenceDiagram` header): that text is not ours to rewrite.
 */
import type { DiagramChange } from '../types.ts';
import { isUnfinished } from '../../repairs/dropBrokenTail.ts';
import { isProseLine } from '../../prose.ts';
import { isCutLast, sourceLines, unquote, type SourceLine } from '../lines.ts';
import type { Arrow, SequenceDiagram, SequenceStatement } from './model.ts';

/** Arrow spellings, longest first at each position, and what Mermaid arrow each one means. */
const ARROWS: Array<[string, Arrow, boolean]> = [
  // [as written, Mermaid arrow, reversed (`A <-- B` is B's reply to A)]
  ['<<-->>', '<<-->>', false],
  ['<<->>', '<<->>', false],
  ['-->>>', '-->>', false],
  ['->>>', '->>', false],
  ['<-->', '<<-->>', false],
  ['-->>', '-->>', false],
  ['<->', '<<->>', false],
  ['->>', '->>', false],
  ['--x', '--x', false],
  ['--)', '--)', false],
  ['==>', '->>', false],
  ['-->', '-->', false],
  ['<--', '-->>', true],
  ['-x', '-x', false],
  ['-)', '-)', false],
  ['=>', '->>', false],
  ['->', '->', false],
  ['<-', '->>', true],
  ['→', '->>', false],
  ['⟶', '->>', false],
  ['⇒', '->>', false],
];

const OPENERS = new Set(['loop', 'alt', 'opt', 'par', 'par_over', 'critical', 'break', 'rect', 'box']);
const MIDDLES = new Set(['else', 'and', 'option']);
const VERBATIM = new Set(['autonumber', 'title', 'acctitle', 'accdescr', 'create', 'destroy', 'links', 'link', 'properties', 'details']);
/** A flowchart statement (a subgraph, a shaped node before an edge, a `|label|`): not a sequence diagram. */
function looksLikeFlowchart(text: string): boolean {
  if (/^(?:subgraph|graph|flowchart|classDef|style|linkStyle|click)\b/.test(text) || /-->\s?\||---/.test(text)) return true;
  const arrow = text.search(/-->|==>|-\.->/);
  return arrow > 0 && /[\])}]$/.test(text.slice(0, arrow).trimEnd());
}

interface Found {
  at: number;
  written: string;
  arrow: Arrow;
  reversed: boolean;
}

/** The first arrow in `head`; `-x`/`-)` only when no other arrow is there (`Re-xamine`). */
function findArrow(head: string): Found | null {
  let weak: Found | null = null;
  for (let i = 0; i < head.length; i++) {
    for (const [written, arrow, reversed] of ARROWS) {
      if (!head.startsWith(written, i)) continue;
      const found = { at: i, written, arrow, reversed };
      if (written === '-x' || written === '-)') {
        weak ??= found;
        break;
      }
      return found;
    }
  }
  return weak;
}

export interface ReadResult {
  diagram: SequenceDiagram;
  changes: DiagramChange[];
}

/** The two ends of the last message (one when it is a self-message), or the first participant. */
function lastPair(statements: readonly SequenceStatement[]): string[] {
  for (let i = statements.length - 1; i >= 0; i--) {
    const s = statements[i]!;
    if (s.kind === 'message') return s.from === s.to ? [s.from] : [s.from, s.to];
  }
  const first = statements.find((s) => s.kind === 'participant');
  return first?.kind === 'participant' ? [first.id] : [];
}

/**
 * `participant Propriétaire as P` while the messages use P (and never
 * Propriétaire): Mermaid draws a participant "P" labelled Propriétaire and
 * another one, P, for the messages. A mistake of shape, for misread().
 */
export function swappedAlias(code: string): boolean {
  const source = sourceLines(code);
  if (!source) return false;
  const used = new Set<string>();
  for (const l of source.lines) {
    const m = messageParts(l.text);
    if (m) used.add(m.from).add(m.to);
  }
  return source.lines.some((l) => participantParts(l.text)?.some((p) => p.label !== null && used.has(p.label) && !used.has(p.id)) ?? false);
}

export function readSequence(code: string): ReadResult | null {
  const source = sourceLines(code);
  if (!source || !/^sequenceDiagram\b/i.test(source.header)) return null;
  const changes: DiagramChange[] = [];
  const lines = source.lines;
  if (lines.some((l) => looksLikeFlowchart(l.text))) return null;
  // Edges without a single `: text` (`A --> B`) are a flowchart body under the wrong header.
  const arrowLines = lines.filter((l) => messageParts(l.text) !== null);
  if (arrowLines.length >= 2 && arrowLines.every((l) => !l.text.includes(':'))) return null;

  // Participants the model names: declared ones and the ends of messages with text.
  const known = new Set<string>();
  const aliasUse = new Set<string>();
  for (const l of lines) {
    const p = participantParts(l.text);
    if (p) for (const part of p) known.add(part.id);
    const m = messageParts(l.text);
    if (m) {
      aliasUse.add(m.from).add(m.to);
      known.add(m.from);
      if (m.text !== null) known.add(m.to);
    }
  }

  const statements: Array<SequenceStatement & { indent?: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (isCutLast(code, lines, i)) {
      changes.push({ kind: 'dropped-cut-line', message: `Dropped the unfinished last line: ${l.text}`, line: l.line });
      continue;
    }
    const read = readLine(l, known, aliasUse, lastPair(statements));
    if (read === null) {
      if (i === lines.length - 1 && i > 0 && (isUnfinished(l.text) || messageParts(l.text) !== null)) {
        changes.push({ kind: 'dropped-cut-line', message: `Dropped the unfinished last line: ${l.text}`, line: l.line });
        continue;
      }
      // A sentence among the statements ("설명: …", "Note: this shows …") is not drawn.
      if (isProseLine(l.text)) {
        changes.push({ kind: 'dropped-line', message: `Left out a line of prose: ${l.text}`, line: l.line });
        continue;
      }
      return null;
    }
    for (const s of read) statements.push({ ...s, indent: l.indent });
  }
  // A last message without text when all the others have one: cut by the budget.
  const last = statements[statements.length - 1];
  const messages = statements.filter((s) => s.kind === 'message');
  if (last?.kind === 'message' && last.text === '' && messages.length > 1 && messages.slice(0, -1).every((m) => m.text !== '')) {
    const line = lines[lines.length - 1]!;
    if (messageParts(line.text)?.text === null) {
      statements.pop();
      changes.push({ kind: 'dropped-cut-line', message: `Dropped the unfinished last line: ${line.text}`, line: line.line });
    }
  }
  const balanced = balance(statements);
  return balanced === null ? null : { diagram: { statements: balanced }, changes };
}

function readLine(l: SourceLine, known: Set<string>, used: Set<string>, previous: string[]): SequenceStatement[] | null {
  const text = l.text;
  const word = /^[A-Za-z_]+/.exec(text)?.[0] ?? '';
  const keyword = word.toLowerCase();
  const rest = text.slice(word.length).trim();
  const spaced = word !== '' && (text.length === word.length || /[\s:]/.test(text[word.length]!));
  if (spaced && (keyword === 'participant' || keyword === 'actor')) {
    const parts = participantParts(text);
    if (!parts) return null;
    return parts.map((p) => {
      // `participant Propriétaire as P` when the messages use P: the id and the name were swapped.
      if (p.label !== null && used.has(p.label) && !used.has(p.id)) return { kind: 'participant', keyword: keyword as 'participant', id: p.label, label: p.id };
      return { kind: 'participant', keyword: keyword as 'participant', id: p.id, label: p.label };
    });
  }
  if (spaced && keyword === 'note') return readNote(rest, known, previous);
  if (spaced && (keyword === 'activate' || keyword === 'deactivate') && rest !== '') return [{ kind: 'activation', on: keyword === 'activate', who: unquote(rest) }];
  if (spaced && OPENERS.has(keyword)) return [{ kind: 'open', keyword: word.toLowerCase(), text: rest }];
  if (spaced && MIDDLES.has(keyword)) return [{ kind: 'middle', keyword, text: rest }];
  if (keyword === 'end' && (rest === '' || OPENERS.has(rest.toLowerCase()) || rest.toLowerCase() === 'if')) return [{ kind: 'end' }];
  if (spaced && VERBATIM.has(keyword)) return [{ kind: 'verbatim', text }];
  const m = messageParts(text);
  if (!m) return null;
  let { to, text: said } = m;
  if (said === null) {
    // `Kunde->>Shop Bestellung senden`: a known participant starts what follows the arrow.
    if (!/\s/.test(to) || known.has(to)) said = '';
    else {
      const target = [...known].filter((id) => to.startsWith(`${id} `)).sort((a, b) => b.length - a.length)[0];
      if (!target) return null;
      said = to.slice(target.length).trim();
      to = target;
    }
  }
  return [{ kind: 'message', from: m.from, arrow: m.arrow, mark: m.mark, to, text: said }];
}

/** `participant A`, `participant A as Name`, `participant "Long Name"`, `participant A, B`. */
function participantParts(text: string): Array<{ id: string; label: string | null }> | null {
  const m = /^(?:participant|actor)\s/i.exec(text);
  if (!m) return null;
  const rest = text.slice(m[0].length).trim();
  if (rest === '') return null;
  const as = rest.lastIndexOf(' as ');
  if (as > 0) return [{ id: unquote(rest.slice(0, as)), label: unquote(rest.slice(as + 4)) }];
  if (rest.includes(',') && rest.split(',').every((p) => /^\s*[\p{L}\p{N}_-]+\s*$/u.test(p))) return rest.split(',').map((p) => ({ id: p.trim(), label: null }));
  return [{ id: unquote(rest), label: null }];
}

function messageParts(text: string): { from: string; arrow: Arrow; mark: '' | '+' | '-'; to: string; text: string | null } | null {
  const colon = text.indexOf(':');
  const head = colon === -1 ? text : text.slice(0, colon);
  const found = findArrow(head);
  if (!found) return null;
  let after = head.slice(found.at + found.written.length);
  let mark: '' | '+' | '-' = '';
  if (after.startsWith('+') || after.startsWith('-')) {
    mark = after[0] as '+' | '-';
    after = after.slice(1);
  }
  let from = unquote(head.slice(0, found.at));
  let to = unquote(after);
  if (from === '' || to === '' || /[<>]/.test(from + to)) return null;
  if (found.reversed) [from, to] = [to, from];
  return { from, arrow: found.arrow, mark, to, text: colon === -1 ? null : text.slice(colon + 1).trim() };
}

const PLACES: Record<string, 'left of' | 'right of' | 'over'> = {
  'left of': 'left of',
  'right of': 'right of',
  over: 'over',
  left: 'left of',
  right: 'right of',
  on: 'over',
  above: 'over',
};

/** `Note right of A: x`, `Note right A: x`, `Note A: x` (over), `Note over A B: x`, `Note left of A x`. */
function readNote(rest: string, known: Set<string>, previous: string[]): SequenceStatement[] | null {
  const lower = rest.toLowerCase();
  let place: 'left of' | 'right of' | 'over' = 'over';
  let tail = rest;
  for (const written of ['left of', 'right of', 'over', 'left', 'right', 'on', 'above']) {
    if (lower.startsWith(`${written} `) || lower.startsWith(`${written}:`)) {
      place = PLACES[written]!;
      tail = rest.slice(written.length).trim();
      break;
    }
  }
  const colon = tail.indexOf(':');
  let who = colon === -1 ? tail : tail.slice(0, colon).trim();
  let text = colon === -1 ? null : tail.slice(colon + 1).trim();
  if (text === null) {
    const id = [...known].filter((k) => who === k || who.startsWith(`${k} `)).sort((a, b) => b.length - a.length)[0];
    if (!id) return null;
    text = who.slice(id.length).trim();
    who = id;
  }
  // `Note: text` names nobody: it goes over the participants of the message before it.
  if (who === '' && previous.length > 0) who = previous.join(',');
  let names = who.split(/,|&|\band\b/).map(unquote).filter((n) => n !== '');
  if (names.length === 1 && !known.has(names[0]!)) {
    const pair = names[0]!.split(/\s+/);
    if (pair.length === 2 && known.has(pair[0]!) && known.has(pair[1]!)) names = pair;
  }
  if (names.length === 0 || names.length > 2) return null;
  return [{ kind: 'note', place: names.length === 2 ? 'over' : place, who: names, text }];
}

/**
 * Blocks and activations as Mermaid needs them: a stray `end` and a
 * `deactivate` of a participant that is not active go (they carry no
 * content); blocks left open are closed, before the first line indented
 * back to the opener's level when the body was indented, else at the end.
 */
function balance(statements: Array<SequenceStatement & { indent?: number }>): SequenceStatement[] | null {
  let depth = 0;
  for (const s of statements) {
    if (s.kind === 'open') depth++;
    else if (s.kind === 'end') depth = Math.max(0, depth - 1);
  }
  let missing = depth;
  const out: SequenceStatement[] = [];
  const open: Array<{ indent: number; body: number | null }> = [];
  const active = new Map<string, number>();
  for (const s of statements) {
    const indent = s.indent ?? 0;
    for (let top = open[open.length - 1]; top && missing > 0 && s.kind !== 'end' && s.kind !== 'middle'; top = open[open.length - 1]) {
      if (top.body === null) {
        top.body = indent;
        break;
      }
      if (!(top.body > top.indent && indent <= top.indent)) break;
      out.push({ kind: 'end' });
      open.pop();
      missing--;
    }
    const { indent: _, ...statement } = s;
    if (s.kind === 'end') {
      if (open.length === 0) continue;
      open.pop();
    } else if (s.kind === 'middle' && open.length === 0) return null; // `else` of what? (its condition has no block)
    if (s.kind === 'open') open.push({ indent, body: null });
    if (s.kind === 'activation') {
      const n = active.get(s.who) ?? 0;
      if (!s.on && n < 1) continue;
      active.set(s.who, n + (s.on ? 1 : -1));
    }
    if (s.kind === 'message') {
      if (s.mark === '+') active.set(s.to, (active.get(s.to) ?? 0) + 1);
      if (s.mark === '-') {
        const n = active.get(s.from) ?? 0;
        if (n < 1) (statement as { mark: string }).mark = '';
        else active.set(s.from, n - 1);
      }
    }
    out.push(statement as SequenceStatement);
  }
  for (let i = open.length; i > 0; i--) out.push({ kind: 'end' });
  return out;
}
