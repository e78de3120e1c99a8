/**
 * Follows a Space's runtime stage after an upload until it runs or fails,
 * printing each new stage and keeping a live status. Failure stages end with
 * the Hub's error message and the tail of the build or run log.
 */
import { DeployError } from '../errors.ts';
import { explainHubError } from './explain.ts';
import type { SpaceApi, SpaceRuntime } from './hub.ts';

const WAITING = new Set(['BUILDING', 'APP_STARTING', 'RUNNING_BUILDING', 'RUNNING_APP_STARTING']);
const FAILED = new Set(['BUILD_ERROR', 'RUNTIME_ERROR', 'CONFIG_ERROR', 'NO_APP_FILE', 'DELETING']);
const ASLEEP = new Set(['PAUSED', 'STOPPED', 'SLEEPING']);

export interface FollowOptions {
  spaceId: string;
  hub: string;
  pollMs: number;
  waitTimeoutMs: number;
  /** RUNNING seen before any build stage, this soon after the upload, may still be the old revision. */
  settleMs: number;
  line: (text: string) => void;
  status: (detail: string) => void;
}

export async function followStage(api: SpaceApi, o: FollowOptions): Promise<SpaceRuntime> {
  const start = Date.now();
  let sawProgress = false;
  let restarted = false;
  let previous = '';
  for (;;) {
    const rt = await api.runtime().catch((err: unknown) => {
      throw explainHubError(err, 'runtime', o.spaceId);
    });
    const stage = rt.stage;
    if (stage !== previous) o.line(`stage ${stage}${rt.hardware?.current ? ` on ${rt.hardware.current}` : ''} (${Math.round((Date.now() - start) / 1000)} s)`);
    previous = stage;
    o.status(stage);
    if (WAITING.has(stage)) sawProgress = true;
    if (stage === 'RUNNING' && (sawProgress || Date.now() - start >= o.settleMs)) return rt;
    if (FAILED.has(stage)) {
      const kind = stage === 'RUNTIME_ERROR' ? 'run' : 'build';
      const tail = await api.logTail(kind);
      throw new DeployError(`The Space stopped at ${stage}${rt.errorMessage ? `: ${rt.errorMessage}` : ''}`, [
        `Last ${kind} log lines:`,
        ...tail.map((l) => `  ${l}`),
        `Full logs: ${o.hub}/spaces/${o.spaceId}?logs=${kind}`,
        'Fix the cause and run the same command again',
      ]);
    }
    // A sleeping or paused Space does not build: wake it once.
    if (ASLEEP.has(stage) && !restarted) {
      await api.restart();
      restarted = true;
    }
    if (Date.now() - start > o.waitTimeoutMs) {
      throw new DeployError(`The Space was still ${stage} after ${Math.round(o.waitTimeoutMs / 60000)} min.`, ['It may still finish: run the same command again to keep following it', 'Or raise --wait-timeout']);
    }
    await new Promise((r) => setTimeout(r, o.pollMs));
  }
}
