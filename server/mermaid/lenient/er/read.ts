/**
 * Reads an entity-relationship diagram as a small model writes it:
 * cardinality typos and UML multiplicities (`||--0{`, `|<`, `1--*`,
 * `0..1--1..*`), relations written as plain arrows (`A --> B : writes`:
 * drawn as zero-or-more on both sides, the weakest claim), a missing,
 * multi-word or single-quoted label, entity names with spaces or quotes,
 * attributes written `name: type`, `first name`, `primary key`, or without
 * a type (`id PK`: drawn with the type `_`), blocks left open, Markdown
 * bullets, trailing comments, prose lines, a cut last line. Null when a
 * line is not ER syntax.
 */
import { isProseLine } from '../../prose.ts';
import type { DiagramChange } from '../types.ts';
import { isCutLast, sourceLines, unquote, type SourceLine } from '../lines.ts';
import type { Attribute, ErDiagram, ErStatement } from './model.ts';

const VALID_SIDES = new Set(['|o', 'o|', '||', '}o', 'o{', '}|', '|{']);
const UML: Record<string, [string, string]> = {
  '1': ['||', '||'],
  '0..1': ['|o', 'o|'],
  '1..*': ['}|', '|{'],
  '1..n': ['}|', '|{'],
  '*': ['}o', 'o{'],
  '0..*': ['}o', 'o{'],
  '0..n': ['}o', 'o{'],
  n: ['}o', 'o{'],
  m: ['}o', 'o{'],
};

/** One side of a cardinality, typo'd or in UML, as Mermaid writes it; '' when there is none; null if unreadable. */
function side(text: string, left: boolean): string | null {
  const t = text.trim();
  if (t === '') return '';
  if (VALID_SIDES.has(t)) return t;
  const uml = UML[t.toLowerCase()];
  if (uml) return uml[left ? 0 : 1];
  const fixed = t.replace(/[0O]/g, 'o').replace(/</g, left ? '<' : '{').replace(/>/g, left ? '}' : '>');
  return VALID_SIDES.has(fixed) ? fixed : null;
}

/** A cardinality token (`||--o{`, `1--*`, `0..1--1..*`, `-->`): Mermaid's form, or null when it is not one. */
export function cardinality(token: string): string | null {
  let at = token.indexOf('--');
  if (at === -1) at = token.indexOf('-');
  let end = at;
  let dotted = false;
  if (at !== -1) {
    while (token[end] === '-') end++;
  } else {
    // A dotted line: `..` not inside a UML range (`0..1`).
    for (let k = 0; k < token.length - 1 && at === -1; k++) {
      if (token.startsWith('..', k) && !/\d/.test(token[k - 1] ?? '')) at = k;
    }
    if (at === -1) {
      at = token.indexOf('==');
      if (at === -1) return null;
    }
    end = at;
    while (token[end] === '.' || token[end] === '=') end++;
    dotted = token[at] === '.';
  }
  if (token[end] === '>') end++;
  const l = side(token.slice(0, at), true);
  const r = side(token.slice(end), false);
  if (l === null || r === null) return null;
  // No cardinality written (`-->`, `--`): zero or more on both sides claims the least.
  return `${l || '}o'}${dotted ? '..' : '--'}${r || 'o{'}`;
}

export interface ReadResult {
  diagram: ErDiagram;
  changes: DiagramChange[];
}

/** `A ||--o{ B : betreut den Kunden`: Mermaid draws "den" and "Kunden" as entities; a label with spaces must be quoted. For misread(). */
export function unquotedLabel(code: string): boolean {
  const source = sourceLines(code);
  return (
    source?.lines.some((l) => {
      const colon = l.text.indexOf(':');
      if (colon === -1 || relation(l.text) === null) return false;
      const label = l.text.slice(colon + 1).trim();
      return /\s/.test(label) && !/^".*"$/.test(label);
    }) ?? false
  );
}

export function readEr(code: string): ReadResult | null {
  const source = sourceLines(code);
  if (!source || !/^erDiagram\b/i.test(source.header)) return null;
  const changes: DiagramChange[] = [];
  const out: ErStatement[] = [];
  const lines = source.lines;
  let block: { attributes: Attribute[]; indent: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (isCutLast(code, lines, i)) {
      changes.push({ kind: 'dropped-cut-line', message: `Dropped the unfinished last line: ${l.text}`, line: l.line });
      continue;
    }
    if (block) {
      if (l.text === '}') {
        block = null;
        continue;
      }
      // A block left open ends at a relation, another entity, or a line indented back to the entity's level.
      if (relation(l.text) === null && !l.text.endsWith('{') && l.indent > block.indent) {
        const a = attribute(l.text);
        if (a === null) return null;
        block.attributes.push(a);
        continue;
      }
      block = null;
    }
    if (l.text === '}') continue; // closes nothing
    const read = readLine(l);
    if (read === null) {
      if (isProseLine(l.text)) {
        changes.push({ kind: 'dropped-line', message: `Left out a line of prose: ${l.text}`, line: l.line });
        continue;
      }
      return null;
    }
    out.push(read);
    if (read.kind === 'entity' && read.attributes !== null && l.text.endsWith('{')) block = { attributes: read.attributes, indent: l.indent };
  }
  return { diagram: { statements: out }, changes };
}

function readLine(l: SourceLine): ErStatement | null {
  const text = l.text;
  if (/^(?:direction\s|classDef\s|class\s|style\s|accTitle|accDescr)/.test(text)) return { kind: 'verbatim', text };
  if (text.endsWith('{') || (text.includes('{') && text.endsWith('}') && relation(text) === null)) {
    const open = text.indexOf('{');
    const name = entityName(text.slice(0, open));
    if (name === null) return null;
    const inner = text.slice(open + 1, text.endsWith('}') ? -1 : undefined).trim();
    const attributes: Attribute[] = [];
    for (const part of inner === '' ? [] : inner.split(/[;,](?![^"]*")/)) {
      const a = attribute(part.trim());
      if (a === null) return null;
      attributes.push(a);
    }
    return { kind: 'entity', name: name.name, alias: name.alias, attributes };
  }
  const r = relation(text);
  if (r) return r;
  const name = entityName(text);
  return name === null ? null : { kind: 'entity', name: name.name, alias: name.alias, attributes: null };
}

/** `NAME`, `"Order item"`, `Order item`, `NAME["Alias"]`. */
function entityName(text: string): { name: string; alias: string | null } | null {
  let t = text.trim();
  let alias: string | null = null;
  const bracket = t.indexOf('[');
  if (bracket > 0 && t.endsWith(']')) {
    alias = unquote(t.slice(bracket + 1, -1));
    t = t.slice(0, bracket).trim();
  }
  const name = unquote(t);
  if (name === '' || /[{}:|<>]/.test(name) || /\s{2,}/.test(name) || name.split(/\s+/).length > 4) return null;
  return { name, alias };
}

/** `A ||--o{ B : label`; the cardinality is the one token with a line (`--`, `..`) in it. */
function relation(text: string): ErStatement | null {
  const colon = text.indexOf(':');
  const head = colon === -1 ? text : text.slice(0, colon);
  const tokens = head.trim().split(/\s+/);
  const at = tokens.findIndex((t, i) => i > 0 && i < tokens.length - 1 && cardinality(t) !== null);
  if (at === -1) return null;
  const left = entityName(tokens.slice(0, at).join(' '));
  const right = entityName(tokens.slice(at + 1).join(' '));
  if (!left || !right) return null;
  const label = colon === -1 ? '' : unquote(text.slice(colon + 1).trim());
  return { kind: 'relation', left: left.name, card: cardinality(tokens[at]!)!, right: right.name, label };
}

const KEY = /^(?:PK|FK|UK)$/;
/** Common column types: to tell `hired_on date` (name first) from `date hired_on`. */
const TYPES = /^(?:int|integer|bigint|smallint|float|double|decimal|numeric|number|real|money|string|str|text|varchar|char|nvarchar|bool|boolean|bit|date|datetime|timestamp|time|uuid|guid|blob|binary|json|enum|serial|long|short|byte)(?:\(\d+(?:,\d+)?\))?$/i;

/** `type name PK "comment"`, `name: type`, `string first name`, `int id primary key`, `id PK` (no type). */
function attribute(text: string): Attribute | null {
  let t = text.trim();
  if (t === '') return null;
  let comment: string | null = null;
  const quote = t.indexOf('"');
  if (quote !== -1) {
    comment = t.slice(quote).replace(/^"|"$/g, '');
    t = t.slice(0, quote).trim();
  }
  t = t.replace(/\bprimary\s+key\b/gi, 'PK').replace(/\bforeign\s+key\b/gi, 'FK').replace(/\bunique(?:\s+key)?\b/gi, 'UK');
  const colon = t.indexOf(':');
  if (colon > 0) {
    // `name: type …` → `type name …`.
    const after = t.slice(colon + 1).trim().split(/\s+/);
    t = `${after[0] ?? ''} ${t.slice(0, colon).trim()} ${after.slice(1).join(' ')}`.trim();
  }
  const words = t.split(/[\s,]+/).filter((w) => w !== '');
  const keys: string[] = [];
  while (words.length > 0 && KEY.test(words[words.length - 1]!.toUpperCase()) && words.length > 1) keys.unshift(words.pop()!.toUpperCase());
  if (words.length === 0) return null;
  // Without a type, `_` (Mermaid draws a type column; `_` claims no type).
  if (words.length === 1) return { type: '_', name: words[0]!, keys, comment };
  // `hired_on date`: the name first, then a type.
  if (words.length === 2 && !TYPES.test(words[0]!) && TYPES.test(words[1]!)) return { type: words[1]!, name: words[0]!, keys, comment };
  return { type: words[0]!, name: words.slice(1).join('_'), keys, comment };
}
