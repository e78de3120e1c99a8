import { mapBody } from '../body.ts';
import type { Repair } from './types.ts';
import { trimEndSemicolon } from '../../../common/text.ts';

/**
 * Entity-relationship diagrams: `KUNDE ||--o{ BESTELLUNG : "gibt auf"`.
 * A relation line, split: entity, cardinality token, entity, label.
 */
export interface ErRelation {
  indent: string;
  left: string;
  card: string;
  right: string;
  /** The text after the colon, as written (quotes included); null without a colon. */
  label: string | null;
}

const SIDE = `[|oO0}{<>*\\d.nNmM]{0,4}`;
const RELATION = new RegExp(`^(\\s*)(.+?)\\s+(${SIDE}\\s*(?:-+|\\.{2,})\\s*${SIDE})\\s+(.+?)\\s*(?::\\s*(.*))?$`);

export function erRelation(line: string): ErRelation | null {
  if (/^\s*%%/.test(line) || /[{}]\s*$/.test(line)) return null;
  const m = RELATION.exec(line);
  if (!m) return null;
  const [, indent, left, card, right, label] = m as unknown as [string, string, string, string, string, string | undefined];
  if (/^[-.]+$/.test(card.replace(/\s/g, ''))) return null; // no cardinality at all: not a relation
  return { indent, left, card, right, label: label ?? null };
}

function formatRelation(r: ErRelation): string {
  return `${r.indent}${r.left} ${r.card} ${r.right}${r.label === null ? '' : ` : ${r.label}`}`;
}

const VALID_SIDES = new Set(['|o', 'o|', '||', '}o', 'o{', '}|', '|{']);

/** One side of a cardinality, typo'd or in UML multiplicity, as Mermaid writes it; null if unknown. */
function side(text: string, left: boolean): string | null {
  const t = text.trim();
  if (VALID_SIDES.has(t)) return t;
  const uml: Record<string, [string, string]> = {
    '1': ['||', '||'],
    '0..1': ['|o', 'o|'],
    '1..*': ['}|', '|{'],
    '1..n': ['}|', '|{'],
    '1..N': ['}|', '|{'],
    '*': ['}o', 'o{'],
    '0..*': ['}o', 'o{'],
    '0..n': ['}o', 'o{'],
    '0..N': ['}o', 'o{'],
    n: ['}o', 'o{'],
    N: ['}o', 'o{'],
    m: ['}o', 'o{'],
    M: ['}o', 'o{'],
  };
  if (uml[t]) return uml[t][left ? 0 : 1];
  const fixed = t
    .replace(/[0O]/g, 'o')
    .replace(/</g, left ? '<' : '{')
    .replace(/>/g, left ? '}' : '>');
  return VALID_SIDES.has(fixed) ? fixed : null;
}

/**
 * Cardinality typos: `||--0{` → `||--o{`, `|<` → `|{`, `>o` → `}o`,
 * `-o{` / `---o{` → `--o{`, and UML multiplicities `1--*` → `||--o{`,
 * `0..1--1..*` → `|o--|{`. A side it cannot read (`--{`: zero or one
 * or more?) is left for the model: choosing would invent a cardinality.
 */
export const erCardinality: Repair = {
  name: 'er-cardinality',
  apply(code) {
    return mapBody(code, 'er', (line) => {
      const r = erRelation(line);
      if (!r) return line;
      // Left side: a UML range (`0..1`) or glyphs; then the line (`--`, `-`, `..`); then the right side.
      const split = /^(\d\.\.[\d*nNmM]|[^-.]*)(-+|\.{2,})([^]*)$/.exec(r.card.replace(/\s+/g, ''));
      if (!split) return line;
      const l = side(split[1]!, true);
      const rt = side(split[3]!, false);
      const dashes = /^\.+$/.test(split[2]!) ? '..' : '--';
      if (!l || !rt) return line;
      const card = `${l}${dashes}${rt}`;
      return card === r.card ? line : formatRelation({ ...r, card });
    });
  },
};

/**
 * Relation labels: a missing one becomes `: ""` (an empty label, nothing
 * invented); one with spaces or punctuation is quoted (`: places order` →
 * `: "places order"`); single quotes become double; a trailing `;` goes.
 */
export const erLabels: Repair = {
  name: 'er-labels',
  apply(code) {
    return mapBody(code, 'er', (line) => {
      const r = erRelation(line);
      if (!r) return line;
      let label = r.label;
      if (label === null) return formatRelation({ ...r, label: '""' });
      label = trimEndSemicolon(label);
      const single = /^'(.*)'$/.exec(label);
      if (single) label = `"${single[1]}"`;
      if (!/^"[^"]*"$/.test(label) && !/^[\p{L}\p{N}_]+$/u.test(label)) label = `"${label.replace(/^"|"$/g, '').replace(/"/g, '#quot;')}"`;
      return label === r.label ? line : formatRelation({ ...r, label });
    });
  },
};

const KEYS = /(?:\s+(?:PK|FK|UK)(?:\s*,\s*(?:PK|FK|UK))*)?/;
const ATTRIBUTE = new RegExp(`^(\\s*)(\\S+)\\s+(.+?)(${KEYS.source})((?:\\s+"[^"]*")?)\\s*$`);

/**
 * Attribute lines inside `ENTITY { … }`: `name: type` → `type name`,
 * `string first name` → `string first_name` (attribute names cannot hold
 * spaces), `primary key` / `foreign key` / `unique` → `PK` / `FK` / `UK`
 * (Mermaid reads `int id primary key` as two attributes, `int id` and
 * `primary key`).
 */
export const erAttributes: Repair = {
  name: 'er-attributes',
  whenValid: true,
  apply(code) {
    let depth = 0;
    return mapBody(code, 'er', (line) => {
      const opens = /\{\s*$/.test(line) && !/\}/.test(line);
      if (opens) {
        depth++;
        return line;
      }
      if (/^\s*\}\s*$/.test(line)) {
        depth = Math.max(0, depth - 1);
        return line;
      }
      if (erRelation(line)) depth = 0; // a relation: the block was left open
      if (depth === 0 || line.trim() === '') return line;
      let s = line;
      const colon = /^(\s*)([\p{L}_][\p{L}\p{N}_.-]*)\s*:\s*(\S+)([^]*)$/u.exec(s);
      if (colon) s = `${colon[1]}${colon[3]} ${colon[2]}${colon[4]}`;
      s = s.replace(/^([^"]*?)\b(?:primary\s+key)\b/i, '$1PK').replace(/^([^"]*?)\b(?:foreign\s+key)\b/i, '$1FK');
      s = uniqueToUK(s);
      const m = ATTRIBUTE.exec(s);
      if (m && /^[\p{L}\p{N}_-]+(?:\s+[\p{L}\p{N}_-]+)+$/u.test(m[3]!)) s = `${m[1]}${m[2]} ${m[3]!.split(/\s+/).join('_')}${m[4]}${m[5]}`;
      return s;
    });
  },
};

/**
 * Entity names with spaces (`ORDER ITEM ||--o{ PRODUCT`) parse as two
 * entities, `ORDER` and `ITEM`. Mermaid accepts quoted names: `"ORDER ITEM"`,
 * in relations and before `{`.
 */
export const erEntityNames: Repair = {
  name: 'er-entity-names',
  whenValid: true,
  apply(code) {
    const quote = (name: string) => (/\s/.test(name) && !/^".*"$/.test(name) ? `"${name.replace(/"/g, '')}"` : name);
    return mapBody(code, 'er', (line) => {
      // `^(\s*)([^"{}:|]+?)\s*\{\s*$` in steps (as one pattern it is cubic on spaces).
      const opened = line.trimEnd();
      const name = opened.endsWith('{') ? opened.slice(0, -1).trim() : '';
      if (name !== '' && !/["{}:|]/.test(name)) {
        const indent = line.slice(0, line.length - line.trimStart().length);
        return /\s/.test(name) ? `${indent}${quote(name)} {` : line;
      }
      const r = erRelation(line);
      if (!r) return line;
      const left = quote(r.left);
      const right = quote(r.right);
      return left === r.left && right === r.right ? line : formatRelation({ ...r, left, right });
    });
  },
};

/**
 * `s.replace(/^([^"]*?\S\s+\S+\s+)unique(?:\s+key)?\b/i, '$1UK')` by hand
 * (quadratic as a pattern): the first `unique` (or `unique key`) word that
 * follows a type and a name, before any quote.
 */
export function uniqueToUK(s: string): string {
  const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
  const quote = s.indexOf('"');
  for (const m of s.matchAll(/unique/gi)) {
    const k = m.index;
    // before: \S \s+ \S+ \s+
    let j = k;
    if (!isSpace(s[j - 1])) continue;
    while (j > 0 && isSpace(s[j - 1])) j--;
    const wordEnd = j;
    while (j > 0 && !isSpace(s[j - 1])) j--;
    if (j === wordEnd || !isSpace(s[j - 1])) continue;
    while (j > 0 && isSpace(s[j - 1])) j--;
    if (j === 0 || (quote !== -1 && quote < j - 1)) continue; // a non-space must come before, and no quote before that
    let end = k + 6;
    let e = end;
    while (isSpace(s[e])) e++;
    const word = (c: string | undefined) => c !== undefined && /\w/.test(c);
    if (e > end && /^key$/i.test(s.slice(e, e + 3)) && !word(s[e + 3])) end = e + 3;
    else if (word(s[end])) continue;
    return `${s.slice(0, k)}UK${s.slice(end)}`;
  }
  return s;
}
