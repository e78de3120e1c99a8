/**
 * repairOffThread: the same answers as repair(), a time limit that returns
 * the text as written (sanitised), and an event loop that stays free while
 * the worst inputs at the size limit are repaired (issue 12, item 4).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORST_CASES } from '../../bench/mermaid/worst-inputs.ts';
import { extractDiagram } from './extract.ts';
import { repair } from './repair.ts';
import { closeRepairThread, mainThreadMaxMs, repairOffThread, warmUpRepairThread } from './repair-thread.ts';
import { mermaidStats } from './mermaid-worker.ts';
import { closeValidator, relayMaxMs, validate } from './validate.ts';

beforeAll(() => warmUpRepairThread(), 120_000);
afterAll(async () => {
  await closeRepairThread();
  await closeValidator();
});

describe('repairOffThread', () => {
  it.each([
    ['valid, unchanged', 'flowchart TD\n  A --> B'],
    ['reserved id and parentheses', 'flowchart TD\n  A[Pay (card)] --> end'],
    ['configuration and a click', '%%{init: {"securityLevel": "loose"}}%%\nflowchart TD\n  A-->B; click A href "https://evil.example"'],
    ['a sequence diagram with a missing colon', 'sequenceDiagram\n  Alice->>Bob Hello'],
  ])('%s: the same result as repair() on this thread', async (_name, code) => {
    expect(await repairOffThread(code)).toEqual(await repair(code));
  }, 60_000);

  it('a repair past its time limit is stopped: the text comes back sanitised and as written, and the next repair works', async () => {
    const slow = '%%{init: {"theme": "dark"}}%%\n' + WORST_CASES.find((w) => w.name.includes('deep subgraphs'))!.text;
    const starts = mermaidStats().starts;
    const r = await repairOffThread(slow, { timeoutMs: 1 });
    expect(r.valid).toBe(false);
    expect(r.error?.message).toMatch(/took longer than .* and was stopped/);
    expect(r.code).not.toContain('%%{init');
    expect(r.code).toContain('subgraph S0 [Group 0]');
    expect(await repairOffThread('flowchart TD\n  A --> B')).toMatchObject({ valid: true, code: 'flowchart TD\n  A --> B' });
    // The stopped repair took only its own thread down: the Mermaid other requests use was not restarted.
    expect(await validate('flowchart TD\n  A --> after_stop')).toMatchObject({ ok: true });
    expect(mermaidStats().starts).toBe(starts);
  }, 120_000);

  it('holds no Mermaid of its own: its parses are asked of this thread\'s Mermaid worker', async () => {
    const before = mermaidStats();
    const r = await repairOffThread('flowchart TD\n  A[Pay (card)] --> unique_to_this_test');
    expect(r.valid).toBe(true);
    const after = mermaidStats();
    expect(after.requests).toBeGreaterThan(before.requests);
    expect(after.starts).toBe(before.starts);
  }, 120_000);

  it('the worst inputs at the size limit never hold the event loop: only a post, relayed parses and an answer run on it', async () => {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const t0 = performance.now();
    let extractMax = 0;
    for (const { text } of WORST_CASES) {
      const t1 = performance.now();
      const found = extractDiagram(text); // the pipeline extracts on its thread, then repairs off it
      extractMax = Math.max(extractMax, performance.now() - t1);
      if (found) await repairOffThread(found.code);
    }
    delay.disable();
    // The same time with nothing to do: what the machine's other load alone does to this event loop.
    const idle = monitorEventLoopDelay({ resolution: 5 });
    idle.enable();
    await new Promise((r) => setTimeout(r, Math.min(performance.now() - t0, 20_000)));
    idle.disable();
    // Our own work on the event loop: posting each repair and taking its answer, and relaying the
    // repair thread's parse requests to the Mermaid worker and their verdicts back (structured-cloning
    // ≤ 20,000 characters each way), about 1 ms each on a quiet machine (bench/mermaid/worst-case.ts; the
    // target is 20 ms). Twice that bound here, for a test machine busy with other test files (17.6 ms was
    // seen at load average 25 on 2 cores).
    expect(mainThreadMaxMs()).toBeLessThan(40);
    expect(relayMaxMs()).toBeLessThan(40);
    expect(extractMax).toBeLessThan(20 * 5); // linear, a few ms quiet; generous for a busy machine
    // The whole loop's longest delay also carries the machine's other load (347 ms were seen at load 9.5
    // with ~40 other test files), so it is judged against the idle loop's in the same test. It catches this
    // thread held for long (an error line mapping that ran here took 1.7 s on the 1,000-slice pie).
    expect(delay.max / 1e6).toBeLessThan(Math.max(250, 3 * (idle.max / 1e6)));
    console.log(
      `event loop: own work max ${mainThreadMaxMs().toFixed(1)} ms, relay max ${relayMaxMs().toFixed(1)} ms, extract max ${extractMax.toFixed(1)} ms, ` +
        `delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms (idle max ${(idle.max / 1e6).toFixed(1)} ms)`,
    );
  }, 600_000);
});
