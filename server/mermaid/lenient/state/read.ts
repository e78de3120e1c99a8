/**
 * Reads a state diagram as a small model writes it: arrows of other types
 * (`->`, `==>`, `-->>`, `→`, `A <-- B`, `-->|label|`), `(*)` for `[*]`,
 * names with spaces, hyphens or quotes, flowchart shapes (`A[Ouvert]`),
 * `state X as "Name"` swapped, `;` and `#` in labels, Markdown bullets,
 * trailing comments, composites left open or closed with `end`, a
 * `stateDiagram v2` header. Null when a line is not state syntax.
 */
import { isProseLine } from '../../prose.ts';
import { isUnfinished } from '../../repairs/dropBrokenTail.ts';
import type { DiagramChange } from '../types.ts';
import { isCutLast, sourceLines, unquote } from '../lines.ts';
import type { StateDiagram, StateStatement } from './model.ts';

const BOTH = ['<-->', '<==>', '<->', '<=>', '↔', '⟷'];
const ARROWS: Array<[string, boolean]> = [
  // [as written, reversed]
  ...BOTH.map((a): [string, boolean] => [a, false]),
  ['-->>', false],
  ['-->', false],
  ['==>>', false],
  ['==>', false],
  ['<--', true],
  ['->>', false],
  ['->', false],
  ['=>', false],
  ['<-', true],
  ['→', false],
  ['⟶', false],
  ['⇒', false],
];

const VERBATIM = /^(?:direction\s|classDef\s|class\s|style\s|accTitle|accDescr|--$)/;

export interface ReadResult {
  diagram: StateDiagram;
  changes: DiagramChange[];
}

export function readState(code: string): ReadResult | null {
  const source = sourceLines(code);
  if (!source || !/^stateDiagram\b/i.test(source.header)) return null;
  // `stateDiagram v2`, `stateDiagram-V2`, `statediagram`: v2 unless plainly v1.
  const header = /^stateDiagram\s*$/.test(source.header) ? 'stateDiagram' : 'stateDiagram-v2';
  const names = new Map<string, string>();
  const changes: DiagramChange[] = [];
  const statements: Array<StateStatement & { indent: number }> = [];
  const lines = source.lines;
  // Messages (`A->>B: hi`) and no state syntax: a sequence body under the wrong header.
  const messages = lines.filter((l) => /->>|-->>/.test(l.text)).length;
  if (messages >= 2 && !lines.some((l) => /\[\*\]|-->(?!>)|^state\s/.test(l.text))) return null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (isCutLast(code, lines, i)) {
      changes.push({ kind: 'dropped-cut-line', message: `Dropped the unfinished last line: ${l.text}`, line: l.line });
      continue;
    }
    // A multi-line note: `note right of A` … `end note`.
    const noteStart = /^note\s+(right of|left of)\s+(\S+)$/i.exec(l.text);
    if (noteStart) {
      const end = lines.findIndex((n, j) => j > i && /^end\s+note$/i.test(n.text));
      if (end === -1) return null;
      statements.push({ kind: 'note', place: noteStart[1]!.toLowerCase(), state: noteStart[2]!, text: lines.slice(i + 1, end).map((n) => n.text), indent: l.indent });
      i = end;
      continue;
    }
    const read = readLine(l.text, names);
    if (read === null) {
      if (i === lines.length - 1 && i > 0 && isUnfinished(l.text)) {
        changes.push({ kind: 'dropped-cut-line', message: `Dropped the unfinished last line: ${l.text}`, line: l.line });
        continue;
      }
      if (isProseLine(l.text)) {
        changes.push({ kind: 'dropped-line', message: `Left out a line of prose: ${l.text}`, line: l.line });
        continue;
      }
      return null;
    }
    statements.push({ ...read, indent: l.indent });
  }
  return { diagram: { header, statements: balance(statements), names }, changes };
}

function readLine(text: string, names: Map<string, string>): StateStatement | null {
  if (VERBATIM.test(text)) return { kind: 'verbatim', text };
  if (text === '}' || /^end$/i.test(text)) return { kind: 'close' };
  const note = /^note\s(right of|left of)\s/i.exec(text);
  if (note) {
    const rest = text.slice(note[0].length);
    const colon = rest.indexOf(':');
    if (colon <= 0) return null;
    return { kind: 'note', place: note[1]!.toLowerCase(), state: endpoint(rest.slice(0, colon), names), text: [rest.slice(colon + 1).trim()] };
  }
  if (/^state\s/i.test(text)) return readStateKeyword(text.slice(6).trim(), names);
  const colon = text.indexOf(':');
  const head = colon === -1 ? text : text.slice(0, colon);
  let label = colon === -1 ? '' : text.slice(colon + 1).trim();
  let found: { at: number; written: string; reversed: boolean } | null = null;
  for (let i = 0; i < head.length && !found; i++) {
    for (const [written, reversed] of ARROWS) {
      if (head.startsWith(written, i)) {
        found = { at: i, written, reversed };
        break;
      }
    }
  }
  if (!found) {
    // `A : description`.
    if (colon > 0 && label !== '' && !/\s{2,}|[[\]{}()]/.test(head.trim())) return { kind: 'description', state: endpoint(head, names), text: label };
    return null;
  }
  let after = head.slice(found.at + found.written.length);
  // `A -->|label| B`.
  const pipe = /^\|([^|]*)\|/.exec(after.trimStart());
  if (pipe) {
    if (label === '') label = pipe[1]!.trim();
    after = after.trimStart().slice(pipe[0].length);
  }
  const fromText = head.slice(0, found.at);
  if (fromText.trim() === '' || after.trim() === '' || /-->|\s--\s/.test(after)) return null;
  let from = endpoint(fromText, names);
  let to = endpoint(after, names);
  if (found.reversed) [from, to] = [to, from];
  return BOTH.includes(found.written) ? { kind: 'transition', from, to, label, both: true } : { kind: 'transition', from, to, label };
}

/** `[*]`, `(*)`, `*`; `A[Label]` (the label becomes the state's name); `"Name"`; a name as written. */
function endpoint(text: string, names: Map<string, string>): string {
  const t = text.trim();
  if (/^(?:\[\s*\*\s*\]|\(\s*\*\s*\)|\*)$/.test(t)) return '[*]';
  const shaped = /^([\p{L}\p{N}_]+)\s?(?:\[\[?|\(\(?|\{\{?)"?([^\]})"]*)"?(?:\]\]?|\)\)?|\}\}?)$/u.exec(t);
  if (shaped) {
    const label = shaped[2]!.trim();
    if (label !== '' && label !== shaped[1]) names.set(shaped[1]!, label);
    return shaped[1]!;
  }
  return unquote(t);
}

/** `state X {`, `state "Name" as X {`, `state X as "Name"`, `state "Name" as X`, `state X <<choice>>`, `state Long Name {`. */
function readStateKeyword(rest: string, names: Map<string, string>): StateStatement | null {
  let body = rest;
  const opens = body.endsWith('{');
  if (opens) body = body.slice(0, -1).trim();
  let stereotype = '';
  const st = body.indexOf('<<');
  if (st !== -1) {
    stereotype = body.slice(st).trim();
    body = body.slice(0, st).trim();
  }
  let id = body;
  const as = body.lastIndexOf(' as ');
  if (as > 0) {
    const left = body.slice(0, as).trim();
    const right = body.slice(as + 4).trim();
    // `state "Name" as id` or swapped `state id as "Name"`.
    const [name, given] = /^["'“]/.test(right) && !/^["'“]/.test(left) ? [unquote(right), left] : [unquote(left), right];
    id = given;
    if (name !== given) names.set(given, name);
  } else if (/^["'“]/.test(body)) {
    id = unquote(body);
  }
  if (id === '') return null;
  if (opens) return { kind: 'open', state: id };
  return { kind: 'declare', state: id, stereotype };
}

/** Composites left open are closed (before the first line indented back to their level, else at the end); a stray close goes. */
function balance(statements: Array<StateStatement & { indent: number }>): StateStatement[] {
  let depth = 0;
  for (const s of statements) {
    if (s.kind === 'open') depth++;
    else if (s.kind === 'close') depth = Math.max(0, depth - 1);
  }
  let missing = depth;
  const out: StateStatement[] = [];
  const open: Array<{ indent: number; body: number | null }> = [];
  for (const s of statements) {
    for (let top = open[open.length - 1]; top && missing > 0 && s.kind !== 'close'; top = open[open.length - 1]) {
      if (top.body === null) {
        top.body = s.indent;
        break;
      }
      if (!(top.body > top.indent && s.indent <= top.indent)) break;
      out.push({ kind: 'close' });
      open.pop();
      missing--;
    }
    const { indent, ...statement } = s;
    if (s.kind === 'close') {
      if (open.length === 0) continue;
      open.pop();
    }
    if (s.kind === 'open') open.push({ indent, body: null });
    out.push(statement as StateStatement);
  }
  for (let i = open.length; i > 0; i--) out.push({ kind: 'close' });
  return out;
}
