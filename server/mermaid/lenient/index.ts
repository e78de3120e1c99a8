/**
 * The registry of lenient formats (types.ts). To add a type: write its format
 * in its own file (or folder) and add it to FORMATS; repair() finds it by the
 * diagram's header keyword.
 */
import { classFormat } from './class/index.ts';
import { erFormat } from './er/index.ts';
import { flowchartFormat } from './flowchart/index.ts';
import { sankeyFormat } from './sankey/index.ts';
import { sequenceFormat } from './sequence/index.ts';
import { stateFormat } from './state/index.ts';
import type { LenientFormat } from './types.ts';

export type { LenientFormat, Rewrite } from './types.ts';

export const FORMATS: readonly LenientFormat[] = [
  flowchartFormat,
  sequenceFormat,
  stateFormat,
  classFormat,
  erFormat,
  sankeyFormat,
];

/** The header keyword of the first line that is not blank, a comment or front matter; lower-case. */
export function headerKeyword(code: string): string | null {
  let inFrontMatter = false;
  let seenAny = false;
  for (const raw of code.split('\n')) {
    const line = raw.trim();
    if (line === '---' && (!seenAny || inFrontMatter)) {
      inFrontMatter = !inFrontMatter;
      seenAny = true;
      continue;
    }
    seenAny = true;
    if (inFrontMatter || line === '' || line.startsWith('%%') || line.startsWith('```')) continue;
    const word = /^[A-Za-z][\w-]*/.exec(line);
    return word ? word[0].toLowerCase() : null;
  }
  return null;
}

/** The format for this code's header, or null (unknown type, no header). */
export function lenientFormatFor(code: string): LenientFormat | null {
  const keyword = headerKeyword(code);
  if (keyword === null) return null;
  return FORMATS.find((f) => f.headers.includes(keyword)) ?? null;
}
