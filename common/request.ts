/**
 * The one rule book for requests: what a generation request (and a piece of
 * Mermaid code to validate or repair) must be, checked in one place and used
 * by every door — HTTP (JSON, SSE, Gradio), the CLI, the eval bench and the
 * UI. The pipeline takes only a `ValidRequest`, the type this file alone
 * makes, so nothing downstream checks or clamps again.
 *
 * Every text limit counts UTF-16 code units (`string.length`), as a browser's
 * `maxlength` and the UI counter do: an emoji counts as 2.
 *
 *   const r = normalizeRequest(await res.json(), { maxNewTokens: 4000 });
 *   if (!r.ok) return refuse(r.error); // { code, message, field }
 *   for await (const event of pipeline(r.request, signal)) …
 *
 * Imports only other common/ files, so the browser bundle can use it.
 */
import type { ErrorCode } from './errors.ts';
import {
  DIAGRAM_TYPES,
  DIRECTIONS,
  MAX_DESCRIPTION_CHARS,
  MAX_DIAGRAM_CHARS,
  MAX_INSTRUCTION_CHARS,
  MIN_MAX_NEW_TOKENS,
  type DiagramType,
  type Direction,
} from './limits.ts';
import type { GenerateRequest } from './protocol.ts';

/** Fields a problem can name; the Gradio door renames them to its parameter names. */
export type RequestField = keyof GenerateRequest | 'code' | 'body';

export interface RequestProblem {
  code: ErrorCode;
  /**
   * `shape`: a wrong type, a missing field, an unknown choice (what a schema
   * says); `content`: the value's own problem (blank, too long, not text).
   * Gradio answers the first kind 422 at join, the second as a failed run.
   */
  kind: 'shape' | 'content';
  /** One sentence for a person; fields in backticks, as sent. */
  message: string;
  field: RequestField;
}

declare const checked: unique symbol;

/** A request that passed `normalizeRequest`: blank optional fields dropped, `maxNewTokens` resolved. */
export type ValidRequest = Readonly<GenerateRequest & { maxNewTokens: number }> & { readonly [checked]: true };

export type Normalized<T> = { ok: true; request: T } | { ok: false; error: RequestProblem };

/** The length every limit counts: UTF-16 code units, as the browser's `maxlength`. */
export function textLength(text: string): number {
  return text.length;
}

/** The limit of each text field, in UTF-16 code units. */
export const TEXT_LIMITS = {
  description: MAX_DESCRIPTION_CHARS,
  currentDiagram: MAX_DIAGRAM_CHARS,
  instruction: MAX_INSTRUCTION_CHARS,
  code: MAX_DIAGRAM_CHARS,
} as const;

type TextField = keyof typeof TEXT_LIMITS;

class Refusal extends Error {
  constructor(readonly problem: RequestProblem) {
    super(problem.message);
  }
}

function refuse(code: ErrorCode, field: RequestField, message: string, kind: RequestProblem['kind'] = 'content'): never {
  throw new Refusal({ code, kind, field, message });
}

// C0 controls except tab, LF, CR; DEL; C1 controls. Zero-width/bidi marks are text, not control.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// Half of a surrogate pair on its own (JSON's "\ud800"): not Unicode text; the tokenizer would turn it into U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/** A text field: its type, its length, and that it is text (no control characters, no lone surrogates). */
function text(field: TextField, value: unknown, required: boolean): string | undefined {
  if (value === undefined) {
    if (required) refuse('invalid_request', field, `\`${field}\` is required.`, 'shape');
    return undefined;
  }
  if (typeof value !== 'string') refuse('invalid_request', field, `\`${field}\` must be a string.`, 'shape');
  const limit = TEXT_LIMITS[field];
  const length = textLength(value);
  if (length > limit) {
    refuse(
      'too_large',
      field,
      `\`${field}\` is too long: ${length} characters, at most ${limit} characters (counted as a browser counts them: an emoji is 2).`,
    );
  }
  const control = CONTROL.exec(value);
  if (control) refuse('invalid_request', field, `\`${field}\` contains a control character (U+${hex(control[0].codePointAt(0)!)}); remove it and try again.`);
  const half = LONE_SURROGATE.exec(value);
  if (half) {
    refuse('invalid_request', field, `\`${field}\` is not valid Unicode text (a lone surrogate, U+${hex(half[0].charCodeAt(0))}); send it as UTF-8 text and try again.`);
  }
  return value;
}

function choice<T extends string>(field: RequestField, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    refuse('invalid_request', field, `\`${field}\` must be one of: ${allowed.join(', ')}.`, 'shape');
  }
  return value as T;
}

function object(raw: unknown): Record<string, unknown> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) refuse('invalid_request', 'body', 'The request body must be a JSON object.', 'shape');
  return raw as Record<string, unknown>;
}

function attempt<T>(fn: () => T): Normalized<T> {
  try {
    return { ok: true, request: fn() };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.problem };
    throw error;
  }
}

export interface RequestRules {
  /** The server's ceiling (MAX_NEW_TOKENS), also the default when the request names none. */
  maxNewTokens: number;
}

/**
 * Any input (parsed JSON, Gradio's values mapped to our names, CLI flags, the
 * UI's form) → a `ValidRequest`, or the first problem found. Unknown keys are
 * ignored, as JSON APIs usually do.
 */
export function normalizeRequest(raw: unknown, rules: RequestRules): Normalized<ValidRequest> {
  return attempt(() => {
    const body = object(raw);
    const description = text('description', body.description, true)!;
    const diagramType = choice<DiagramType>('diagramType', body.diagramType, DIAGRAM_TYPES);
    const direction = choice<Direction>('direction', body.direction, DIRECTIONS);
    const currentDiagram = text('currentDiagram', body.currentDiagram, false);
    const instruction = text('instruction', body.instruction, false);
    const maxNewTokens = tokens(body.maxNewTokens, rules.maxNewTokens);

    // A refinement (currentDiagram + instruction) may come without a description (docs/pipeline.md).
    const hasDiagram = Boolean(currentDiagram?.trim());
    const hasInstruction = Boolean(instruction?.trim());
    if (!(hasDiagram && hasInstruction) && !description.trim()) {
      refuse('empty_description', 'description', 'Describe the process first: the description is empty.');
    }
    if (hasInstruction && !hasDiagram) refuse('invalid_request', 'instruction', '`instruction` refines a diagram: send `currentDiagram` with it.');

    const out: GenerateRequest & { maxNewTokens: number } = { description, maxNewTokens };
    if (diagramType !== undefined) out.diagramType = diagramType;
    if (direction !== undefined) out.direction = direction;
    if (hasDiagram) out.currentDiagram = currentDiagram;
    if (hasInstruction) out.instruction = instruction;
    return out as ValidRequest;
  });
}

function tokens(value: unknown, ceiling: number): number {
  if (value === undefined) return ceiling;
  if (typeof value !== 'number' || !Number.isInteger(value)) refuse('invalid_request', 'maxNewTokens', '`maxNewTokens` must be an integer.', 'shape');
  if (value < MIN_MAX_NEW_TOKENS || value > ceiling) {
    refuse('invalid_request', 'maxNewTokens', `\`maxNewTokens\` must be between ${MIN_MAX_NEW_TOKENS} and ${ceiling} on this server.`);
  }
  return value;
}

/** The body of /api/validate and /api/repair (`{code}`) → the code, or the first problem. */
export function normalizeCode(raw: unknown): Normalized<string> {
  return attempt(() => text('code', object(raw).code, true)!);
}
