/**
 * ScriptedEngine: an Engine that replays canned text, for pure unit tests and
 * for UI development without a model (ENGINE=scripted). It behaves like the
 * real engine where callers can tell: load states and progress, warm-up,
 * streaming in token-sized pieces with a running count, EOS at the end,
 * `maxNewTokens`, the deadline and the AbortSignal checked at every token,
 * the same stopping policy (stop.ts), and a failed load that the next call retries.
 *
 *   new ScriptedEngine({ outputs: ['flowchart TD\n  A --> B\n'] })
 *   new ScriptedEngine({ outputs: (messages, call) => '…', tokenDelayMs: 5 })
 *
 * Tokens: the text is cut into pieces (`splitTokens`: a word with its leading
 * whitespace, or a run of whitespace); the end-of-turn token counts as one
 * more, as with the real model. Outputs are used in order and cycle.
 */
import type { ReadyStatus } from '../../common/protocol.ts';
import { DEFAULT_MAX_NEW_TOKENS } from '../../common/limits.ts';
import { StopPolicy } from './stop.ts';
import { StatusBoard } from './status.ts';
import type { ChatMessage, Engine, EngineRequest, LoadProgressListener, TokenChunk } from './types.ts';

export const DEMO_OUTPUT = [
  'flowchart TD',
  '  A[Customer places order] --> B{Payment ok?}',
  '  B -->|yes| C[Pack items]',
  '  B -->|no| D[Notify customer]',
  '  C --> E[Ship order]',
  '  E --> F[Order delivered]',
  '',
].join('\n');

export interface ScriptedEngineOptions {
  /** Texts for successive calls (cycled), or a function of the messages and the call index. */
  outputs?: readonly string[] | ((messages: ChatMessage[], call: number) => string);
  /** Delay per token in ms (default 0: still yields to the event loop between tokens). */
  tokenDelayMs?: number;
  /** Extra delay before the first token (prefill), ms. */
  firstTokenDelayMs?: number;
  /** How long load() takes, ms (progress is reported in steps). */
  loadDelayMs?: number;
  /** The first N load attempts fail (default 0). */
  failLoads?: number;
  /** Message of a failed load. */
  loadErrorMessage?: string;
  /** Reported in status(). */
  device?: 'cpu' | 'cuda';
  model?: string;
  maxNewTokens?: number;
  queueDepth?: () => number;
  now?: () => number;
}

/** Cuts text into token-like pieces; joining them gives the text back. */
export function splitTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const yieldTick = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ScriptedEngine implements Engine {
  private readonly options: ScriptedEngineOptions;
  private readonly now: () => number;
  private readonly board: StatusBoard;
  private loading: Promise<void> | null = null;
  private loaded = false;
  private loadAttempts = 0;
  private calls = 0;
  /** Every generate() call's messages, for assertions. */
  readonly received: ChatMessage[][] = [];

  constructor(options: ScriptedEngineOptions = {}) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.board = new StatusBoard(options.model ?? 'scripted', options.queueDepth);
  }

  status(): ReadyStatus {
    return this.board.snapshot();
  }

  onStatus(listener: LoadProgressListener): () => void {
    return this.board.subscribe(listener);
  }

  load(): Promise<void> {
    if (this.loaded) return Promise.resolve();
    if (!this.loading) {
      const attempt = this.doLoad();
      this.loading = attempt;
      attempt.then(
        () => {
          this.loaded = true;
        },
        () => {
          if (this.loading === attempt) this.loading = null;
        },
      );
    }
    return this.loading;
  }

  async dispose(): Promise<void> {
    this.loaded = false;
    this.loading = null;
    this.setStatus({ state: 'idle', progress: 0, message: 'Model unloaded.', device: null, dtype: null });
  }

  async *generate(request: EngineRequest, signal?: AbortSignal): AsyncIterable<TokenChunk> {
    const { messages } = request;
    const ceiling = this.options.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS;
    const maxNewTokens = Math.max(1, Math.floor(request.maxNewTokens ?? ceiling));
    const policy = new StopPolicy({ maxNewTokens, deadline: request.deadline, signal, now: this.now });
    const callStart = this.now();
    this.received.push(messages);
    const call = this.calls++;
    if (policy.interrupted()) {
      yield { type: 'end', text: '', tokens: 0, promptTokens: 0, stopReason: policy.finish(false, 0), firstTokenMs: null, generationMs: this.now() - callStart };
      return;
    }
    await this.load();
    const t0 = this.now();
    const promptTokens = Math.max(1, Math.ceil(messages.reduce((n, m) => n + m.content.length + 8, 0) / 4));
    const pieces = splitTokens(this.outputFor(messages, call));

    if (this.options.firstTokenDelayMs) await sleep(this.options.firstTokenDelayMs);
    let out = '';
    let tokens = 0;
    let firstTokenMs: number | null = null;
    let endedWithEos = false;
    // Like the real decoders: produce a token, then check the stopping policy.
    for (let i = 0; i <= pieces.length; i++) {
      if (this.options.tokenDelayMs) await sleep(this.options.tokenDelayMs);
      else await yieldTick();
      tokens++;
      if (firstTokenMs === null) firstTokenMs = this.now() - t0;
      if (i === pieces.length) {
        endedWithEos = true;
        break;
      }
      const piece = pieces[i]!;
      out += piece;
      yield { type: 'text', text: piece, tokens };
      if (tokens >= maxNewTokens || policy.interrupted()) break;
    }
    yield { type: 'end', text: out, tokens, promptTokens, stopReason: policy.finish(endedWithEos, tokens), firstTokenMs, generationMs: this.now() - t0 };
  }

  private outputFor(messages: ChatMessage[], call: number): string {
    const { outputs } = this.options;
    if (typeof outputs === 'function') return outputs(messages, call);
    if (!outputs || outputs.length === 0) return DEMO_OUTPUT;
    return outputs[call % outputs.length]!;
  }

  private async doLoad(): Promise<void> {
    const attempt = ++this.loadAttempts;
    this.setStatus({ state: 'loading', progress: 0, message: 'Loading scripted model…', error: undefined });
    const total = this.options.loadDelayMs ?? 0;
    const steps = total > 0 ? 4 : 1;
    for (let i = 1; i <= steps; i++) {
      if (total > 0) await sleep(total / steps);
      else await yieldTick();
      this.setStatus({ state: 'loading', progress: Math.round((i / steps) * 90), message: 'Loading model files' });
    }
    if (attempt <= (this.options.failLoads ?? 0)) {
      const error = this.options.loadErrorMessage ?? 'Scripted load failure.';
      this.setStatus({ state: 'error', progress: 0, message: 'Model failed to load.', error });
      throw new Error(error);
    }
    this.setStatus({ state: 'warming', progress: 95, message: 'Warming up' });
    await yieldTick();
    const device = this.options.device ?? 'cpu';
    this.setStatus({
      state: 'ready',
      progress: 100,
      message: `Ready: ${this.status().model} on ${device} (scripted).`,
      device,
      dtype: 'scripted',
    });
  }

  private setStatus(patch: Partial<Omit<ReadyStatus, 'queueDepth'>>): void {
    this.board.update(patch);
  }
}
