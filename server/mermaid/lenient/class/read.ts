/**
 * Reads a class diagram as a small model writes it: arrows of other types
 * (`->`, `==>`, `-->>`, `→`, `<-`), `A extends B` / `A implements B`,
 * unquoted multiplicities (`1 --> *`), a colon in a label, generics in
 * angle brackets (`Repo<T>`), a body on one line (`{ +a; +b() }`) or with
 * `{` on the next line, a body left open, quoted class names, flowchart
 * shapes as labels (`User[User account] --> Profile`), an unquoted note,
 * Markdown bullets, trailing comments, prose lines. Null when a line is
 * not class syntax.
 */
import { isProseLine } from '../../prose.ts';
import { isUnfinished } from '../../repairs/dropBrokenTail.ts';
import type { DiagramChange } from '../types.ts';
import { isCutLast, sourceLines, trimRuns, unquote, type SourceLine } from '../lines.ts';
import type { ClassDiagram, ClassStatement } from './model.ts';

/** Relation arrows, longest first: [as written, as Mermaid writes it]. */
const ARROWS: Array<[string, string]> = [
  ['<|--', '<|--'],
  ['--|>', '--|>'],
  ['<|..', '<|..'],
  ['..|>', '..|>'],
  ['<-->', '<-->'],
  ['-->>', '-->'],
  ['()--', '()--'],
  ['--()', '--()'],
  ['*--', '*--'],
  ['--*', '--*'],
  ['o--', 'o--'],
  ['--o', '--o'],
  ['-->', '-->'],
  ['<--', '<--'],
  ['..>', '..>'],
  ['<..', '<..'],
  ['==>', '-->'],
  ['--', '--'],
  ['..', '..'],
  ['=>', '-->'],
  ['->', '-->'],
  ['<-', '<--'],
  ['→', '-->'],
  ['⟶', '-->'],
  ['⇒', '-->'],
];

/** Multiplicities, in UML and in words (`one --> many`): they are quoted, as Mermaid wants them. */
const MULTIPLICITY = /^(?:\d+(?:\.\.(?:\d+|\*|n|N|m|M))?|\*|n|N|m|M|0\.\.\*|one|many|several|zero|uno|muchos|varios|un|plusieurs|ein|eine|viele|uno|molti)$/i;
const VERBATIM = /^(?:direction\s|classDef\s|cssClass\s|style\s|accTitle|accDescr)/;

export interface ReadResult {
  diagram: ClassDiagram;
  changes: DiagramChange[];
}

/** `Cliente one --> many Factura`: Mermaid draws a class "Clienteone"; multiplicities must be quoted. For misread(). */
export function wordMultiplicity(code: string): boolean {
  const source = sourceLines(code);
  if (!source) return false;
  return source.lines.some((l) => {
    const tokens = l.text.split(':')[0]!.trim().split(/\s+/);
    const at = tokens.findIndex((t, i) => i > 0 && i < tokens.length - 1 && ARROWS.some(([a]) => a === t));
    if (at === -1) return false;
    const word = (t: string | undefined) => t !== undefined && /^\p{L}+$/u.test(t) && MULTIPLICITY.test(t);
    return (at >= 2 && word(tokens[at - 1])) || (at <= tokens.length - 3 && word(tokens[at + 1]));
  });
}

export function readClass(code: string): ReadResult | null {
  const source = sourceLines(code);
  if (!source || !/^classDiagram(?:-v2)?\b/i.test(source.header)) return null;
  const changes: DiagramChange[] = [];
  const out: ClassStatement[] = [];
  const lines = source.lines;
  let body: { statement: Extract<ClassStatement, { kind: 'class' }>; indent: number } | null = null;
  let namespaces = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (isCutLast(code, lines, i)) {
      changes.push({ kind: 'dropped-cut-line', message: `Dropped the unfinished last line: ${l.text}`, line: l.line });
      continue;
    }
    if (body) {
      if (l.text === '}') {
        body = null;
        continue;
      }
      // A body left open ends at a line that is plainly not a member: a relation, a class, a line indented back.
      const member = !/^(?:class|namespace|note)\s/.test(l.text) && relation(l.text) === null && (l.indent > body.indent || l.indent === 0);
      if (member) {
        body.statement.members!.push(...l.text.split(';').map((m) => generics(m.trim())).filter((m) => m !== ''));
        continue;
      }
      body = null;
    }
    // `{` alone after `class X`.
    if (l.text === '{' && out[out.length - 1]?.kind === 'class' && (out[out.length - 1] as { members: unknown }).members === null) {
      const last = out[out.length - 1] as Extract<ClassStatement, { kind: 'class' }>;
      last.members = [];
      body = { statement: last, indent: l.indent };
      continue;
    }
    if (l.text === '}') {
      if (namespaces > 0) {
        namespaces--;
        out.push({ kind: 'close' });
      }
      continue; // a brace that closes nothing
    }
    const read = readLine(l);
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
    for (const s of read) {
      out.push(s);
      if (s.kind === 'namespace') namespaces++;
      if (s.kind === 'class' && s.members !== null && l.text.endsWith('{')) body = { statement: s, indent: l.indent };
    }
  }
  for (; namespaces > 0; namespaces--) out.push({ kind: 'close' });
  return { diagram: { statements: out }, changes };
}

/** `Repository<T>`, `List<Item>` → `Repository~T~`, `List~Item~` (angle brackets are HTML to Mermaid); `<<interface>>` is not a generic. */
export function generics(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '<' && text[i + 1] !== '<' && i > 0 && /[\p{L}\p{N}_]/u.test(text[i - 1]!) && text[i - 1] !== '<') {
      const close = text.indexOf('>', i);
      const inner = close === -1 ? '' : text.slice(i + 1, close);
      if (close !== -1 && text[close + 1] !== '>' && /^[\p{L}\p{N}_ ,?~]+$/u.test(inner)) {
        out += `~${inner}~`;
        i = close;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

function readLine(l: SourceLine): ClassStatement[] | null {
  const text = l.text;
  if (VERBATIM.test(text)) return [{ kind: 'verbatim', text }];
  if (/^(?:click|link|callback)\s/.test(text)) return [];
  const ns = /^namespace\s+(\S+)\s?\{$/.exec(text);
  if (ns) return [{ kind: 'namespace', name: unquote(ns[1]!) }];
  if (/^note\s/.test(text)) return [readNote(text.slice(5).trim())];
  const annotation = /^(<<[^<>]+>>)\s?(\S+)$/.exec(text);
  if (annotation) return [{ kind: 'annotation', name: unquote(annotation[2]!), text: annotation[1]! }];
  if (/^class\s/.test(text)) return readClassKeyword(text.slice(6).trim());
  const inherits = /^(\S+)\s(extends|implements)\s(\S+)$/.exec(text);
  if (inherits) {
    const arrow = inherits[2] === 'extends' ? '<|--' : '<|..';
    return [{ kind: 'relation', left: name(inherits[3]!).name, leftCard: '', arrow, rightCard: '', right: name(inherits[1]!).name, label: '' }];
  }
  const r = relation(text);
  if (r) return r;
  // `Name : member`.
  const colon = text.indexOf(':');
  if (colon > 0) {
    const owner = text.slice(0, colon).trim();
    if (/^["'“]?[\p{L}\p{N}_~-]+["'”]?$/u.test(owner)) return [{ kind: 'member', name: unquote(owner), text: generics(text.slice(colon + 1).trim()) }];
  }
  // A bare class name.
  if (/^["'“]?[\p{L}\p{N}_]+["'”]?$/u.test(text)) return [{ kind: 'class', name: unquote(text), generic: '', label: null, members: null, rest: '' }];
  return null;
}

/** `note for X "text"`, `note for X text`, `note "text"`, `note text`. */
function readNote(rest: string): ClassStatement {
  const target = /^for\s(\S+)\s/.exec(rest);
  const text = target ? rest.slice(target[0].length).trim() : rest;
  return { kind: 'note', name: target ? unquote(target[1]!) : null, text: unquote(text) };
}

/** A class name with a shape label (`User[User account]`) or a generic (`Repo<T>`, `Repo~T~`). */
function name(text: string): { name: string; label: string | null; generic: string } {
  let t = text.trim();
  let label: string | null = null;
  const open = t.search(/[[(]/);
  if (open > 0 && /[\])]$/.test(t)) {
    const inner = trimRuns(t.slice(open), '[()]');
    if (inner.trim() !== '') {
      label = unquote(inner);
      t = t.slice(0, open).trim();
    }
  }
  t = generics(t);
  const tilde = t.indexOf('~');
  const generic = tilde > 0 && t.endsWith('~') ? t.slice(tilde + 1, -1) : '';
  return { name: unquote(generic === '' && !(tilde > 0 && t.endsWith('~')) ? t : t.slice(0, tilde)), label, generic };
}

/** `class X`, `class X~T~`, `class X["Label"] {`, `class X { +a; +b() }`, `class "Name" {`. */
function readClassKeyword(rest: string): ClassStatement[] | null {
  let t = rest;
  let members: string[] | null = null;
  const open = t.indexOf('{');
  if (open !== -1) {
    const close = t.lastIndexOf('}');
    members = (close > open ? t.slice(open + 1, close) : t.slice(open + 1)).split(';').map((m) => generics(m.trim())).filter((m) => m !== '');
    t = t.slice(0, open).trim();
  }
  let extra = '';
  const css = t.indexOf(':::');
  if (css !== -1) {
    extra = t.slice(css);
    t = t.slice(0, css).trim();
  }
  const bracket = t.indexOf('["');
  const n = bracket > 0 && t.endsWith('"]') ? { ...name(t.slice(0, bracket)), label: t.slice(bracket + 2, -2) } : name(t);
  if (n.name === '' || /\s/.test(n.name) && !/^["'“]/.test(t)) return null;
  return [{ kind: 'class', name: n.name, generic: n.generic, label: n.label, members, rest: extra }];
}

/** A relation line, with multiplicities and label; null when the line has no relation arrow. */
function relation(text: string): ClassStatement[] | null {
  // The label starts at the first colon (` : ` when written spaced: a `::` in a name stays).
  const spaced = text.indexOf(' : ');
  const colon = spaced !== -1 ? spaced + 1 : text.indexOf(':');
  const head = colon === -1 ? text : text.slice(0, colon);
  const label = colon === -1 ? '' : text.slice(colon + 1).trim();
  let found: { at: number; written: string; arrow: string } | null = null;
  let quoted = false;
  for (let i = 0; i < head.length && !found; i++) {
    if (head[i] === '"') quoted = !quoted;
    if (quoted) continue;
    for (const [written, arrow] of ARROWS) {
      if (head.startsWith(written, i)) {
        found = { at: i, written, arrow };
        break;
      }
    }
  }
  if (!found) return null;
  const left = side(head.slice(0, found.at), true);
  const right = side(head.slice(found.at + found.written.length), false);
  if (!left || !right) return null;
  const statements: ClassStatement[] = [];
  for (const s of [left, right]) if (s.label !== null) statements.push({ kind: 'class', name: s.name, generic: s.generic, label: s.label, members: null, rest: '' });
  statements.push({ kind: 'relation', left: s(left), leftCard: left.card, arrow: found.arrow, rightCard: right.card, right: s(right), label });
  return statements;
}

const s = (side: { name: string; generic: string }) => side.name;

/** `Kunde "1"` → [, 'Kunde', '1'] (a hand scan: a pattern would backtrack over long lines). */
function quotedEnd(t: string): [string, string, string] | null {
  if (!t.endsWith('"')) return null;
  const open = t.lastIndexOf('"', t.length - 2);
  if (open <= 0 || !/\s/.test(t[open - 1]!)) return null;
  return [t, t.slice(0, open).trim(), t.slice(open + 1, -1)];
}

/** `Kunde "1"` / `Kunde 1` (left), `"*" Bestellung` / `* Bestellung` (right). */
function side(text: string, left: boolean): { name: string; card: string; label: string | null; generic: string } | null {
  const t = text.trim();
  if (t === '') return null;
  let card = '';
  let rest = t;
  const q = left ? quotedEnd(t) : /^"([^"]*)"\s(.*)$/.exec(t);
  if (q) {
    card = left ? q[2]! : q[1]!;
    rest = left ? q[1]! : q[2]!;
  } else {
    const words = t.split(/\s+/);
    const edge = left ? words[words.length - 1]! : words[0]!;
    if (words.length === 2 && MULTIPLICITY.test(edge)) {
      card = edge;
      rest = left ? words[0]! : words[1]!;
    }
  }
  const n = name(rest);
  if (n.name === '' || /\s/.test(n.name) && !/^["'“]/.test(rest.trim())) return null;
  return { name: n.name, card, label: n.label, generic: n.generic };
}
