import { mapBody } from '../body.ts';
import { quoted, unquote } from './text.ts';
import type { Repair } from './types.ts';
import { trimChar } from '../../../common/text.ts';

/** An id made from a title: letters and digits of any script, `_` for the rest. */
function slug(text: string): string {
  return trimChar(text.replace(/[^\p{L}\p{N}_]+/gu, '_'), '_') || 'group';
}

/**
 * Block diagrams in flowchart syntax: `subgraph X` / `subgraph X [Title]` /
 * `subgraph "Title"` → `block:X` / `block:X["Title"]` (the `end` stays);
 * an edge label after a colon, `A --> B : yes` (a lexer error), and
 * `A -- yes --> B` unquoted → `A -- "yes" --> B`.
 */
export const blockSyntax: Repair = {
  name: 'block-syntax',
  apply(code) {
    return mapBody(code, 'block', (line) => {
      const indent = /^[ \t]*/.exec(line)![0];
      const text = line.trim();
      if (text.startsWith('subgraph ')) return indent + group(text.slice('subgraph '.length).trim());
      const arrow = text.indexOf('-->');
      if (arrow <= 0) {
        // `A -> B`, `A => B`: the single arrows of other notations.
        const single = /^([\p{L}\p{N}_]+) ?(?:->|=>|→) ?([\p{L}\p{N}_]+)$/u.exec(text);
        if (single) return `${indent}${single[1]} --> ${single[2]}`;
        return quoteLabels(line);
      }
      const left = text.slice(0, arrow).trim();
      const right = text.slice(arrow + 3).trim();
      const colon = right.indexOf(':');
      // `A --> B : label` (only when B is a plain id, not `B["x: y"]`).
      if (colon > 0 && /^[\p{L}\p{N}_]+$/u.test(right.slice(0, colon).trim())) {
        const label = right.slice(colon + 1).trim();
        if (label === '' || /--/.test(left)) return line;
        return `${indent}${left} -- ${quoted(label)} --> ${right.slice(0, colon).trim()}`;
      }
      // `A -- yes --> B`: the label is quoted.
      const dashes = left.indexOf(' --');
      if (dashes > 0) {
        const label = left.slice(dashes + 3).trim();
        if (label !== '' && !/^"[^"]*"$/.test(label)) return `${indent}${left.slice(0, dashes)} -- ${quoted(label)} --> ${right}`;
      }
      return line;
    });
  },
};

/**
 * `A[用户请求]`, `B(x: y)`, `C((Ship))`, `db[(Data)]`: unquoted block labels are quoted
 * (Mermaid 11's block lexer takes only quoted labels: `c[Ship]` is a lexer
 * error too). A hand scan, one pass, quoted text skipped: an id (a run of
 * letters, digits, `_`), then a shape's opener (SHAPES), text without quotes
 * or brackets, and the matching closer. (The pattern it replaces was flagged as
 * quadratic by the ReDoS check on `0(0(0(…`.)
 */
function quoteLabels(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === '"') {
      const end = line.indexOf('"', i + 1);
      const stop = end === -1 ? line.length : end + 1;
      out += line.slice(i, stop);
      i = stop;
      continue;
    }
    const idEnd = wordEnd(line, i);
    if (idEnd === i || (i > 0 && isWordChar(line[i - 1]!))) {
      out += line[i];
      i++;
      continue;
    }
    const open = SHAPES.find(([o]) => line.startsWith(o, idEnd))?.[0] ?? '';
    const close = SHAPES.find(([o]) => o === open)?.[1] ?? '';
    let j = idEnd + open.length;
    while (open !== '' && j < line.length && !'"[](){}'.includes(line[j]!)) j++;
    const text = line.slice(idEnd + open.length, j);
    if (open === '' || text === '' || !line.startsWith(close, j)) {
      out += line.slice(i, idEnd);
      i = idEnd;
      continue;
    }
    out += `${line.slice(i, idEnd)}${open}${quoted(text)}${close}`;
    i = j + close.length;
  }
  return out;
}

/** Block shapes as in flowcharts, two-character openers first. */
const SHAPES: ReadonlyArray<readonly [string, string]> = [
  ['((', '))'],
  ['([', '])'],
  ['[(', ')]'],
  ['[[', ']]'],
  ['{{', '}}'],
  ['[', ']'],
  ['(', ')'],
  ['{', '}'],
];

const isWordChar = (c: string) => /[\p{L}\p{N}_]/u.test(c);

/** The end of the run of letters, digits and `_` that starts at i (i itself when none). */
function wordEnd(s: string, i: number): number {
  let j = i;
  while (j < s.length && isWordChar(s[j]!)) j++;
  return j;
}

function group(rest: string): string {
  const bracket = /^([^\s["]+)\s*\[(.*)\]$/.exec(rest);
  if (bracket) return `block:${bracket[1]}[${quoted(bracket[2]!)}]`;
  const title = unquote(rest);
  if (/^[\p{L}\p{N}_]+$/u.test(title)) return `block:${title}`;
  return `block:${slug(title)}[${quoted(title)}]`;
}

/**
 * Block diagrams Mermaid accepts but draws otherwise than written:
 * - `direction LR` (a flowchart statement) is drawn as two blocks named
 *   "direction" and "LR": it becomes the comment `%% direction LR`;
 * - an id with spaces, `Payment Service["Payment service"]` and `Payment
 *   Service --> Fraud Check`, is drawn as the blocks "Payment" and
 *   "Service": a phrase that is a whole side of an edge and also stands
 *   right before a shape is one id, its spaces become `_`.
 */
export const blockMisreads: Repair = {
  name: 'block-misreads',
  whenValid: true,
  apply(code) {
    const phrases = spacedIds(code);
    return mapBody(code, 'block', (line) => {
      const direction = /^(\s*)(direction\s+(?:TB|TD|BT|LR|RL))\s*$/i.exec(line);
      if (direction) return `${direction[1]}%% ${direction[2]}`;
      let out = line;
      for (const p of phrases) out = replaceWords(out, p, p.replace(/ +/g, '_'));
      return out;
    });
  },
};

/** Multi-word edge sides (`Payment Service --> …`) that also stand right before a shape (`Payment Service[`). */
function spacedIds(code: string): string[] {
  const sides = new Set<string>();
  for (const line of code.split('\n')) {
    const at = line.indexOf('-->');
    if (at <= 0 || line.includes('"') || line.includes('[')) continue;
    for (const side of [line.slice(0, at), line.slice(at + 3)]) {
      const t = side.trim().replace(/\s+/g, ' ');
      if (/^[\p{L}\p{N}_]+(?: [\p{L}\p{N}_]+){1,4}$/u.test(t)) sides.add(t);
    }
  }
  return [...sides].filter((p) => code.split('\n').some((l) => l.includes(`${p}[`) || l.includes(`${p}(`)));
}

/** `phrase` → `to` where it stands as whole words (not inside a longer name or a quoted label). */
function replaceWords(line: string, phrase: string, to: string): string {
  let out = '';
  let quote = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quote = !quote;
    const before = i === 0 ? ' ' : line[i - 1]!;
    const after = line[i + phrase.length] ?? ' ';
    if (!quote && line.startsWith(phrase, i) && !/[\p{L}\p{N}_]/u.test(before) && !/[\p{L}\p{N}_]/u.test(after)) {
      out += to;
      i += phrase.length - 1;
    } else out += line[i];
  }
  return out;
}
