/**
 * The Gradio-compatible routes (gradio.ts) in the OpenAPI document, so /docs
 * lists them next to /api/*. They are plain Hono routes (their bodies follow
 * Gradio's protocol, not our zod schemas), so they are described here with
 * `registerPath` and nothing validates requests against these schemas.
 * Protocol: ../shared/specs/gradio-protocol.md.
 */
import { z } from '@hono/zod-openapi';
import { DIAGRAM_TYPES, DIRECTIONS } from '../../../common/limits.ts';
import type { App } from '../context.ts';
import { API_NAME, API_PREFIX, FN_INDEX } from './api.ts';

const P = API_PREFIX;
const TAG = 'Gradio';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const sse = (description: string, example: string) => ({
  description,
  content: { 'text/event-stream': { schema: z.string().openapi({ example }) } },
});

const IssueSchema = z
  .object({ __type__: z.literal('validate'), is_valid: z.literal(false), parameter_name: z.string(), message: z.string() })
  .openapi('GradioValidationIssue');

const GradioErrorSchema = z
  .object({
    detail: z.union([z.string(), z.array(IssueSchema), z.object({ auth_message: z.string() })]).openapi({
      description: 'A message; the list of bad parameters (422); or `{auth_message}` (401 on /config)',
    }),
  })
  .openapi('GradioError');

const gradioErrors = (...statuses: number[]) => {
  const text: Record<number, string> = {
    400: 'Missing or too long session_hash',
    401: 'Missing or wrong API key (when API_KEY is set)',
    404: 'No such function (fn_index) or endpoint (api_name)',
    422: 'Malformed input: `detail` lists each bad parameter',
    429: 'Rate limited (see Retry-After)',
    503: 'Queue full or shutting down (see Retry-After)',
  };
  return Object.fromEntries(statuses.map((s) => [s, json(GradioErrorSchema, text[s] ?? 'Error')]));
};

/** The six inputs of /generate, in order (positional `data`). */
const DataSchema = z
  .array(z.union([z.string(), z.number(), z.null()]))
  .max(6)
  .openapi({
    description:
      'Positional inputs of /generate: [description, diagram_type, direction, current_diagram, instruction, max_new_tokens]. ' +
      '`null` or missing trailing values take their defaults.',
    example: ['A user logs in; on failure they may retry up to 3 times, then the account is locked.', 'flowchart', 'TD'],
  });

const KeywordsSchema = z
  .object({
    description: z.string().openapi({ example: 'A user logs in; on failure they may retry up to 3 times, then the account is locked.' }),
    diagram_type: z.enum(DIAGRAM_TYPES).optional().openapi({ description: 'Default `auto`' }),
    direction: z.enum(DIRECTIONS).optional().openapi({ description: 'Default `TD`' }),
    current_diagram: z.string().optional().openapi({ description: 'Refinement: the Mermaid code to change' }),
    instruction: z.string().optional().openapi({ description: 'Refinement: how to change it' }),
    max_new_tokens: z.number().nullable().optional().openapi({ description: 'Default: the server maximum' }),
  })
  .openapi('GradioKeywordInputs');

const EventIdSchema = z.object({ event_id: z.string() }).openapi('GradioEventId');
const SuccessSchema = z.object({ success: z.literal(true) });
const AnyObject = z.record(z.string(), z.unknown());

const apiNameParam = z.object({ api_name: z.enum([API_NAME]).openapi({ param: { name: 'api_name', in: 'path' }, example: API_NAME }) });
const eventIdParam = z.string().openapi({ param: { name: 'event_id', in: 'path' }, description: 'From the POST' });

const CALL_EVENTS =
  'event: generating\ndata: ["flowchart TD\\n  A[Start]", {"stage":"generating","tokens":12}]\n\n' +
  'event: complete\ndata: ["flowchart TD\\n  A[Start] --> B[End]", {"code":"…","valid":true}]\n\n';

export function registerGradioDocs(app: App): void {
  const reg = app.openAPIRegistry;

  reg.registerPath({
    method: 'get',
    path: '/config',
    tags: [TAG],
    summary: 'Gradio app config (what Client.connect reads first)',
    description: 'Components, the one dependency `/generate` (fn_index 0), protocol `sse_v3` and the API prefix.',
    responses: { 200: json(AnyObject, 'Gradio config document'), ...gradioErrors(401) },
  });
  reg.registerPath({
    method: 'get',
    path: `${P}/info`,
    tags: [TAG],
    summary: 'Gradio API info (view_api): /generate, its parameters and returns',
    responses: { 200: json(AnyObject, '`{named_endpoints: {"/generate": …}, unnamed_endpoints: {}}`'), ...gradioErrors(401) },
  });
  reg.registerPath({
    method: 'get',
    path: `${P}/app_id`,
    tags: [TAG],
    summary: 'Gradio app id',
    responses: { 200: json(z.object({ app_id: z.string() }), 'The app id'), ...gradioErrors(401) },
  });

  reg.registerPath({
    method: 'post',
    path: `${P}/queue/join`,
    tags: [TAG],
    summary: 'Queue a /generate run (JS and Python clients)',
    description: 'Answers an `event_id` at once; the run\'s messages arrive on `GET /gradio_api/queue/data` for the same `session_hash`.',
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z
              .object({
                data: DataSchema,
                fn_index: z.literal(FN_INDEX).optional(),
                session_hash: z.string().max(128).openapi({ example: 'a1b2c3d4e5' }),
                event_data: z.unknown().optional(),
                trigger_id: z.number().nullable().optional(),
              })
              .openapi('GradioQueueJoin'),
          },
        },
      },
    },
    responses: { 200: json(EventIdSchema, 'Queued'), ...gradioErrors(400, 401, 404, 422, 429, 503) },
  });
  reg.registerPath({
    method: 'get',
    path: `${P}/queue/data`,
    tags: [TAG],
    summary: 'The session\'s message stream (server-sent events, data-only JSON lines)',
    description:
      'Messages for every event of the session: `estimation` (queue position), `process_starts`, `process_generating` ' +
      '(growing outputs), `process_completed`, `heartbeat`, then `close_stream` when nothing is pending. Leaving cancels pending runs.',
    request: { query: z.object({ session_hash: z.string().openapi({ param: { name: 'session_hash', in: 'query' } }) }) },
    responses: {
      200: sse('text/event-stream of Gradio queue messages', 'data: {"msg":"process_starts","event_id":"…"}\n\n'),
      ...gradioErrors(401),
    },
  });
  reg.registerPath({
    method: 'get',
    path: `${P}/heartbeat/{session_hash}`,
    tags: [TAG],
    summary: 'Heartbeat stream (no API key needed)',
    security: [],
    request: { params: z.object({ session_hash: z.string().openapi({ param: { name: 'session_hash', in: 'path' } }) }) },
    responses: { 200: sse('`data: ALIVE` every heartbeat interval', 'data: ALIVE\n\n') },
  });
  reg.registerPath({
    method: 'post',
    path: `${P}/cancel`,
    tags: [TAG],
    summary: 'Cancel a queued or running event (no API key needed: the ids are unguessable)',
    security: [],
    request: {
      body: {
        required: true,
        content: { 'application/json': { schema: z.object({ event_id: z.string(), session_hash: z.string().optional() }).openapi('GradioCancel') } },
      },
    },
    responses: { 200: json(SuccessSchema, 'Always `{success: true}`') },
  });
  reg.registerPath({
    method: 'post',
    path: `${P}/reset`,
    tags: [TAG],
    summary: 'Reset (a no-op kept for client compatibility)',
    security: [],
    responses: { 200: json(SuccessSchema, 'Always `{success: true}`') },
  });

  for (const v2 of [false, true]) {
    const base = `${P}/call${v2 ? '/v2' : ''}`;
    reg.registerPath({
      method: 'post',
      path: `${base}/{api_name}`,
      tags: [TAG],
      summary: v2 ? 'Start a /generate run from keyword inputs (curl, Gradio 6 snippets)' : 'Start a /generate run from positional `data` (curl)',
      description: `Answers an \`event_id\`; read the result with \`GET ${base}/${API_NAME}/{event_id}\`.`,
      request: {
        params: apiNameParam,
        body: {
          required: true,
          content: { 'application/json': { schema: v2 ? KeywordsSchema : z.object({ data: DataSchema }).openapi('GradioCallData') } },
        },
      },
      responses: { 200: json(EventIdSchema, 'Started'), ...gradioErrors(401, 404, 422, 429, 503) },
    });
    reg.registerPath({
      method: 'get',
      path: `${base}/{api_name}/{event_id}`,
      tags: [TAG],
      summary: `The run's result stream${v2 ? ' (v2)' : ''} (server-sent events)`,
      description:
        '`event: generating` frames with the full output array `[mermaid, {stage, tokens, …}]`, then one `event: complete` ' +
        '(`[mermaid, DiagramResult]`) or `event: error`. Finished results stay readable for 10 minutes; an unknown event id is one `event: error` frame.',
      request: { params: apiNameParam.extend({ event_id: eventIdParam }) },
      responses: { 200: sse('text/event-stream of Gradio call frames', CALL_EVENTS), ...gradioErrors(401) },
    });
  }
}
