/**
 * Numbers the UI and the server must agree on. Imported by both sides, so
 * this file imports nothing.
 */

/** Longest description accepted, in characters (about 2,000 words). */
export const MAX_DESCRIPTION_CHARS = 8_000;
/** Longest Mermaid source accepted for validate/repair/refine, in characters. */
export const MAX_DIAGRAM_CHARS = 20_000;
/** Longest refinement instruction, in characters. */
export const MAX_INSTRUCTION_CHARS = 2_000;
/** Largest JSON request body, in bytes. Bigger than the sum above, with room for JSON escaping. */
export const MAX_BODY_BYTES = 128 * 1024;

/** Each request may hold the model (GPU) this long, repairs included. */
export const DEFAULT_BUDGET_MS = 60_000;
/** The seed's figure: enough for a 100-node flowchart. */
export const DEFAULT_MAX_NEW_TOKENS = 4_000;
export const MIN_MAX_NEW_TOKENS = 1;

/** Waiting jobs beyond the running one; more are refused with 503 + Retry-After. */
export const DEFAULT_QUEUE_LENGTH = 32;

/** How many diagrams the UI keeps in local history. */
export const HISTORY_LIMIT = 50;

export const DIAGRAM_TYPES = [
  'auto',
  'flowchart',
  'sequence',
  'state',
  'class',
  'er',
  'gantt',
  'mindmap',
  'timeline',
  'journey',
] as const;
export type DiagramType = (typeof DIAGRAM_TYPES)[number];

export const DIRECTIONS = ['TD', 'LR'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Default HTTP port: Spaces' `app_port` and Cloud Run's `PORT` default agree on it. */
export const DEFAULT_PORT = 7860;
