import { bodyOf, indentOf, mapBody } from '../body.ts';
import { firstBadDeactivation, parseParticipant, formatMessage, parseMessage, participants } from '../sequence.ts';
import type { Repair } from './types.ts';
import { replaceSpaced } from '../../../common/text.ts';

const KEYWORD = /^\s*(?:participant|actor|note|loop|alt|else|opt|par|and|critical|option|break|rect|box|end|activate|deactivate|autonumber|title|create|destroy)\b/i;

/**
 * Message arrows Mermaid does not know: `=>`, `==>`, `→` → `->>`;
 * `->>>` → `->>`, `-->>>` → `-->>`; `<->` → `<<->>`; and a reply written
 * backwards, `A <-- B: ok` / `A <- B: ok` → `B-->>A: ok` / `B->>A: ok`.
 */
export const sequenceArrows: Repair = {
  name: 'sequence-arrows',
  apply(code) {
    return mapBody(code, 'sequence', (line) => {
      if (KEYWORD.test(line)) return line;
      const colon = line.indexOf(':');
      const head = colon === -1 ? line : line.slice(0, colon);
      const rest = colon === -1 ? '' : line.slice(colon);
      let h = head
        .replace(/-->>>+/g, '-->>')
        .replace(/(^|[^-])->>>+/g, '$1->>')
      h = replaceSpaced(h, /==?>>?|[→⟶⇒]/, () => '->>');
      h = replaceSpaced(h, /(?<!<)<(--?)>(?!>)/, (m) => `<<${m[1]}>>`);
      const back = reversedMessage(h);
      if (back && !/<<--?>>/.test(h)) h = `${back.indent}${back.to}${back.dashes}>>${back.mark}${back.from}`;
      return h === head ? line : h + rest;
    });
  },
};

/**
 * A message without its colon: `Kunde->>Shop Bestellung senden` →
 * `Kunde->>Shop: Bestellung senden` when a known participant starts what
 * follows the arrow; `A->>B` → `A->>B:` (an empty message). (A last line
 * like that in a diagram whose other messages all have text was more likely
 * cut by the budget: drop-broken-tail, which runs first, removes it.)
 */
export const sequenceMessages: Repair = {
  name: 'sequence-messages',
  apply(code) {
    const body = bodyOf(code, 'sequence');
    if (!body) return code;
    const known = new Set<string>();
    for (const line of body.lines) {
      const p = parseParticipant(line);
      if (p) known.add(p[3]!.trim());
      const m = parseMessage(line);
      if (m) {
        known.add(m.from);
        if (m.text !== null) known.add(m.to);
      }
    }
    return mapBody(code, 'sequence', (line) => {
      const m = parseMessage(line);
      if (!m || m.text !== null) return line;
      if (known.has(m.to) || !/\s/.test(m.to)) return formatMessage({ ...m, text: '' });
      const target = [...known].filter((id) => m.to.startsWith(`${id} `)).sort((a, b) => b.length - a.length)[0];
      if (!target) return line;
      return formatMessage({ ...m, to: target, text: ` ${m.to.slice(target.length).trim()}` });
    });
  },
};

/**
 * Notes: `Note right A: x` → `Note right of A: x`; `Note on A` → `Note over A`;
 * `Note over A B: x` (which draws a new participant "A B") → `Note over A,B: x`
 * when A and B are participants; `Note left of A text` → `Note left of A: text`.
 */
export const sequenceNotes: Repair = {
  name: 'sequence-notes',
  whenValid: true,
  apply(code) {
    const body = bodyOf(code, 'sequence');
    if (!body) return code;
    const known = participants(body.lines);
    return mapBody(code, 'sequence', (line) => {
      const m = /^(\s*)(note)\s+(right of|left of|over|right|left|on)\s+([^]*)$/i.exec(line);
      if (!m) return line;
      const [, indent, note, where, rest] = m as unknown as [string, string, string, string, string];
      const place = /^(?:right|left)$/i.test(where) ? `${where} of` : /^on$/i.test(where) ? 'over' : where;
      const colon = rest.indexOf(':');
      let who = colon === -1 ? rest.trim() : rest.slice(0, colon).trim();
      let text = colon === -1 ? null : rest.slice(colon + 1);
      let fixed = place !== where;
      if (text === null) {
        // No colon: the longest known participant that starts the rest, then the text.
        const id = [...known].filter((k) => who === k || who.startsWith(`${k} `)).sort((a, b) => b.length - a.length)[0];
        if (!id || id === who) return line;
        text = ` ${who.slice(id.length).trim()}`;
        who = id;
        fixed = true;
      }
      const pair = participantPair(who);
      if (/^over$/i.test(place) && !who.includes(',') && pair && known.has(pair[0]) && known.has(pair[1]) && !known.has(who)) {
        who = `${pair[0]},${pair[1]}`;
        fixed = true;
      }
      return fixed ? `${indent}${note} ${place} ${who}:${text}` : line;
    });
  },
};

/**
 * Participant declarations: `participant Service Client as SC` (a
 * participant named "Service Client as SC") → `participant SC as Service
 * Client` when SC is what the messages use; `participant A, B` → one line each.
 */
export const sequenceParticipants: Repair = {
  name: 'sequence-participants',
  whenValid: true,
  apply(code) {
    const body = bodyOf(code, 'sequence');
    if (!body) return code;
    const used = new Set<string>();
    for (const line of body.lines) {
      const m = parseMessage(line);
      if (m) used.add(m.from).add(m.to);
    }
    return mapBody(code, 'sequence', (line) => {
      const p = parseParticipant(line);
      if (!p) return line;
      const [, indent, keyword, id, alias] = p;
      if (alias !== undefined && /\s/.test(id.trim()) && /^\S+$/.test(alias.trim()) && used.has(alias.trim()) && !used.has(id.trim())) {
        return `${indent}${keyword} ${alias.trim()} as ${id.trim()}`;
      }
      if (alias === undefined && /,/.test(id) && id.split(',').every((part) => /^\s*[\p{L}\p{N}_-]+\s*$/u.test(part))) {
        return id
          .split(',')
          .map((part) => `${indent}${keyword} ${part.trim()}`)
          .join('\n');
      }
      return line;
    });
  },
};

/**
 * Deactivating a participant that is not active (`deactivate B` with no
 * `activate B`, or `B-->>-A` after none) is an error: the extra `deactivate`
 * line goes, or the `-` of the shorthand. Only activation bars change.
 */
export const sequenceActivations: Repair = {
  name: 'sequence-activations',
  apply(code) {
    const body = bodyOf(code, 'sequence');
    if (!body) return code;
    const lines = [...body.lines];
    let changed = false;
    for (let guard = 0; guard < lines.length; guard++) {
      const bad = firstBadDeactivation(lines);
      if (!bad || bad.index <= body.header) break;
      if (bad.shorthand) {
        const m = parseMessage(lines[bad.index]!)!;
        lines[bad.index] = formatMessage({ ...m, mark: '' });
      } else {
        lines.splice(bad.index, 1);
      }
      changed = true;
    }
    return changed ? lines.join('\n') : code;
  },
};

const OPENER = /^\s*(?:alt|opt|loop|par|par_over|critical|break|rect|box)\b/i;
const MIDDLE = /^\s*(?:else|and|option)\b/i;

/**
 * Blocks (`alt … else … end`, `loop … end`, `opt`, `par`, `critical`,
 * `break`, `rect`, `box`): `end alt` / `end loop` → `end` (Mermaid reads
 * `end loop` as an `end` and a new, empty loop); an `end` that closes
 * nothing goes; a block left open is closed, before the first line
 * indented back to the block's level when its body was indented, else at
 * the end.
 */
export const sequenceBlocks: Repair = {
  name: 'sequence-blocks',
  // `end loop` parses, as `end` and a new empty loop that takes the next `end`.
  whenValid: true,
  apply(code) {
    const normalized = mapBody(code, 'sequence', (line) => line.replace(/^(\s*)end\s*(?:alt|opt|loop|par|critical|break|rect|box|if)\s*$/i, '$1end'));
    const body = bodyOf(normalized, 'sequence');
    if (!body) return code;
    const out = balanceBlocks(body.lines, body.header, {
      opens: (l) => OPENER.test(l),
      middle: (l) => MIDDLE.test(l),
      closes: (l) => /^end(?:\s*;)?$/.test(l.trim()),
      closer: (indent) => `${indent}end`,
    });
    return out === null ? (normalized === code ? code : normalized) : out;
  },
};

export interface BlockSyntax {
  opens(line: string): boolean;
  middle(line: string): boolean;
  closes(line: string): boolean;
  closer(indent: string): string;
}

/**
 * Closes blocks left open and drops closers that close nothing. A block
 * whose body is indented deeper than its opener ends before the first line
 * indented back to the opener's level; otherwise it ends with the diagram.
 * Only as many closers as are missing are inserted. Returns null when
 * nothing changes.
 */
export function balanceBlocks(lines: readonly string[], header: number, syntax: BlockSyntax): string | null {
  // How many closers are missing: only that many are ever inserted, so
  // balanced blocks (a valid diagram) never move, whatever their indentation.
  let depth = 0;
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '' || /^\s*%%/.test(line)) continue;
    if (syntax.closes(line)) depth = Math.max(0, depth - 1);
    else if (syntax.opens(line)) depth++;
  }
  let missing = depth;
  const out: string[] = lines.slice(0, header + 1);
  const open: Array<{ indent: string; body: number | null }> = [];
  let changed = false;
  for (let i = header + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const blank = line.trim() === '' || /^\s*%%/.test(line);
    if (!blank) {
      const indent = indentOf(line).length;
      for (let top = open[open.length - 1]; top; top = open[open.length - 1]) {
        if (top.body === null) top.body = indent > top.indent.length ? indent : -1;
        const back = missing > 0 && top.body > 0 && indent <= top.indent.length && !syntax.middle(line) && !syntax.closes(line);
        if (!back) break;
        insertBeforeBlanks(out, syntax.closer(top.indent));
        open.pop();
        missing--;
        changed = true;
      }
    }
    if (!blank && syntax.closes(line)) {
      if (open.length === 0) {
        changed = true; // closes nothing
        continue;
      }
      open.pop();
    } else if (!blank && syntax.opens(line)) {
      open.push({ indent: indentOf(line), body: null });
    }
    out.push(line);
  }
  while (open.length > 0) {
    insertBeforeBlanks(out, syntax.closer(open.pop()!.indent));
    changed = true;
  }
  return changed ? out.join('\n') : null;
}

function insertBeforeBlanks(out: string[], line: string): void {
  let at = out.length;
  while (at > 0 && out[at - 1]!.trim() === '') at--;
  out.splice(at, 0, line);
}

// The two scanners below replace patterns that backtracked polynomially on
// runs of spaces (tests/redos); tests/redos/equivalence.test.ts checks them
// against those patterns.
const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/**
 * `B <-- A` read as `^(\s*)(.+?)\s*<<?(--?)\s*([+-]?)(.+?)\s*$`: the
 * first `<` (or `<<`) followed by one or two dashes, the sender before it and
 * the receiver after.
 */
export function reversedMessage(h: string): { indent: string; from: string; dashes: string; mark: string; to: string } | null {
  const start = h.length - h.trimStart().length;
  const tail = (d: number): { mark: string; to: string } | null => {
    const rest = h.slice(d);
    if (rest === '') return null;
    const r = rest.trimEnd();
    if (r === '') return { mark: '', to: rest[rest.length - 1]! };
    const lead = r.length - r.trimStart().length;
    const c = r[lead]!;
    if (c !== '+' && c !== '-') return { mark: '', to: r.slice(lead) };
    if (r.length > lead + 1) return { mark: c, to: r.slice(lead + 1) };
    return rest.length > r.length ? { mark: c, to: rest[r.length]! } : { mark: '', to: c };
  };
  for (let q = 0; q < h.length; q++) {
    if (h[q] !== '<') continue;
    let indent = start;
    let ws = q;
    while (ws > start && isSpace(h[ws - 1])) ws--;
    if (ws === start) {
      if (q !== start || start === 0) continue;
      indent = start - 1; // the sender is then the last space of the indentation
      ws = q;
    }
    for (const lt of h[q + 1] === '<' ? [2, 1] : [1]) {
      const p = q + lt;
      if (h[p] !== '-') continue;
      for (const dashes of h[p + 1] === '-' ? ['--', '-'] : ['-']) {
        const t = tail(p + dashes.length);
        if (t) return { indent: h.slice(0, indent), from: h.slice(indent, ws), dashes, ...t };
      }
    }
  }
  return null;
}

/** `A and B`, `A & B`, `A B` as `^(.+?)\s*(?:\s|\band\b|&)\s*(.+)$` splits them. */
export function participantPair(who: string): [string, string] | null {
  const n = who.length;
  const word = (c: string | undefined) => c !== undefined && /\w/.test(c);
  for (let k = 1; k < n; k++) {
    let w = k;
    while (w < n && isSpace(who[w])) w++;
    let after = -1;
    if (who.startsWith('and', w) && !word(who[w - 1]) && !word(who[w + 3])) after = w + 3;
    else if (who[w] === '&') after = w + 1;
    if (after !== -1) {
      let a = after;
      while (a < n && isSpace(who[a])) a++;
      if (a < n) return [who.slice(0, k), who.slice(a)];
      if (n > after) return [who.slice(0, k), who[n - 1]!];
    }
    if (w > k) {
      if (w < n) return [who.slice(0, k), who.slice(w)];
      if (w - k >= 2) return [who.slice(0, k), who[n - 1]!];
      k = w - 1;
    }
  }
  return null;
}
