/**
 * Gradio-compatible API, so the app is called like any Space with
 * `@gradio/client` (JS), `gradio_client` (Python) or curl. This file only
 * moves frames: runs come from `Runs` (the same pipeline as /api/*), events
 * are translated in gradio-frames.ts, the app's shape is in gradio-api.ts.
 *
 * Routes (P = /gradio_api): GET /config, GET P/info, POST P/queue/join,
 * GET P/queue/data (one multiplexed SSE stream per session), GET
 * P/heartbeat/:sh, POST P/cancel, POST P/reset, POST P/call[/v2]/generate and
 * GET P/call[/v2]/generate/:eid (curl), GET P/app_id. Their OpenAPI entries
 * are in gradio-openapi.ts.
 * Protocol: ../shared/specs/gradio-protocol.md (sse_v3).
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { GenerateRequest } from '../../common/protocol.ts';
import type { App, AppEnv, RouteContext } from './context.ts';
import { HttpError, toHttpError } from './errors.ts';
import {
  API_NAME,
  API_PREFIX,
  FN_INDEX,
  GradioInputError,
  dataFromKeywords,
  gradioConfig,
  gradioInfo,
  requestFromData,
} from './gradio-api.ts';
import { type GradioAction, GradioTranslator, QueueMessages, callFrame, failedAction } from './gradio-frames.ts';
import { registerGradioDocs } from './gradio-openapi.ts';
import type { Transport } from './runs.ts';
import { SSE_HEADERS } from './stream.ts';
import type { Logger } from './types.ts';
import { checkGenerate } from './validation.ts';

const encoder = new TextEncoder();
/** Wait this long after a session's last completion before close_stream (a join may be in flight). */
const CLOSE_GRACE_MS = 100;
/** A run whose client never opened (or left) its stream is cancelled after this long. */
const ORPHAN_MS = 60_000;
/** Finished curl results are kept this long for their GET. */
const RESULT_TTL_MS = 10 * 60_000;
/** Idle sessions (nothing pending, no stream) are forgotten after this long. */
const SESSION_TTL_MS = 10 * 60_000;

type Sink = ReadableStreamDefaultController<Uint8Array>;

function safeEnqueue(sink: Sink, text: string): boolean {
  try {
    sink.enqueue(encoder.encode(text));
    return true;
  } catch {
    return false;
  }
}
function safeClose(sink: Sink): void {
  try {
    sink.close();
  } catch {
    /* already closed or cancelled */
  }
}

/** An SSE response whose body is driven by `attach` and ends by `onCancel` when the client leaves. */
function sseResponse(attach: (sink: Sink) => void, onCancel: (sink: Sink) => void): Response {
  let sink: Sink;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      sink = controller;
      attach(controller);
    },
    cancel() {
      onCancel(sink);
    },
  });
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}

interface Job {
  eventId: string;
  ac: AbortController;
  finished: boolean;
  createdAt: number;
}

/** One client's queue stream: pending events, buffered frames, the attached response. */
class Session {
  readonly frames: string[] = [];
  readonly pending = new Map<string, Job & { messages: QueueMessages }>();
  sink: Sink | null = null;
  lastActive = Date.now();
  detachedSince = Date.now();
  #heartbeat: NodeJS.Timeout | null = null;
  #closeTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly hash: string,
    private readonly heartbeatMs: number,
  ) {}

  send(msg: object): void {
    this.lastActive = Date.now();
    const frame = `data: ${JSON.stringify(msg)}\n\n`;
    if (this.sink && safeEnqueue(this.sink, frame)) return;
    this.frames.push(frame);
  }

  attach(sink: Sink): void {
    if (this.sink && this.sink !== sink) this.#end(this.sink); // a second GET replaces the first
    this.sink = sink;
    this.lastActive = Date.now();
    for (const f of this.frames.splice(0)) safeEnqueue(sink, f);
    this.#heartbeat = setInterval(() => this.send({ msg: 'heartbeat', event_id: null }), this.heartbeatMs);
    this.#heartbeat.unref?.();
    if (this.pending.size === 0) this.#closeStream();
  }

  detach(sink: Sink): void {
    if (this.sink !== sink) return;
    this.sink = null;
    this.detachedSince = Date.now();
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }

  /** After a completion: when nothing else is pending, close the stream (after a short grace). */
  completed(eventId: string): void {
    this.pending.delete(eventId);
    if (this.pending.size > 0 || this.#closeTimer) return;
    this.#closeTimer = setTimeout(() => {
      this.#closeTimer = null;
      if (this.pending.size === 0 && this.sink) this.#closeStream();
    }, CLOSE_GRACE_MS);
    this.#closeTimer.unref?.();
  }

  #closeStream(): void {
    if (!this.sink) return;
    safeEnqueue(this.sink, `data: ${JSON.stringify({ msg: 'close_stream', event_id: null })}\n\n`);
    this.#end(this.sink);
  }

  #end(sink: Sink): void {
    this.detach(sink);
    safeClose(sink);
  }

  close(): void {
    if (this.#closeTimer) clearTimeout(this.#closeTimer);
    for (const job of this.pending.values()) job.ac.abort(new HttpError('shutting_down', 'The server is shutting down.'));
    if (this.sink) this.#closeStream();
  }
}

/** A curl-route event: the latest partial frame and the final one, until fetched or expired. */
interface CallJob extends Job {
  latest: string | null;
  final: string | null;
  sink: Sink | null;
  detachedSince: number;
  heartbeat: NodeJS.Timeout | null;
}

/** Our JSON field names in a message → the Gradio parameter names the caller used. */
const GRADIO_NAMES: Record<string, string> = {
  diagramType: 'diagram_type',
  currentDiagram: 'current_diagram',
  maxNewTokens: 'max_new_tokens',
};
function gradioNames(message: string): string {
  return message.replace(/`(diagramType|currentDiagram|maxNewTokens)`/g, (_, name: string) => `\`${GRADIO_NAMES[name]}\``);
}

export interface GradioHandle {
  /** Ends every stream and cancels pending Gradio runs (shutdown). */
  close(): void;
  /** For tests: live sessions and curl jobs. */
  readonly stats: () => { sessions: number; callJobs: number };
}

export function registerGradioRoutes(app: App, { deps, runs }: RouteContext): GradioHandle {
  const { config, logger } = deps;
  const maxNewTokens = deps.pipeline.maxNewTokens;
  const sessions = new Map<string, Session>();
  const callJobs = new Map<string, CallJob>();
  const heartbeatStreams = new Set<Sink>();
  const configDoc = gradioConfig({ title: config.title, maxNewTokens });
  const infoDoc = gradioInfo({ maxNewTokens });

  /** Runs one request and hands every Gradio action to `emit`; never throws. */
  async function drive(req: GenerateRequest, job: Job, transport: Transport, emit: (a: GradioAction) => void, log: Logger) {
    const translator = new GradioTranslator();
    const finish = (a: GradioAction) => {
      if (job.finished) return;
      if (a.kind === 'completed' || a.kind === 'failed') job.finished = true;
      emit(a);
    };
    try {
      let checked: GenerateRequest;
      try {
        checked = checkGenerate(req, maxNewTokens); // semantic problems: a failed completion, readable in every client
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        deps.metrics.blocked.inc({ reason: err.code }); // refused before any work, as on /api/*
        throw new HttpError(err.code, gradioNames(err.message), { status: err.status });
      }
      for await (const ev of runs.run(checked, { signal: job.ac.signal, transport, log })) {
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
  async function readJson(c: Context<AppEnv>): Promise<Record<string, unknown>> {
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

  registerGradioDocs(app);

  // --- discovery -----------------------------------------------------------
  for (const p of ['/config', '/config/']) app.get(p, (c) => c.json(configDoc));
  for (const p of [`${API_PREFIX}/info`, `${API_PREFIX}/info/`]) app.get(p, (c) => c.json(infoDoc));
  for (const p of [`${API_PREFIX}/app_id`, `${API_PREFIX}/app_id/`]) app.get(p, (c) => c.json({ app_id: configDoc.app_id }));

  // --- queue (JS and Python clients) ------------------------------------------
  app.post(`${API_PREFIX}/queue/join`, async (c) => {
    let req: GenerateRequest;
    let sessionHash: string;
    try {
      const body = await readJson(c);
      if (body.fn_index !== undefined && body.fn_index !== null && String(body.fn_index) !== String(FN_INDEX)) {
        return c.json({ detail: `No function with fn_index ${String(body.fn_index)}; this app has /${API_NAME} (fn_index ${FN_INDEX}).` }, 404);
      }
      if (typeof body.session_hash !== 'string' || !body.session_hash || body.session_hash.length > 128) {
        return c.json({ detail: 'Session hash not found.' }, 400);
      }
      sessionHash = body.session_hash;
      req = requestFromData(body.data, maxNewTokens);
    } catch (err) {
      return inputError(c, err);
    }
    runs.assertAccepting();
    let session = sessions.get(sessionHash);
    if (!session) {
      session = new Session(sessionHash, config.heartbeatMs);
      sessions.set(sessionHash, session);
    }
    const eventId = randomUUID().replace(/-/g, '');
    const job = { eventId, ac: new AbortController(), finished: false, createdAt: Date.now(), messages: new QueueMessages(eventId) };
    session.pending.set(eventId, job);
    const s = session;
    const log = c.get('log');
    c.set('logFields', { ...c.get('logFields'), eventId, descriptionChars: req.description.length });
    void drive(
      req,
      job,
      'gradio',
      (a) => {
        const msg = job.messages.render(a);
        if (msg) s.send(msg);
        if (a.kind === 'completed' || a.kind === 'failed') s.completed(eventId);
      },
      log,
    );
    return c.json({ event_id: eventId });
  });

  app.get(`${API_PREFIX}/queue/data`, (c) => {
    const hash = c.req.query('session_hash') ?? '';
    const session = sessions.get(hash);
    c.set('routeLabel', `${API_PREFIX}/queue/data`);
    if (!session) {
      return sseResponse(
        (sink) => {
          safeEnqueue(sink, `data: ${JSON.stringify({ msg: 'unexpected_error', event_id: null, message: 'Session not found.', session_not_found: true, success: false })}\n\n`);
          safeClose(sink);
        },
        () => {},
      );
    }
    return sseResponse(
      (sink) => session.attach(sink),
      (sink) => {
        // The client left: drop its pending events and free the model (as Gradio does).
        if (session.sink !== sink) return;
        session.detach(sink);
        for (const job of session.pending.values()) job.ac.abort(new Error('client disconnected'));
      },
    );
  });

  app.get(`${API_PREFIX}/heartbeat/:session_hash`, () =>
    sseResponse(
      (sink) => {
        heartbeatStreams.add(sink);
        safeEnqueue(sink, 'data: ALIVE\n\n');
        const t = setInterval(() => {
          if (!safeEnqueue(sink, 'data: ALIVE\n\n')) clearInterval(t);
        }, config.heartbeatMs);
        t.unref?.();
        (sink as Sink & { timer?: NodeJS.Timeout }).timer = t;
      },
      (sink) => {
        clearInterval((sink as Sink & { timer?: NodeJS.Timeout }).timer);
        heartbeatStreams.delete(sink);
      },
    ),
  );

  const cancelHandler = async (c: Context<AppEnv>) => {
    const body = await c.req.json().catch(() => ({}) as Record<string, unknown>);
    const eventId = typeof body?.event_id === 'string' ? body.event_id : '';
    const hash = typeof body?.session_hash === 'string' ? body.session_hash : '';
    const session = sessions.get(hash);
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
    const call = callJobs.get(eventId);
    if (call && !call.finished) {
      call.ac.abort(new Error('cancelled by client'));
      emitCall(call, failedAction({ code: 'cancelled', message: 'Cancelled by client' }, call.createdAt));
    }
    return c.json({ success: true });
  };
  app.post(`${API_PREFIX}/cancel`, cancelHandler);
  app.post(`${API_PREFIX}/reset`, (c) => c.json({ success: true }));
  app.post(`${API_PREFIX}/reset/`, (c) => c.json({ success: true }));

  // --- curl ("call") API ---------------------------------------------------------
  function emitCall(job: CallJob, a: GradioAction): void {
    const f = callFrame(a);
    if (!f) return;
    if (a.kind === 'completed' || a.kind === 'failed') job.finished = true;
    const text = `event: ${f.event}\ndata: ${JSON.stringify(f.data)}\n\n`;
    if (job.finished) job.final = text;
    else job.latest = text;
    if (job.sink) {
      safeEnqueue(job.sink, text);
      if (job.finished) endCallSink(job);
    }
  }

  function endCallSink(job: CallJob): void {
    if (!job.sink) return;
    const sink = job.sink;
    job.sink = null;
    if (job.heartbeat) clearInterval(job.heartbeat);
    job.heartbeat = null;
    job.detachedSince = Date.now();
    safeClose(sink);
  }

  const callPost = (keywords: boolean) => async (c: Context<AppEnv>) => {
    if (c.req.param('api_name') !== API_NAME) {
      return c.json({ detail: `No endpoint named /${c.req.param('api_name')}; this app has /${API_NAME}.` }, 404);
    }
    let req: GenerateRequest;
    try {
      const body = await readJson(c);
      req = requestFromData(keywords ? dataFromKeywords(body, maxNewTokens) : body.data, maxNewTokens);
    } catch (err) {
      return inputError(c, err);
    }
    runs.assertAccepting();
    const eventId = randomUUID().replace(/-/g, '');
    const job: CallJob = {
      eventId,
      ac: new AbortController(),
      finished: false,
      createdAt: Date.now(),
      latest: null,
      final: null,
      sink: null,
      detachedSince: Date.now(),
      heartbeat: null,
    };
    callJobs.set(eventId, job);
    c.set('logFields', { ...c.get('logFields'), eventId, descriptionChars: req.description.length });
    void drive(req, job, 'gradio_call', (a) => emitCall(job, a), c.get('log'));
    return c.json({ event_id: eventId });
  };

  const callGet = (c: Context<AppEnv>) => {
    const job = callJobs.get(c.req.param('event_id') ?? '');
    if (c.req.param('api_name') !== API_NAME || !job) {
      return sseResponse(
        (sink) => {
          safeEnqueue(sink, `event: error\ndata: ${JSON.stringify('Event not found: it finished more than 10 minutes ago, or never existed.')}\n\n`);
          safeClose(sink);
        },
        () => {},
      );
    }
    return sseResponse(
      (sink) => {
        if (job.sink) endCallSink(job);
        if (job.latest && !job.final) safeEnqueue(sink, job.latest);
        if (job.final) {
          safeEnqueue(sink, job.final);
          safeClose(sink);
          return;
        }
        job.sink = sink;
        job.heartbeat = setInterval(() => job.sink && safeEnqueue(job.sink, 'event: heartbeat\ndata: null\n\n'), config.heartbeatMs);
        job.heartbeat.unref?.();
      },
      (sink) => {
        if (job.sink !== sink) return;
        endCallSink(job);
        // The reader left before the result: free the model.
        if (!job.finished) job.ac.abort(new Error('client disconnected'));
      },
    );
  };

  for (const base of [`${API_PREFIX}/call`, `${API_PREFIX}/call/v2`]) {
    const keywords = base.endsWith('/v2');
    app.post(`${base}/:api_name`, callPost(keywords));
    app.post(`${base}/:api_name/`, callPost(keywords));
    app.get(`${base}/:api_name/:event_id`, callGet);
  }

  // --- housekeeping: orphaned runs, finished results, idle sessions ------------------
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [hash, s] of sessions) {
      if (!s.sink && s.pending.size > 0 && now - s.detachedSince > ORPHAN_MS) {
        for (const job of s.pending.values()) job.ac.abort(new Error('no client stream'));
      }
      if (!s.sink && s.pending.size === 0 && now - s.lastActive > SESSION_TTL_MS) sessions.delete(hash);
    }
    for (const [id, job] of callJobs) {
      if (!job.finished && !job.sink && now - job.detachedSince > ORPHAN_MS) job.ac.abort(new Error('no client stream'));
      if (job.finished && !job.sink && now - job.detachedSince > RESULT_TTL_MS) callJobs.delete(id);
    }
  }, 15_000);
  sweep.unref?.();

  return {
    close() {
      clearInterval(sweep);
      for (const s of sessions.values()) s.close();
      for (const job of callJobs.values()) {
        if (!job.finished) job.ac.abort(new HttpError('shutting_down', 'The server is shutting down.'));
        endCallSink(job);
      }
      for (const sink of heartbeatStreams) {
        clearInterval((sink as Sink & { timer?: NodeJS.Timeout }).timer);
        safeClose(sink);
      }
      heartbeatStreams.clear();
      logger.info({ sessions: sessions.size }, 'gradio streams closed');
    },
    stats: () => ({ sessions: sessions.size, callJobs: callJobs.size }),
  };
}
