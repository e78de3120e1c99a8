// Runs recheck's pure-JS backend (no native binary, no JVM) on a share of the
// patterns; the test starts a few of these to use the machine's cores.
import { parentPort, workerData } from 'node:worker_threads';

process.env.RECHECK_BACKEND = 'pure';
const { check } = await import('recheck');

for (const { key, source, flags } of workerData.jobs) {
  let diagnostics = await check(source, flags, workerData.params);
  // The automaton checker gives up ("unknown: timeout") on some large
  // alternations; the fuzzing checker then decides, with more time (a busy
  // 2-core machine is slow).
  if (diagnostics.status === 'unknown') diagnostics = await check(source, flags, { ...workerData.params, checker: 'fuzz', timeout: 40_000 });
  const verdict =
    diagnostics.status === 'vulnerable'
      ? { status: 'vulnerable', detail: diagnostics.complexity.summary, attack: diagnostics.attack?.pattern ?? '' }
      : diagnostics.status === 'unknown'
        ? { status: 'unknown', detail: diagnostics.error?.kind ?? 'unknown' }
        : { status: 'safe', detail: diagnostics.complexity?.summary ?? '' };
  parentPort.postMessage({ key, verdict });
}
