/**
 * The harness end to end on a tape model (numbers meaningless, the path
 * proven): PET descriptions → describe() on transformers.js → scores → report files.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedData } from '../../tests/support/shared-data.ts';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { ensureTestModel } from '../../server/testmodels/index.ts';
import type { EvalReport } from './report.ts';
import { DEFAULT_PET, runEval } from './run.ts';

const TAPE = [
  'Here is the process:',
  '',
  '```mermaid',
  'flowchart TD',
  '    A[Detect personnel requirements] --> B[Report the vacancy (HR)]',
  '    B --> C{Job description ok?}',
  '    C -->|no| D[Ask for corrections]',
  '    D --> C',
  '    C -->|yes| E[Approve the job description]',
  '    E --> end',
  '```',
].join('\n');

describe.runIf(sharedData('corpus', 'pet', 'pet.jsonl').present)('npm run eval on a tape model', () => {
  it('runs --limit 3 end to end and writes the JSON and markdown reports', async () => {
    const model = await ensureTestModel({ kind: 'tape', text: TAPE });
    const config = Object.freeze({ ...loadConfig({}), modelPath: model, device: 'cpu' as const, dtype: 'fp32' as const });
    const out = mkdtempSync(join(tmpdir(), 'eval-'));
    const lines: string[] = [];
    const { report, markdown, files } = await runEval({ config, limit: 3, outDir: out, onProgress: (l) => lines.push(l) });

    expect(report.documents.map((d) => d.id)).toHaveLength(3);
    expect(lines).toHaveLength(3);
    expect(report.summary).toMatchObject({ documents: 3, validRate: 1, validAsWrittenRate: 0, repairedRate: 1, errorRate: 0 });
    // The lenient flowchart reader fixes both mistakes (unquoted parentheses, `end` as an id) in one rewrite.
    expect(report.summary.repairCounts).toMatchObject({ 'lenient-flowchart': 3 });
    expect(report.device).toBe('cpu');
    expect(report.summary.latencyMs.p50).toBeGreaterThan(0);
    // doc-8.3 is the vacancy process the tape happens to draw: some activities are found.
    const first = report.documents[0]!;
    expect(first.id).toBe('doc-8.3');
    expect(first.activities.found).toBeGreaterThanOrEqual(3);
    expect(first.edges.predicted).toBeGreaterThan(0);

    expect(files.map((f) => f.slice(f.lastIndexOf('.')))).toEqual(['.json', '.md']);
    const saved = JSON.parse(readFileSync(files[0]!, 'utf8')) as EvalReport;
    expect(saved.summary).toEqual(report.summary);
    expect(readFileSync(files[1]!, 'utf8')).toBe(markdown);
    expect(markdown).toMatch(/\| valid diagrams \| 100\.0 % \|/);
    expect(markdown).toContain('| doc-8.3 |');
  });
});
