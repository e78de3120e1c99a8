/**
 * One corpus answer through the pipeline's deterministic steps, judged by
 * Mermaid: extractDiagram → repair (timed) → Mermaid's database of the result
 * (server/mermaid/drawn.ts) → is every expected unit and label word drawn,
 * inside the parent the model put it in, and nothing invented?
 * Used by `npm run bench:repair` and by corpus.test.ts.
 */
import { performance } from 'node:perf_hooks';
import { extractDiagram } from '../../server/mermaid/extract.ts';
import { repair } from '../../server/mermaid/repair.ts';
import { drawnContent } from '../../server/mermaid/drawn.ts';
import type { AnswerCase } from '../../tests/fixtures/answers/cases.ts';
import { checkContent } from './content.ts';

export interface Outcome {
  file: string;
  type: string;
  lang: string;
  kinds: string[];
  form: string[];
  good: boolean;
  /** Mermaid accepts the repaired diagram. */
  valid: boolean;
  /** Valid, every expected unit and label word is drawn (in its parent), and no unit is invented. */
  kept: boolean;
  /** For good answers: repair returned the extracted code as it was, with no repair. */
  unchanged: boolean | null;
  repairMs: number;
  /** CPU time of the whole process (main thread + Mermaid workers) during repair: less sensitive to other load. */
  repairCpuMs: number;
  repairs: string[];
  changes: unknown[];
  missingUnits: string[];
  missingWords: string[];
  wrongParents: string[];
  invented: string[];
  error?: string;
  code: string;
}

/** Trailing spaces and blank lines at the ends are not a change. */
const tidy = (code: string) => code.replace(/[ \t]+$/gm, '').trim();

export async function measure(c: AnswerCase, text: string): Promise<Outcome> {
  const good = c.kinds.includes('good');
  const base = { file: c.file, type: c.type, lang: c.lang, kinds: c.kinds, form: c.form, good };
  const found = extractDiagram(text);
  if (!found) {
    return { ...base, valid: false, kept: false, unchanged: good ? false : null, repairMs: 0, repairCpuMs: 0, repairs: [], changes: [],
      missingUnits: c.units, missingWords: [], wrongParents: [], invented: [], error: 'no diagram found', code: '' };
  }
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await repair(found.code);
  const repairMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const repairCpuMs = (cpu.user + cpu.system) / 1000;
  const changes = (result as { changes?: unknown[] }).changes ?? [];
  const unchanged = good ? result.repairs.length === 0 && tidy(result.code) === tidy(found.code) : null;
  if (!result.valid) {
    return { ...base, valid: false, kept: false, unchanged, repairMs, repairCpuMs, repairs: result.repairs, changes,
      missingUnits: [], missingWords: [], wrongParents: [], invented: [], error: result.error?.message ?? 'invalid', code: result.code };
  }
  const drawn = await drawnContent(result.code);
  if (!drawn.ok) {
    // repair() said valid but Mermaid's database could not be built: count it as invalid, say why.
    return { ...base, valid: false, kept: false, unchanged, repairMs, repairCpuMs, repairs: result.repairs, changes,
      missingUnits: [], missingWords: [], wrongParents: [], invented: [], error: `drawn: ${drawn.message}`, code: result.code };
  }
  const lastLine = found.code.trimEnd().split('\n').at(-1) ?? '';
  const check = checkContent({ ...c, ...(found.complete && !c.form.includes('cut') ? {} : { mayDraw: lastLine }) }, drawn);
  const kept =
    check.missingUnits.length === 0 && check.missingWords.length === 0 && check.wrongParents.length === 0 && check.invented.length === 0;
  return { ...base, valid: true, kept, unchanged, repairMs, repairCpuMs, repairs: result.repairs, changes, ...check, code: result.code };
}
