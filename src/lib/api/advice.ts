/**
 * What the UI says about a failed run: the server's message, and a next step
 * only where it can help. Waiting helps when the server is busy, rate limited
 * or restarting; it does not help when the model cannot load (offline, a
 * wrong MODEL_PATH): that needs a change on the server, so the advice is
 * MODEL_PATH or the no-model demo, never "try again in 10 s".
 */
import type { ApiError } from '../../../common/protocol.ts';
import { retryHint } from './http.ts';

/** Errors that clear by themselves: waiting and trying again can work. */
const TRANSIENT = new Set<ApiError['code']>(['queue_full', 'rate_limited', 'shutting_down', 'stream_closed', 'network', 'timeout']);

export interface Advice {
  message: string;
  /** "Try again in 10 s." and the like, or null. */
  hint: string | null;
  /** The model did not load: show what to do about it (MODEL_PATH, the no-model demo). */
  modelHelp: boolean;
}

export function adviceFor(e: ApiError): Advice {
  if (e.code === 'model_unavailable') {
    // The server's sentence may end in "Try again later.", which cannot help a load that failed for good.
    return { message: withoutTryAgain(e.message), hint: null, modelHelp: true };
  }
  if (e.code === 'network') return { message: e.message, hint: 'Check that the server is running, then try again.', modelHelp: false };
  return { message: e.message, hint: TRANSIENT.has(e.code) ? retryHint(e) : null, modelHelp: false };
}

/** `message.replace(/\s*Try again later\.?\s*$/i, '')`, without that pattern's quadratic runs of spaces. */
function withoutTryAgain(message: string): string {
  const t = message.trimEnd();
  const m = /Try again later\.?$/i.exec(t);
  return m ? t.slice(0, m.index).trimEnd() : message;
}
