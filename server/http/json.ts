/**
 * JSON endpoints: POST /api/generate (the `done` payload of one run),
 * /api/validate and /api/repair (for code the user edited by hand).
 */
import { createRoute } from '@hono/zod-openapi';
import type { App, Guards, RouteContext } from './context.ts';
import { readCode, readGenerateRequest } from './body.ts';
import { HttpError, fromApiError } from './errors.ts';
import {
  CodeRequestSchema,
  DiagramResultSchema,
  GenerateRequestSchema,
  RepairResultSchema,
  ValidateResultSchema,
  errorResponses,
} from './schemas.ts';

const jsonBody = <T>(schema: T, description: string) => ({
  body: { content: { 'application/json': { schema } }, required: true, description },
});

export const generateRoute = createRoute({
  method: 'post',
  path: '/api/generate',
  tags: ['Generate'],
  summary: 'Generate a Mermaid diagram (waits for the result)',
  description:
    'Runs the whole pipeline (queue → model → extract → validate → repair) and returns the final result. ' +
    'Disconnecting cancels the run. For progress, use `/api/generate/stream`.',
  request: jsonBody(GenerateRequestSchema, 'What to draw'),
  responses: {
    200: { description: 'The final diagram (check `valid`)', content: { 'application/json': { schema: DiagramResultSchema } } },
    ...errorResponses(400, 401, 413, 415, 429, 500, 503),
  },
});

const validateRoute = createRoute({
  method: 'post',
  path: '/api/validate',
  tags: ['Diagrams'],
  summary: 'Check Mermaid code with the Mermaid parser',
  request: jsonBody(CodeRequestSchema, 'Mermaid code'),
  responses: {
    200: { description: 'Parse result; an invalid diagram is data, not an error', content: { 'application/json': { schema: ValidateResultSchema } } },
    ...errorResponses(400, 401, 413, 415, 429),
  },
});

const repairRoute = createRoute({
  method: 'post',
  path: '/api/repair',
  tags: ['Diagrams'],
  summary: 'Apply the deterministic repairs to Mermaid code',
  request: jsonBody(CodeRequestSchema, 'Mermaid code'),
  responses: {
    200: { description: 'Repaired code and the repairs applied', content: { 'application/json': { schema: RepairResultSchema } } },
    ...errorResponses(400, 401, 413, 415, 429),
  },
});

// The schemas document the routes; the rule book (common/request.ts) alone judges the bodies.
export function registerJsonRoutes(app: App, { deps, runs }: RouteContext, guards: Guards): void {
  app.openAPIRegistry.registerPath(generateRoute);
  app.openAPIRegistry.registerPath(validateRoute);
  app.openAPIRegistry.registerPath(repairRoute);

  app.post(generateRoute.path, guards.starts, async (c) => {
    const req = await readGenerateRequest(c, deps.maxNewTokens);
    runs.assertAccepting();
    c.set('logFields', { ...c.get('logFields'), descriptionChars: req.description.length });
    for await (const ev of runs.run(req, { signal: c.req.raw.signal, transport: 'json', log: c.get('log') })) {
      if (ev.type === 'done') {
        c.set('logFields', { ...c.get('logFields'), tokens: ev.result.tokens, budgetCut: ev.result.budgetCut, valid: ev.result.valid });
        return c.json(ev.result, 200);
      }
      if (ev.type === 'error') throw fromApiError(ev.error);
    }
    throw new HttpError('aborted', 'The request was cancelled before a result was ready.');
  });

  app.post(validateRoute.path, guards.checks, async (c) => {
    const code = await readCode(c);
    return c.json(await deps.validate(code), 200);
  });

  app.post(repairRoute.path, guards.checks, async (c) => {
    const code = await readCode(c);
    const result = await deps.repair(code);
    for (const name of result.repairs) deps.metrics.repairs.inc({ name });
    return c.json(result, 200);
  });
}
