import { bodyOf } from '../body.ts';
import { plainNumber, typographicQuotes, unquote } from './text.ts';
import type { Repair } from './types.ts';

/** Splits a CSV line (Mermaid's sankey is CSV: quoted fields may hold commas). */
function fields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let inQuotes = false;
  for (const ch of line) {
    if (ch === '"') inQuotes = !inQuotes;
    if (ch === ',' && !inQuotes) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

const csv = (name: string) => (/[,"]/.test(name) ? `"${typographicQuotes(name).replace(/"/g, '""')}"` : name);

/**
 * Sankey flows are `source,target,value` CSV. A name with a comma
 * (`Grid,Homes, Offices,5`) gives four fields, a parse error: the line is
 * split where both halves are names used elsewhere, else at the one comma
 * not followed by a space when the others are (`Homes, Offices` is a name,
 * `Grid,Homes` two), and such names are quoted. Values like `45%` or `1,5`
 * in quotes become plain numbers. (Names outside ASCII cannot be drawn:
 * Mermaid's sankey lexer takes only printable ASCII, quoted or not, and
 * entity codes do not get through it either; those are left as written.)
 */
export const sankeyFlows: Repair = {
  name: 'sankey-flows',
  apply(code) {
    const body = bodyOf(code, 'sankey');
    if (!body) return code;
    const { lines, header } = body;
    const known = new Set<string>();
    for (let i = header + 1; i < lines.length; i++) {
      const f = fields(lines[i]!);
      if (f.length === 3) for (const name of f.slice(0, 2)) known.add(unquote(name));
    }
    let changed = false;
    for (let i = header + 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() === '' || /^\s*%%/.test(line)) continue;
      const f = fields(line);
      if (f.length < 3) continue;
      const raw = f[f.length - 1]!.trim();
      const value = plainNumber(unquote(raw));
      if (value === null || (f.length === 3 && value === raw)) continue; // a valid flow stays as written
      const names = f.slice(0, -1);
      let split = 1;
      if (names.length > 2) {
        const candidates = Array.from({ length: names.length - 1 }, (_, k) => k + 1);
        const both = candidates.filter((k) => known.has(names.slice(0, k).join(',').trim()) && known.has(names.slice(k).join(',').trim()));
        const unspaced = candidates.filter((k) => !/^\s/.test(names[k]!));
        const one = both.length === 1 ? both : candidates.filter((k) => known.has(names.slice(0, k).join(',').trim()) || known.has(names.slice(k).join(',').trim()));
        if (one.length === 1) split = one[0]!;
        else if (unspaced.length === 1) split = unspaced[0]!;
        else continue; // ambiguous: left for the model
      }
      const source = unquote(names.slice(0, split).join(','));
      const target = unquote(names.slice(split).join(','));
      const next = `${csv(source)},${csv(target)},${value}`;
      if (next !== line) {
        lines[i] = next;
        changed = true;
      }
    }
    return changed ? lines.join('\n') : code;
  },
};
