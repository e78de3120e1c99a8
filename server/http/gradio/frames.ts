/**
 * StreamEvent → Gradio, without I/O: `GradioTranslator` turns one run's
 * events into protocol-neutral actions (queue position, start, new output
 * values, completion, failure); `QueueMessages` renders them as sse_v3 queue
 * messages (with Gradio's diff format for partial outputs); `callFrame`
 * renders them for the curl route (`event: generating|complete|error`).
 * See ../shared/specs/gradio-protocol.md §5.3, §5.5, §6.2.
 */
import type { ApiError, StreamEvent } from '../../../common/protocol.ts';

/** [mermaid code, JSON result/progress]: aligned with the dependency's outputs. */
export type Outputs = [string, unknown];

export type GradioAction =
  | { kind: 'estimation'; rank: number; queueSize: number }
  | { kind: 'progress'; progress: number; message: string }
  | { kind: 'starts' }
  | { kind: 'outputs'; data: Outputs }
  | { kind: 'completed'; data: Outputs; durationS: number }
  | { kind: 'failed'; message: string; title: string; durationS: number };

const TITLES: Record<string, string> = {
  empty_description: 'Invalid input',
  invalid_request: 'Invalid input',
  too_large: 'Input too large',
  queue_full: 'Busy',
  shutting_down: 'Unavailable',
  model_unavailable: 'Model unavailable',
  cancelled: 'Cancelled',
};

export function failedAction(err: Pick<ApiError, 'code' | 'message'>, startedAt: number): GradioAction {
  return { kind: 'failed', message: err.message || 'Generation failed.', title: TITLES[err.code] ?? 'Error', durationS: secondsSince(startedAt) };
}

function secondsSince(t: number): number {
  return Math.round((Date.now() - t) / 10) / 100;
}

export class GradioTranslator {
  #code = '';
  #tokens = 0;
  readonly startedAt = Date.now();

  translate(ev: StreamEvent): GradioAction[] {
    switch (ev.type) {
      case 'queued':
        return [{ kind: 'estimation', rank: Math.max(0, ev.position - 1), queueSize: ev.queueLength }];
      case 'loading':
        return [{ kind: 'progress', progress: ev.progress, message: ev.message }];
      case 'started':
        return [{ kind: 'starts' }];
      case 'token':
        this.#tokens = ev.tokens;
        return [this.#outputs({ stage: 'generating', tokens: this.#tokens })];
      case 'candidate':
        this.#code = ev.code;
        return [this.#outputs({ stage: 'generating', tokens: this.#tokens, valid: ev.valid, ...(ev.error ? { error: ev.error } : {}) })];
      case 'invalid':
        this.#code = ev.code;
        return [this.#outputs({ stage: 'invalid', tokens: this.#tokens, error: ev.error })];
      case 'repairing':
        return [this.#outputs({ stage: 'repairing', tokens: this.#tokens, repair: ev.stage, reason: ev.reason })];
      case 'done':
        return [{ kind: 'completed', data: [ev.result.code, ev.result], durationS: secondsSince(this.startedAt) }];
      case 'error':
        return [failedAction(ev.error, this.startedAt)];
      default:
        return [];
    }
  }

  #outputs(status: Record<string, unknown>): GradioAction {
    return { kind: 'outputs', data: [this.#code, status] };
  }
}

type Edit = ['append' | 'replace', [], unknown];

/** Gradio's per-output diff: [] unchanged, append for a growing string, else replace. */
export function diffValue(prev: unknown, next: unknown): Edit[] {
  if (prev === next) return [];
  if (typeof prev === 'string' && typeof next === 'string' && next.startsWith(prev)) return [['append', [], next.slice(prev.length)]];
  if (typeof prev === 'object' && typeof next === 'object' && JSON.stringify(prev) === JSON.stringify(next)) return [];
  return [['replace', [], next]];
}

/** Renders one event's actions as sse_v3 queue messages; keeps the last outputs for diffs. */
export class QueueMessages {
  #prev: Outputs | null = null;
  constructor(readonly eventId: string) {}

  render(a: GradioAction): object | null {
    const event_id = this.eventId;
    switch (a.kind) {
      case 'estimation':
        return { msg: 'estimation', event_id, rank: a.rank, queue_size: a.queueSize, rank_eta: null };
      case 'progress':
        return {
          msg: 'progress',
          event_id,
          progress_data: [{ index: Math.round(a.progress), length: 100, unit: '%', progress: null, desc: a.message }],
        };
      case 'starts':
        return { msg: 'process_starts', event_id, eta: null };
      case 'outputs': {
        // The first partial output carries full values; later ones carry edits.
        const data = this.#prev ? a.data.map((v, i) => diffValue(this.#prev![i], v)) : a.data;
        this.#prev = a.data;
        return {
          msg: 'process_generating',
          event_id,
          success: true,
          output: { data, is_generating: true, changed_state_ids: [], render_config: null },
        };
      }
      case 'completed':
        return {
          msg: 'process_completed',
          event_id,
          success: true,
          output: { data: a.data, is_generating: false, duration: a.durationS, average_duration: a.durationS, changed_state_ids: [], render_config: null },
          title: null,
          used_cache: null,
          cache_duration: null,
          avg_time: null,
        };
      case 'failed':
        // Exactly error/title/duration/visible: the Python client passes them to AppError(**output).
        return {
          msg: 'process_completed',
          event_id,
          success: false,
          title: a.title,
          output: { error: a.message, title: a.title, duration: a.durationS, visible: true },
        };
    }
  }
}

/** The curl route's frame for an action, or null when that route does not show it. */
export function callFrame(a: GradioAction): { event: string; data: unknown } | null {
  switch (a.kind) {
    case 'outputs':
      return { event: 'generating', data: a.data };
    case 'completed':
      return { event: 'complete', data: a.data };
    case 'failed':
      return { event: 'error', data: { error: a.message, title: a.title, duration: a.durationS, visible: true } };
    default:
      return null;
  }
}
