/**
 * Zod schemas for every request and response body, for the OpenAPI document
 * (/openapi.json). They validate nothing: request bodies are judged by the
 * rule book (common/request.ts) alone, which counts lengths in UTF-16 code
 * units (zod's `max` counts code points, so it must not be the judge).
 * Types must stay assignable to common/protocol.ts (checked at the bottom).
 */
import { z } from '@hono/zod-openapi';
import { STOP_REASONS, type DiagramResult, type GenerateRequest, type ReadyStatus, type RepairResult, type ValidateResult } from '../../common/protocol.ts';
import {
  DIAGRAM_TYPES,
  DIRECTIONS,
  MAX_DESCRIPTION_CHARS,
  MAX_DIAGRAM_CHARS,
  MAX_INSTRUCTION_CHARS,
  MIN_MAX_NEW_TOKENS,
} from '../../common/limits.ts';

export const GenerateRequestSchema = z
  .object({
    description: z.string().max(MAX_DESCRIPTION_CHARS).openapi({
      description: `The process in plain language (any language). Treated as data, never as instructions. At most ${MAX_DESCRIPTION_CHARS} UTF-16 code units (an emoji counts 2), as a browser's maxlength counts.`,
      example: 'A user logs in; on failure they may retry up to 3 times, then the account is locked.',
    }),
    diagramType: z.enum(DIAGRAM_TYPES).optional().openapi({ description: 'Diagram kind; `auto` lets the model choose.', example: 'flowchart' }),
    direction: z.enum(DIRECTIONS).optional().openapi({ description: 'Flowchart direction.', example: 'TD' }),
    currentDiagram: z.string().max(MAX_DIAGRAM_CHARS).optional().openapi({ description: `Refinement: the Mermaid code to change (at most ${MAX_DIAGRAM_CHARS} UTF-16 code units).` }),
    instruction: z.string().max(MAX_INSTRUCTION_CHARS).optional().openapi({ description: `Refinement: how to change \`currentDiagram\` (at most ${MAX_INSTRUCTION_CHARS} UTF-16 code units).` }),
    maxNewTokens: z
      .number()
      .int()
      .min(MIN_MAX_NEW_TOKENS)
      .optional()
      // The ceiling is the server's MAX_NEW_TOKENS (default 4000), checked by the rule book.
      .openapi({ description: 'Cap on generated tokens: 1 … the server\'s `MAX_NEW_TOKENS` (default 4000).', example: 1024 }),
  })
  .openapi('GenerateRequest');

export const CodeRequestSchema = z
  .object({
    code: z.string().max(MAX_DIAGRAM_CHARS).openapi({ description: `Mermaid code, at most ${MAX_DIAGRAM_CHARS} UTF-16 code units.`, example: 'flowchart TD\n  A[Start] --> B[End]' }),
  })
  .openapi('CodeRequest');

const ParseErrorSchema = z.object({ line: z.number().int().optional(), message: z.string() }).openapi('ParseError');

export const TimingsSchema = z
  .object({
    queueMs: z.number(),
    loadMs: z.number(),
    firstTokenMs: z.number().nullable(),
    generationMs: z.number(),
    repairMs: z.number(),
    totalMs: z.number(),
  })
  .openapi('Timings');

export const DiagramChangeSchema = z
  .object({
    kind: z.enum([
      'split-duplicate-id',
      'dropped-cut-line',
      'dropped-line',
      'dropped-style',
      'removed-config',
      'removed-interaction',
      'lost-content',
      'converted-type',
      'edge-text-as-node',
      'removed-comment',
      'added-value',
      'joined-roots',
    ]),
    message: z.string(),
    line: z.number().int().optional(),
  })
  .openapi('DiagramChange', {
    description: 'What a repair changed in the content of the diagram (docs/pipeline.md lists the kinds).',
  });

export const DiagramResultSchema = z
  .object({
    code: z.string(),
    diagramType: z.string().nullable(),
    valid: z.boolean(),
    repairs: z.array(z.string()),
    changes: z.array(DiagramChangeSchema),
    retried: z.boolean(),
    error: ParseErrorSchema.optional(),
    budgetCut: z.boolean(),
    constrained: z.boolean().optional().openapi({ description: 'True when the model could only write text of the flowchart grammar (CONSTRAINED): valid by construction.' }),
    stopReason: z.enum(STOP_REASONS),
    tokens: z.number(),
    tokensPerSecond: z.number(),
    timings: TimingsSchema,
    device: z.string().optional(),
    model: z.string().optional(),
  })
  .openapi('DiagramResult');

export const ValidateResultSchema = z
  .union([
    z.object({ ok: z.literal(true), diagramType: z.string() }),
    z.object({ ok: z.literal(false), line: z.number().int().optional(), message: z.string() }),
  ])
  .openapi('ValidateResult');

export const RepairResultSchema = z
  .object({
    code: z.string(),
    valid: z.boolean(),
    diagramType: z.string().nullable(),
    repairs: z.array(z.string()),
    changes: z.array(DiagramChangeSchema),
    error: ParseErrorSchema.optional(),
  })
  .openapi('RepairResult');

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'empty_description' }),
      message: z.string().openapi({ example: 'Describe the process first: the description is empty.' }),
      retryAfterSeconds: z.number().optional(),
      errorId: z.string().optional(),
    }),
  })
  .openapi('Error');

export const ReadyStatusSchema = z
  .object({
    state: z.enum(['idle', 'loading', 'warming', 'ready', 'error']),
    progress: z.number(),
    message: z.string(),
    model: z.string(),
    device: z.enum(['cuda', 'cpu']).nullable(),
    dtype: z.string().nullable(),
    error: z.string().optional(),
    queueDepth: z.number(),
  })
  .openapi('ReadyStatus');

export const HealthSchema = z
  .object({
    ok: z.literal(true),
    uptimeSeconds: z.number(),
    buildId: z.string().nullable().openapi({ description: 'The build this process runs (BUILD_ID), or null' }),
    space: z
      .object({ id: z.string(), url: z.string().nullable() })
      .nullable()
      .openapi({ description: 'On Hugging Face Spaces: the Space id (SPACE_ID) and public URL (SPACE_HOST); else null' }),
  })
  .openapi('Health');

/** Standard error responses, for the OpenAPI document. */
export function errorResponses(...statuses: number[]) {
  const text: Record<number, string> = {
    400: 'Invalid request (wrong types, empty description, control characters, invalid JSON)',
    415: 'Body not sent as `Content-Type: application/json`',
    401: 'Missing or wrong API key',
    413: 'Body or field too large',
    429: 'Rate limited (see Retry-After)',
    500: 'Internal error (with an error id)',
    503: 'Queue full, model unavailable or shutting down (see Retry-After)',
  };
  return Object.fromEntries(
    statuses.map((s) => [s, { description: text[s] ?? 'Error', content: { 'application/json': { schema: ErrorBodySchema } } }]),
  );
}

// Compile-time checks: the schemas describe the contract's types.
type Assert<T extends true> = T;
type Extends<A, B> = [A] extends [B] ? true : false;
export type _Checks = [
  Assert<Extends<z.infer<typeof GenerateRequestSchema>, GenerateRequest>>,
  Assert<Extends<DiagramResult, z.infer<typeof DiagramResultSchema>>>,
  Assert<Extends<ValidateResult, z.infer<typeof ValidateResultSchema>>>,
  Assert<Extends<RepairResult, z.infer<typeof RepairResultSchema>>>,
  Assert<Extends<ReadyStatus, z.infer<typeof ReadyStatusSchema>>>,
];
