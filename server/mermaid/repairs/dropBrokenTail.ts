import type { Repair } from './types.ts';

/**
 * An answer cut by the token budget ends mid-line: `E -->|Ja| F[Bescheid verschi`.
 * Drops that last line when it is visibly unfinished (open bracket, quote or
 * pipe, or a dangling arrow). The nodes and edges before it are kept.
 */
export const dropBrokenTail: Repair = {
  name: 'drop-broken-tail',
  apply(code) {
    const lines = code.replace(/\s+$/, '').split('\n');
    // Look past `end` lines another repair may have appended to close subgraphs.
    let last = lines.length - 1;
    while (last > 0 && /^\s*end\s*$/.test(lines[last]!)) last--;
    if (last < 1 || !isUnfinished(lines[last]!)) return code;
    lines.splice(last, 1);
    return lines.join('\n');
  },
};

export function isUnfinished(line: string): boolean {
  const text = line.replace(/"[^"]*"/g, '""');
  if ((line.match(/"/g) ?? []).length % 2 === 1) return true;
  const opens = (text.match(/[[({]/g) ?? []).length;
  const closes = (text.match(/[\])}]/g) ?? []).length;
  if (opens > closes) return true;
  if (/(?:--|==|-\.)[->]?\|[^|]*$/.test(text)) return true; // an edge label left open: `-->|Nei`
  if (/(?:-->|---|==>|-\.->|--|==|->>|-->>|-\)|->|:|\||&)\s*$/.test(text) && !/^\s*%%/.test(line)) {
    // A trailing colon is normal in no diagram line; a pipe only when the label is unclosed.
    return !/\|[^|]*\|\s*$/.test(text) || /(?:-->|---|==>|--|==|->|&)\s*$/.test(text);
  }
  return false;
}
