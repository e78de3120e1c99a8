import { mapBody } from '../body.ts';
import { quoted } from './text.ts';
import type { Repair } from './types.ts';

/** Text Mermaid's xychart lexer reads unquoted: ASCII words, digits, spaces and a little punctuation. */
const PLAIN = /^[A-Za-z0-9 _.$%&/+-]+$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;

const needsQuotes = (text: string) => !/^"[^"]*"$/.test(text) && !PLAIN.test(text);

/**
 * xychart texts in other scripts or with punctuation: `title 매출`,
 * `x-axis [janv, févr, mars]`, `y-axis Umsatz (€) 0 --> 100` are lexer
 * errors unquoted; they are quoted. Category lists keep their items.
 * Series values with units (`bar [320 kWh, 280 kWh]`, `[45%, 30%]`,
 * `[1,5 €]`) keep their numbers.
 * (String operations, not patterns with `\s*` around free text: linear time.)
 */
export const xychartLabels: Repair = {
  name: 'xychart-labels',
  apply(code) {
    return mapBody(code, 'xychart', (line) => {
      const indent = /^[ \t]*/.exec(line)![0];
      const text = line.trim();
      const series = /^(bar|line)\b/.exec(text);
      if (series) return dataUnits(line);
      const keyword = /^(title|x-axis|y-axis)\s/.exec(text);
      if (!keyword) return line;
      const rest = text.slice(keyword[0].length).trim();
      const fixed = keyword[1] === 'title' ? (needsQuotes(rest) ? quoted(rest) : rest) : axis(rest);
      return fixed === rest ? line : `${indent}${keyword[1]} ${fixed}`;
    });
  },
};

/** `Title [a, b]`, `Title 0 --> 100`, `[a, b]`, `Title`: the texts quoted where needed. */
function axis(rest: string): string {
  const title = (t: string) => (t === '' ? '' : `${needsQuotes(t) ? quoted(t) : t} `);
  const open = rest.indexOf('[');
  if (open !== -1 && rest.endsWith(']')) {
    const items = rest.slice(open + 1, -1).split(',').map((s) => s.trim());
    const fixedItems = items.map((item) => (NUMBER.test(item) || !needsQuotes(item) ? item : quoted(item)));
    const same = fixedItems.every((item, i) => item === items[i]) && !needsQuotes(rest.slice(0, open).trim() || 'x');
    return same ? rest : `${title(rest.slice(0, open).trim())}[${fixedItems.join(', ')}]`;
  }
  const arrow = rest.lastIndexOf('-->');
  if (arrow !== -1) {
    const words = rest.slice(0, arrow).trim().split(/\s+/);
    const from = words.pop() ?? '';
    const to = rest.slice(arrow + 3).trim();
    if (NUMBER.test(from) && NUMBER.test(to)) {
      const t = words.join(' ');
      return t === '' || !needsQuotes(t) ? rest : `${title(t)}${from} --> ${to}`;
    }
  }
  return needsQuotes(rest) ? quoted(rest) : rest;
}

/** `bar [320 kWh, 280 kWh]` → `bar [320, 280]` (the unit is the axis' to say); other lines unchanged. */
function dataUnits(line: string): string {
  const open = line.indexOf('[');
  const close = line.lastIndexOf(']');
  if (open === -1 || close < open) return line;
  const items = line.slice(open + 1, close).split(',').map((s) => s.trim());
  const numbers = items.map((item) => /^[-+]?[$€£¥₩]?\s?(\d+(?:\.\d+)?)\s?(?:%|[$€£¥₩]|\p{L}{1,6})?$/u.exec(item)?.[1] ?? null);
  if (numbers.some((n) => n === null) || numbers.every((n, i) => n === items[i])) return line;
  return `${line.slice(0, open + 1)}${numbers.join(', ')}${line.slice(close)}`;
}
