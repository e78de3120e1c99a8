/** The state's shape, shared by the state module, its reducer and the components. */
import type { DiagramType, Direction } from '../../../common/limits.ts';
import type { ApiError, DiagramResult, GenerateRequest, ParseError, StreamEvent, ValidateResult } from '../../../common/protocol.ts';
import type { KeyValueStore } from '../storage.ts';
import type { HistoryEntry } from './history.ts';
import type { ThreadTurn } from './thread.ts';

export type Phase = 'idle' | 'connecting' | 'queued' | 'loading' | 'generating' | 'repairing' | 'done' | 'error' | 'aborted';

export interface RunState {
  kind: 'generate' | 'refine';
  phase: Phase;
  queuePosition: number | null;
  queueLength: number | null;
  loadingProgress: number;
  loadingMessage: string;
  /** Budget announced by `started`, ms. */
  budgetMs: number | null;
  /** Client clock (ms) at `started`, for live tokens/s. */
  startedAt: number | null;
  tokens: number;
  /** The model's raw text so far (tail kept when very long). */
  text: string;
  repairing: { stage: 'deterministic' | 'model'; reason: string } | null;
  result: DiagramResult | null;
  error: ApiError | null;
}

export type Validation =
  | { status: 'empty' }
  | { status: 'pending' }
  /** Streaming: partial code not checked yet. */
  | { status: 'partial' }
  | { status: 'valid'; diagramType: string | null }
  | { status: 'invalid'; error: ParseError };

export interface Draft {
  description: string;
  diagramType: DiagramType;
  direction: Direction;
  code: string;
}

export interface UndoSnapshot extends Draft {
  /** What overwrote it, for the "Undo" notice: "example", "history", "link", "version", "generate", "refine". */
  reason: string;
}

export interface DiagramState extends Draft {
  instruction: string;
  validation: Validation;
  /** The last code known to parse: what the diagram view draws. */
  renderCode: string;
  /** Mermaid parsed `renderCode` but could not draw it. */
  renderError: ParseError | null;
  /** Sanitised SVG of the last successful drawing ('' before the first): what exports use. */
  svg: string;
  run: RunState | null;
  /** The refine thread of this diagram: its versions, first one first. */
  thread: ThreadTurn[];
  history: HistoryEntry[];
  /** Most recent last; `undo()` pops it. */
  undoStack: UndoSnapshot[];
  /** The server answered 401: the UI asks for a key, then `retry()`. */
  needsApiKey: boolean;
  /** The key this tab sent was refused (401 with a key): the key dialog says so. */
  keyRejected: boolean;
  /** The draft as last generated/restored/saved: edits since then are "unsaved". */
  baseline: { description: string; code: string };
}

export interface Deps {
  stream: (req: GenerateRequest, opts: { signal: AbortSignal }) => AsyncIterable<StreamEvent>;
  validate: (code: string) => Promise<ValidateResult>;
  storage: KeyValueStore | null;
  now: () => number;
  /** Delay before validating typed code. */
  debounceMs: number;
}
