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

/** `A[用户请求]`, `B(x: y)`: block labels outside ASCII words are quoted (unquoted they are lexer errors). */
function quoteLabels(line: string): string {
  return line.replace(/(?<![\p{L}\p{N}_])([\p{L}\p{N}_]+)(\[|\(\(|\()([^"[\]()]+)(\]|\)\)|\))/gu, (whole, id: string, open: string, text: string, close: string) => {
    const pair = (open === '[' && close === ']') || (open === '((' && close === '))') || (open === '(' && close === ')');
    return pair && !/^[A-Za-z0-9 _]+$/.test(text) ? `${id}${open}${quoted(text)}${close}` : whole;
  });
}

function group(rest: string): string {
  const bracket = /^([^\s["]+)\s*\[(.*)\]$/.exec(rest);
  if (bracket) return `block:${bracket[1]}[${quoted(bracket[2]!)}]`;
  const title = unquote(rest);
  if (/^[\p{L}\p{N}_]+$/u.test(title)) return `block:${title}`;
  return `block:${slug(title)}[${quoted(title)}]`;
}
