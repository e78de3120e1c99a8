/**
 * Model readiness for the header badge: asks /api/status once, and again every
 * few seconds while the model loads. Failures to reach the server are shown,
 * not thrown.
 */
import type { ReadyStatus } from '../../../common/protocol.ts';
import { ApiKeyRequiredError, fetchReady } from '../api/http.ts';

const state = $state<{ status: ReadyStatus | null; unreachable: boolean; needsKey: boolean }>({
  status: null,
  unreachable: false,
  needsKey: false,
});

export const ready = {
  get status() {
    return state.status;
  },
  get unreachable() {
    return state.unreachable;
  },
  get needsKey() {
    return state.needsKey;
  },
};

let timer: ReturnType<typeof setTimeout> | undefined;

export async function pollReady(intervalMs = 2000): Promise<void> {
  clearTimeout(timer);
  try {
    state.status = await fetchReady();
    state.unreachable = false;
    state.needsKey = false;
  } catch (e) {
    if (e instanceof ApiKeyRequiredError) state.needsKey = true;
    else state.unreachable = true;
  }
  const s = state.status?.state;
  if (s === 'loading' || s === 'warming' || s === 'idle' || state.unreachable) {
    timer = setTimeout(() => void pollReady(Math.min(intervalMs * 1.5, 15_000)), intervalMs);
  }
}
