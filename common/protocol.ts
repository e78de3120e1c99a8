/**
 * The one contract between server and UI: what a generation request carries,
 * every event a run streams, and the final result. The JSON endpoint returns
 * the `done` payload, the SSE endpoint sends every event, and the Gradio
 * adapter maps the same events onto Gradio frames: three transports, one
 * source of truth.
 */
import type { ErrorCode } from './errors.ts';
import type { DiagramType, Direction } from './limits.ts';

export interface GenerateRequest {
  /** The process in plain language, any language. Data, never instructions. */
  description: string;
  diagramType?: DiagramType;
  direction?: Direction;
  /** Refinement: the diagram to change, with `instruction` saying how. */
  currentDiagram?: string;
  instruction?: string;
  maxNewTokens?: number;
}

/** A parser error, as data: `line` is 1-based within the Mermaid code when known. */
export interface ParseError {
  line?: number;
  message: string;
}

export type ValidateResult =
  | { ok: true; diagramType: string }
  | { ok: false; line?: number; message: string };

/**
 * What a repair changed in the *content* of a diagram (as opposed to its
 * syntax, which `repairs` names). Shown to the person, so that nothing the
 * model wrote disappears or moves silently. docs/pipeline.md says what each means.
 */
export type ChangeKind =
  /** An id used with two different labels: the second became a node of its own, its edges re-pointed. */
  | 'split-duplicate-id'
  /** The half-written last line of an answer cut by the token budget was dropped. */
  | 'dropped-cut-line'
  /** A line that could not be read as part of the diagram (a note, prose between statements) was left out. */
  | 'dropped-line'
  /** A styling statement that cannot apply (e.g. `linkStyle` past the last edge) was left out. */
  | 'dropped-style'
  /** Configuration the model wrote (`%%{init}%%`, front matter `config:`) was removed; never taken from a model. */
  | 'removed-config'
  /** Interaction (`click`, `callback`, `link`) or active HTML was removed; never taken from a model. */
  | 'removed-interaction'
  /** The content check found something the model wrote that the diagram does not draw (message lists it). */
  | 'lost-content'
  /** The type cannot draw what the model wrote (a sankey with names outside ASCII): redrawn as another type that can. */
  | 'converted-type'
  /** An edge text with no target (`D -- "text"`, `D -->|text|` where an answer stops): drawn as a node the edge points to. */
  | 'edge-text-as-node'
  /** Comments (`%% …`) the repaired code could not keep were left out (the message lists them). */
  | 'removed-comment'
  /** A value the type requires and the model left out was filled in (a journey task's score: 3, neutral). */
  | 'added-value'
  /** A mind map written with several roots: the later roots are drawn under the first, with their branches. */
  | 'joined-roots';

export interface DiagramChange {
  kind: ChangeKind;
  /** One sentence for a person, naming what changed (ids and labels as written). */
  message: string;
  /** 1-based line of the code the change concerns (in the model's code), when there is one. */
  line?: number;
}

export interface RepairResult {
  code: string;
  valid: boolean;
  diagramType: string | null;
  /** Names of the deterministic repairs applied, in order (e.g. "quote-labels"). */
  repairs: string[];
  /** What changed in the content; [] when the diagram draws exactly what the model wrote. */
  changes: DiagramChange[];
  error?: ParseError;
}

/** Milliseconds; `null` when the stage did not happen (e.g. no token before the budget). */
export interface Timings {
  queueMs: number;
  loadMs: number;
  firstTokenMs: number | null;
  generationMs: number;
  repairMs: number;
  totalMs: number;
}

/** Why generation stopped; the one list (schemas, engine, pipeline and UI import it). */
export const STOP_REASONS = ['eos', 'max_tokens', 'budget', 'aborted'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export interface DiagramResult {
  /** Final Mermaid code (repaired when repairs applied); '' when nothing usable came out. */
  code: string;
  diagramType: string | null;
  valid: boolean;
  repairs: string[];
  /** What the repairs changed in the content (see ChangeKind); [] when nothing. */
  changes: DiagramChange[];
  /** True when a second model pass was used to fix a parse error. */
  retried: boolean;
  error?: ParseError;
  /** True when the GPU budget stopped generation before the model finished. */
  budgetCut: boolean;
  stopReason: StopReason;
  /** Generated tokens (all passes). */
  tokens: number;
  tokensPerSecond: number;
  timings: Timings;
  /**
   * True when the model could only write text of the flowchart grammar
   * (CONSTRAINED, docs/engine.md): valid by construction, no fences or prose.
   * This server always sets it; absent from older ones.
   */
  constrained?: boolean;
  /** Device and model that produced it, for the UI's footer and logs. */
  device?: string;
  model?: string;
}

export interface ApiError {
  /**
   * Stable machine-readable code: the server's (common/errors.ts, e.g.
   * "queue_full"), or one the browser gives a failure that never reached it.
   */
  code: ErrorCode | ClientErrorCode;
  /** One sentence for a person, saying what to do. */
  message: string;
  retryAfterSeconds?: number;
}

/** Failures the browser names itself: no answer, a stream cut short, a status without our error body. */
export type ClientErrorCode = 'network' | 'stream_closed' | `http_${number}`;

/** Everything a streamed run can say, in the order it usually says it. */
export type StreamEvent =
  /** Waiting for the model; position 1 = next to run. */
  | { type: 'queued'; position: number; queueLength: number }
  /** Model download/load/warm-up progress, 0..100. */
  | { type: 'loading'; progress: number; message: string }
  /** The request now holds the model; the GPU budget starts. */
  | { type: 'started'; budgetMs: number }
  /** New text from the model; `tokens` is the running count. */
  | { type: 'token'; text: string; tokens: number }
  /** The diagram extracted so far (may be partial), with its validity when checked. */
  | { type: 'candidate'; code: string; valid: boolean; error?: ParseError }
  /** The model's diagram did not parse; repairs follow. */
  | { type: 'invalid'; code: string; error: ParseError }
  | { type: 'repairing'; stage: 'deterministic' | 'model'; reason: string }
  | { type: 'done'; result: DiagramResult }
  | { type: 'error'; error: ApiError };

export type StreamEventType = StreamEvent['type'];

/** Engine/model readiness, as `/api/ready` reports it and the UI shows it. */
export interface ReadyStatus {
  state: 'idle' | 'loading' | 'warming' | 'ready' | 'error';
  /** 0..100 while loading. */
  progress: number;
  message: string;
  model: string;
  device: 'cuda' | 'cpu' | null;
  dtype: string | null;
  error?: string;
  /** After a failed load: when (ISO time) the engine tries again; the wait doubles after each failure. */
  retryAt?: string;
  queueDepth: number;
}
