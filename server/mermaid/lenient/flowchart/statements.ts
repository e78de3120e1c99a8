/**
 * The keyword statements of a flowchart, read leniently: `subgraph` headers,
 * `direction`, and the styling statements in the forms models write them
 * (`class B, C name`, `class D "done"`, `style X fill=#f00`, `style A
 * {fill:#f00; color:red}`, `linkStyle 0,1 stroke:red`).
 */
import type { ClassDef, ClassStmt, LinkStyle, StyleStmt } from './model.ts';
import { isIdChar, readIdChars, skipSpaces } from './scan.ts';

export type Keyword = 'subgraph' | 'end' | 'direction' | 'classDef' | 'class' | 'style' | 'linkStyle' | 'click' | 'acc';

/** The statement keyword `s` starts with, or null (a chain of nodes). */
export function keywordOf(s: string): Keyword | null {
  const e = readIdChars(s, 0);
  const word = s.slice(0, e);
  const next = s[e];
  const alone = next === undefined;
  const spaced = next === ' ' || next === '\t';
  if (word === 'end' && (alone || /^\s*$/.test(s.slice(e)))) return 'end';
  if (!alone && !spaced && !(word === 'subgraph' && next === '"')) return word.startsWith('acc') && next === ':' ? 'acc' : null;
  const after = s.slice(skipSpaces(s, e));
  if (/^(?:-|=|\.|~|&|<)/.test(after)) return null; // `class --> B`: an id named like a keyword
  switch (word) {
    case 'subgraph':
    case 'direction':
    case 'classDef':
    case 'class':
    case 'style':
    case 'linkStyle':
    case 'click':
      return word;
    case 'accTitle':
    case 'accDescr':
      return 'acc';
    default:
      if (word === 'end' && alone) return 'end';
      return null;
  }
}

export interface SubgraphHead {
  id: string | null;
  title?: string;
}

/** `subgraph ID`, `subgraph ID [Title]`, `subgraph ID["Title"]`, `subgraph "Title"`, `subgraph Some title`. */
export function readSubgraphHead(rest: string): SubgraphHead {
  const r = rest.trim();
  if (r === '') return { id: null };
  if (r[0] === '"') return { id: null, title: unquote(r) };
  const e = readIdChars(r, 0);
  if (e === 0) return { id: null, title: unquote(r) };
  const id = r.slice(0, e);
  const after = r.slice(e).trim();
  if (after === '') return { id };
  if (after[0] === '[' || after[0] === '(' || after[0] === '{') {
    const close = after.lastIndexOf(after[0] === '[' ? ']' : after[0] === '(' ? ')' : '}');
    const title = unquote(after.slice(1, close === -1 ? after.length : close));
    return title === '' ? { id } : { id, title };
  }
  if (after[0] === ':') return { id, title: unquote(after.slice(1)) };
  return { id: null, title: unquote(r) };
}

export function readDirection(rest: string): string | null {
  const d = rest.trim().toUpperCase();
  return ['TB', 'TD', 'BT', 'RL', 'LR'].includes(d) ? d : null;
}

/** `classDef a,b fill:#f00` → names and style. */
export function readClassDef(rest: string, line: number): ClassDef | null {
  const r = rest.trim();
  const space = firstSpace(r);
  if (space === -1) return null;
  const names = splitNames(r.slice(0, space));
  const style = normalizeStyle(r.slice(space));
  return names.length > 0 && style !== '' ? { kind: 'classDef', names, style, line } : null;
}

/** `class A,B name`, `class B, C name`, `class "A" "name"`: the last word is the class. */
export function readClass(rest: string, line: number): ClassStmt | null {
  const words = rest.replace(/,\s+/g, ',').split(',').map((w, i, all) => (i < all.length - 1 ? w.trimEnd() : w)).join(',').trim().split(/\s+/);
  if (words.length < 2) return null;
  const name = unquote(words[words.length - 1]!);
  const ids = words.slice(0, -1).join(',').split(',').map(unquote).filter((s) => s !== '');
  return ids.length > 0 && name !== '' ? { kind: 'class', ids, name, line } : null;
}

/** `style X fill:#f00`, `style X fill=#f00`, `style X {fill:#f00; color:red}`. */
export function readStyle(rest: string, line: number): StyleStmt | null {
  const r = rest.trim();
  let e = 0;
  if (r[0] === '"') {
    const close = r.indexOf('"', 1);
    e = close === -1 ? r.length : close + 1;
  } else {
    while (e < r.length && (isIdChar(r[e]) || r[e] === '-')) e++;
  }
  const id = unquote(r.slice(0, e));
  const style = normalizeStyle(r.slice(e));
  return id !== '' && style !== '' ? { kind: 'style', id, style, line } : null;
}

/** `linkStyle 0,1 stroke:red`, `linkStyle default stroke:red`. */
export function readLinkStyle(rest: string, line: number): LinkStyle | null {
  const r = rest.trim();
  const space = firstSpace(r);
  if (space === -1) return null;
  const head = r.slice(0, space).replace(/\s+/g, '');
  const style = normalizeStyle(r.slice(space));
  if (style === '') return null;
  if (head === 'default') return { kind: 'linkStyle', indices: 'default', style, line };
  const indices = head.split(',').filter((x) => /^\d+$/.test(x)).map(Number);
  return indices.length > 0 ? { kind: 'linkStyle', indices, style, line } : null;
}

/** `{fill = #f00; stroke: #333;}` → `fill:#f00,stroke:#333`. */
export function normalizeStyle(text: string): string {
  const parts = text
    .replace(/[{}]/g, ' ')
    .split(/[;,]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return parts
    .map((p) => {
      const sep = p.search(/[:=]/);
      if (sep === -1) return p;
      return `${p.slice(0, sep).trim()}:${p.slice(sep + 1).trim()}`;
    })
    .join(',');
}

/** A style piece after `;` on a styling line: `stroke:#333`. */
export function isStylePiece(s: string): boolean {
  return /^[a-z-]+\s*[:=]/i.test(s.trim());
}

function firstSpace(s: string): number {
  // Names may be followed by spaces before the style: the first run of spaces after the first word.
  const m = /\s/.exec(s);
  return m ? m.index : -1;
}

function splitNames(s: string): string[] {
  return s.split(',').map(unquote).filter((x) => x !== '');
}

export function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) return t.slice(1, -1).trim();
  let a = 0;
  let b = t.length;
  while (a < b && t[a] === '"') a++;
  while (b > a && t[b - 1] === '"') b--;
  return t.slice(a, b).trim();
}
