/**
 * Gradio-compatible API, so the app is called like any Space with
 * `@gradio/client` (JS), `gradio_client` (Python) or curl. The routes only
 * move frames: runs come from `Runs` (the same pipeline as /api/*), events
 * become frames in frames.ts, queue streams live in sessions.ts, curl jobs
 * in calls.ts, the app's shape in api.ts, the OpenAPI entries in openapi.ts.
 *
 * Routes (P = /gradio_api): GET /config, GET P/info, POST P/queue/join,
 * GET P/queue/data (one multiplexed SSE stream per session), GET
 * P/heartbeat/:sh, POST P/cancel, POST P/reset, POST P/call[/v2]/generate and
 * GET P/call[/v2]/generate/:eid (curl), GET P/app_id.
 * Protocol: ../../shared/specs/gradio-protocol.md (sse_v3).
 */
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { App, AppEnv, RouteContext } from '../context.ts';
import { HttpError, toHttpError } from '../errors.ts';
import type { Transport } from '../runs.ts';
import { sseResponse, type SseOut } from '../sse.ts';
import type { Logger } from '../types.ts';
import { API_NAME, API_PREFIX, FN_INDEX, GradioInputError, dataFromKeywords, gradioConfig, gradioInfo, requestFromData, type GradioRequest } from './api.ts';
import { Calls } from './calls.ts';
import { GradioTranslator, QueueMessages, failedAction, type GradioAction } from './frames.ts';
import { registerGradioDocs } from './openapi.ts';
import { Sessions } from './sessions.ts';

/** How long a started job waits for its reader (queue/data, or the curl GET) before it is cancelled. */
export const DEFAULT_ATTACH_MS = 5_000;

export interface GradioHandle {
  /** Ends every stream and cancels pending Gradio runs (shutdown). */
  close(): void;
  /** For tests: live sessions and curl jobs. */
  readonly stats: () => { sessions: number; callJobs: number };
}

const shuttingDown = () => new HttpError('shutting_down', 'The server is shutting down.');

/**
 * Registers the routes on `app` (a group mounted at the root: /config and
 * /gradio_api/*); `guard` holds the per-route middlewares (app.ts).
 */
export function registerGradioRoutes(app: App, { deps, runs }: RouteContext, guard: GradioGuards): GradioHandle {
  const { config, logger, maxNewTokens } = deps;
  const attachMs = config.streamAttachMs ?? DEFAULT_ATTACH_MS;
  const sessions = new Sessions(attachMs);
  const calls = new Calls(attachMs);
  const heartbeats = new Set<SseOut>();
  const configDoc = gradioConfig({ title: config.title, maxNewTokens, spaceId: config.space?.id ?? null });
  const infoDoc = gradioInfo({ maxNewTokens });
  const P = API_PREFIX;

  /** Runs one request and hands every Gradio action to `emit`; never throws. */
  async function drive(asked: GradioRequest, job: { ac: AbortController; finished: boolean }, transport: Transport, emit: (a: GradioAction) => void, log: Logger) {
    const translator = new GradioTranslator();
    const finish = (a: GradioAction) => {
      if (job.finished) return;
      if (a.kind === 'completed' || a.kind === 'failed') job.finished = true;
      emit(a);
    };
    try {
      if (!asked.ok) {
        // Content problems: a failed completion, readable in every client; refused before any work, as on /api/*.
        deps.metrics.blocked.inc({ reason: asked.error.code });
        throw new HttpError(asked.error.code, asked.error.message);
      }
      for await (const ev of runs.run(asked.request, { signal: job.ac.signal, transport, log })) {
        if (job.finished) break;
        for (const a of translator.translate(ev)) finish(a);
      }
      if (!job.finished && !job.ac.signal.aborted) finish(failedAction({ code: 'internal', message: 'The run ended without a result.' }, translator.startedAt));
    } catch (err) {
      if (job.finished) return;
      const e = job.ac.signal.aborted && !(err instanceof HttpError) ? new HttpError('cancelled', 'Cancelled.') : toHttpError(err, log);
      finish(failedAction(e, translator.startedAt));
    }
  }

  /** Parses a JSON body; malformed → 422 in Gradio's list form. */
  async function readBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
    try {
      const body = await c.req.json();
      if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
    } catch {
      /* fall through */
    }
    throw new GradioInputError([{ __type__: 'validate', is_valid: false, parameter_name: 'body', message: 'must be a JSON object' }]);
  }

  function inputError(c: Context<AppEnv>, err: unknown): Response {
    if (err instanceof GradioInputError) {
      deps.metrics.blocked.inc({ reason: 'invalid_request' });
      c.set('logFields', { ...c.get('logFields'), blocked: 'invalid_request' });
      return c.json({ detail: err.issues }, 422);
    }
    throw err;
  }

  const message = (msg: object) => ({ data: JSON.stringify(msg) });
  const endWith = (frame: { event?: string; data: string }) => (out: SseOut) => {
    void out.send(frame);
    out.close();
  };

  registerGradioDocs(app);

  // --- discovery -----------------------------------------------------------
  const configRoute: MiddlewareHandler<AppEnv> = async (c, next) => {
    c.set('configRoute', true); // its 401 has Gradio's auth_message form (app.ts)
    await next();
  };
  for (const p of ['/config', '/config/']) app.get(p, configRoute, guard.keyed, (c) => c.json(configDoc));
  for (const p of [`${P}/info`, `${P}/info/`]) app.get(p, guard.keyed, (c) => c.json(infoDoc));
  for (const p of [`${P}/app_id`, `${P}/app_id/`]) app.get(p, guard.keyed, (c) => c.json({ app_id: configDoc.app_id }));

  // --- queue (JS and Python clients) ------------------------------------------
  app.post(`${P}/queue/join`, guard.starts, async (c) => {
    let asked: GradioRequest;
    let sessionHash: string;
    try {
      const body = await readBody(c);
      if (body.fn_index !== undefined && body.fn_index !== null && String(body.fn_index) !== String(FN_INDEX)) {
        return c.json({ detail: `No function with fn_index ${String(body.fn_index)}; this app has /${API_NAME} (fn_index ${FN_INDEX}).` }, 404);
      }
      if (typeof body.session_hash !== 'string' || !body.session_hash || body.session_hash.length > 128) {
        return c.json({ detail: 'Session hash not found.' }, 400);
      }
      sessionHash = body.session_hash;
      asked = requestFromData(body.data, maxNewTokens);
    } catch (err) {
      return inputError(c, err);
    }
    runs.assertAccepting();
    const eventId = randomUUID().replace(/-/g, '');
    const job = { eventId, ac: new AbortController(), finished: false, messages: new QueueMessages(eventId) };
    const session = sessions.join(sessionHash, job);
    c.set('logFields', { ...c.get('logFields'), eventId, descriptionChars: asked.ok ? asked.request.description.length : 0 });
    const emit = (a: GradioAction) => {
      const msg = job.messages.render(a);
      if (msg) session.send(msg);
      if (a.kind === 'completed' || a.kind === 'failed') session.completed(eventId);
    };
    void drive(asked, job, 'gradio', emit, c.get('log'));
    return c.json({ event_id: eventId });
  });

  app.get(`${P}/queue/data`, guard.keyed, (c) => {
    const session = sessions.get(c.req.query('session_hash') ?? '');
    const sse = (produce: (out: SseOut) => void, onLeave?: () => void) =>
      sseResponse(c, { heartbeatMs: config.heartbeatMs, heartbeat: message({ msg: 'heartbeat', event_id: null }), onLeave }, produce);
    if (!session) {
      return sse(endWith(message({ msg: 'unexpected_error', event_id: null, message: 'Session not found.', session_not_found: true, success: false })));
    }
    let mine: SseOut | null = null;
    return sse(
      (out) => {
        if (session.attach(out)) mine = out;
        else endWith(message({ msg: 'unexpected_error', event_id: null, message: 'This session already has an open stream; one reader per session.', success: false }))(out);
      },
      () => mine && session.left(mine),
    );
  });

  app.get(`${P}/heartbeat/:session_hash`, (c) => {
    let mine: SseOut | null = null;
    const onLeave = () => mine && heartbeats.delete(mine);
    return sseResponse(c, { heartbeatMs: config.heartbeatMs, heartbeat: { data: 'ALIVE' }, onLeave }, (out) => {
      heartbeats.add((mine = out));
      void out.send({ data: 'ALIVE' });
    });
  });

  app.post(`${P}/cancel`, guard.bounded, async (c) => {
    const body = await c.req.json().catch(() => ({}) as Record<string, unknown>);
    const eventId = typeof body?.event_id === 'string' ? body.event_id : '';
    const session = sessions.get(typeof body?.session_hash === 'string' ? body.session_hash : '');
    const job = session?.pending.get(eventId);
    if (session && job && !job.finished) {
      job.finished = true;
      job.ac.abort(new Error('cancelled by client'));
      session.send({
        msg: 'process_completed',
        event_id: eventId,
        success: false,
        title: 'Cancelled',
        output: { error: 'Cancelled by client', title: 'Cancelled', duration: null, visible: false },
      });
      session.completed(eventId);
    }
    const call = calls.get(eventId);
    if (call && !call.finished) {
      call.ac.abort(new Error('cancelled by client'));
      call.emit(failedAction({ code: 'cancelled', message: 'Cancelled by client' }, Date.now()));
    }
    return c.json({ success: true });
  });
  for (const p of [`${P}/reset`, `${P}/reset/`]) app.post(p, guard.bounded, (c) => c.json({ success: true }));

  // --- curl ("call") API ---------------------------------------------------------
  const callPost = (keywords: boolean) => async (c: Context<AppEnv>) => {
    if (c.req.param('api_name') !== API_NAME) {
      return c.json({ detail: `No endpoint named /${c.req.param('api_name')}; this app has /${API_NAME}.` }, 404);
    }
    let asked: GradioRequest;
    try {
      const body = await readBody(c);
      asked = requestFromData(keywords ? dataFromKeywords(body, maxNewTokens) : body.data, maxNewTokens);
    } catch (err) {
      return inputError(c, err);
    }
    runs.assertAccepting();
    const eventId = randomUUID().replace(/-/g, '');
    const job = calls.create(eventId);
    c.set('logFields', { ...c.get('logFields'), eventId, descriptionChars: asked.ok ? asked.request.description.length : 0 });
    void drive(asked, job, 'gradio_call', (a) => job.emit(a), c.get('log'));
    return c.json({ event_id: eventId });
  };

  const callGet = (c: Context<AppEnv>) => {
    const job = c.req.param('api_name') === API_NAME ? calls.get(c.req.param('event_id') ?? '') : undefined;
    const sse = (produce: (out: SseOut) => void, onLeave?: () => void) =>
      sseResponse(c, { heartbeatMs: config.heartbeatMs, heartbeat: { event: 'heartbeat', data: 'null' }, onLeave }, produce);
    if (!job) return sse(endWith({ event: 'error', data: JSON.stringify('Event not found: it finished more than 10 minutes ago, or never existed.') }));
    let mine: SseOut | null = null;
    return sse(
      (out) => {
        if (job.attach(out)) mine = out;
        else endWith({ event: 'error', data: JSON.stringify('This result already has a reader; one reader per event.') })(out);
      },
      () => mine && job.left(mine),
    );
  };

  for (const base of [`${P}/call`, `${P}/call/v2`]) {
    const keywords = base.endsWith('/v2');
    app.post(`${base}/:api_name`, guard.starts, callPost(keywords));
    app.post(`${base}/:api_name/`, guard.starts, callPost(keywords));
    app.get(`${base}/:api_name/:event_id`, guard.keyed, callGet);
  }

  // --- housekeeping: finished results, idle sessions ------------------------------
  const sweep = setInterval(() => {
    sessions.sweep();
    calls.sweep();
  }, 15_000);
  sweep.unref?.();

  return {
    close() {
      clearInterval(sweep);
      sessions.close(shuttingDown());
      calls.close(shuttingDown());
      for (const out of heartbeats) out.close();
      heartbeats.clear();
      logger.info({ sessions: sessions.size }, 'gradio streams closed');
    },
    stats: () => ({ sessions: sessions.size, callJobs: calls.size }),
  };
}

/** The middlewares Gradio's routes take (built by app.ts from its factories). */
export interface GradioGuards {
  /** Routes that need the API key (when one is set). */
  keyed: MiddlewareHandler<AppEnv>;
  /** Routes that start a run: rate limit, API key, body limit, JSON only. */
  starts: MiddlewareHandler<AppEnv>;
  /** Other routes with a body (cancel, reset): the body limit only. */
  bounded: MiddlewareHandler<AppEnv>;
}
