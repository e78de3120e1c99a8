import { mapBody } from '../body.ts';
import { plainNumber, quoted } from './text.ts';
import type { Repair } from './types.ts';

/**
 * Pie slices: `"Rent" : 45%`, `"Rent" : 45,5` (a lexer error: Mermaid reads a
 * plain number), `Rent : 45` (the label must be quoted), `"Rent": "45"`.
 * The value keeps its number; the label keeps its words, quoted.
 * `title: Budget` → `title Budget`.
 */
export const pieSlices: Repair = {
  name: 'pie-slices',
  apply(code) {
    return mapBody(code, 'pie', (line) => {
      const indent = /^[ \t]*/.exec(line)![0];
      const text = line.trim();
      if (text === '') return line;
      const keyword = /^(title|accTitle|accDescr|showData)\b/.exec(text);
      if (keyword) return keyword[1] === 'title' ? line.replace(/^(\s*title)\s*:\s*/, '$1 ') : line;
      const colon = Math.max(text.lastIndexOf(':'), text.lastIndexOf('：'));
      if (colon <= 0) return line;
      const value = plainNumber(text.slice(colon + 1).replace(/^\s*"|"\s*$/g, ''));
      const label = text.slice(0, colon).trim();
      if (value === null || label === '') return line;
      const fixed = `${indent}${/^"[^"]*"$/.test(label) ? label : quoted(label)} : ${value}`;
      // Valid slices are left exactly as written.
      return /^"[^"]*"\s*:\s*\d+(?:\.\d+)?$/.test(text) ? line : fixed;
    });
  },
};
