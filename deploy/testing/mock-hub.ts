/**
 * A local stand-in for the Hub's API (the routes deploy.ts uses, with the
 * replies @huggingface/hub 2.17 needs; see ../shared/specs/hf-spaces-deploy.md
 * §4–§6) plus a tiny app behind `/api/spaces/{id}/host`: `/api/ready` and the
 * Gradio queue protocol for `/generate`, so the smoke test runs the real
 * @gradio/client. Every request is recorded for assertions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  body: string;
}

export interface MockHubConfig {
  user?: string;
  orgs?: string[];
  /** Spaces that exist before the run, with their owner's sdk (and visibility, hardware, sleep time). */
  existing?: Record<string, { sdk: string; files?: string[]; private?: boolean; hardware?: string; gcTimeout?: number | null }>;
  /** Models on this Hub (GET /api/models/:id and …/revision/:rev); unknown ids answer 401 like a private repo. */
  models?: Record<string, { private?: boolean; gated?: boolean; sha: string }>;
  /** Status for PUT …/settings (403 when the token may not change visibility). */
  settingsStatus?: number;
  /** Status for POST /api/repos/create when the Space is new (default 200). */
  createStatus?: number;
  /** whoami status (401 for a bad token). */
  whoamiStatus?: number;
  /** Status for POST …/hardware (e.g. 400 not available, 402 billing). */
  hardwareStatus?: number;
  /** Stages returned by successive GET …/runtime calls; the last one repeats. */
  stages?: string[];
  errorMessage?: string;
  currentHardware?: string;
  buildLog?: string[];
  runLog?: string[];
  /** /api/ready answers: "loading" this many times, then "ready". */
  loadingPolls?: number;
  /** The diagram the fake app returns. */
  diagram?: string;
  /** Builds /api/health names on successive calls (the last repeats); unset: no buildId field (an older server). */
  servingBuilds?: string[];
  /** When set, the fake app's Gradio routes want this X-API-Key (as our server does with API_KEY). */
  appApiKey?: string;
}

const GRADIO_CONFIG = {
  version: '6.25.0',
  protocol: 'sse_v3',
  api_prefix: '/gradio_api',
  mode: 'blocks',
  app_id: 'mock',
  enable_queue: true,
  connect_heartbeat: false,
  space_id: null,
  components: [
    { id: 1, type: 'textbox', props: { label: 'description' }, skip_api: false, api_info: { type: 'string' } },
    { id: 2, type: 'code', props: { label: 'mermaid' }, skip_api: false, api_info: { type: 'string' } },
    { id: 3, type: 'textbox', props: { label: 'status' }, skip_api: false, api_info: { type: 'string' } },
  ],
  dependencies: [
    { id: 0, api_name: 'generate', inputs: [1], outputs: [2, 3], targets: [[1, 'submit']], backend_fn: true, queue: true, types: { generator: true, cancel: false }, api_visibility: 'public', connection: 'sse' },
  ],
};

const str = { type: { type: 'string' }, python_type: { type: 'str', description: '' } };
const GRADIO_INFO = {
  named_endpoints: {
    '/generate': {
      parameters: [{ label: 'description', parameter_name: 'description', parameter_has_default: false, parameter_default: null, component: 'Textbox', ...str }],
      returns: [{ label: 'mermaid', component: 'Code', ...str }, { label: 'status', component: 'Textbox', ...str }],
      api_visibility: 'public',
    },
  },
  unnamed_endpoints: {},
};

/** Without `models` in the config: the default model, public, at a fixed commit. */
export const DEFAULT_MODEL_SHA = '0123456789abcdef0123456789abcdef01234567';
const DEFAULT_MODELS: NonNullable<MockHubConfig['models']> = { 'onnx-community/Qwen3-4B-Instruct-2507-ONNX': { sha: DEFAULT_MODEL_SHA } };

export class MockHub {
  readonly requests: RecordedRequest[] = [];
  readonly commits: { header: unknown; files: { path: string; content: string }[]; deleted: string[] }[] = [];
  readonly spaces = new Map<string, { sdk: string; files: string[]; private?: boolean; hardware?: string; gcTimeout?: number | null }>();
  #server: Server;
  #runtimeCalls = 0;
  #readyCalls = 0;
  #healthCalls = 0;
  #sessions = new Map<string, unknown[]>();
  url = '';

  constructor(readonly config: MockHubConfig = {}) {
    for (const [id, s] of Object.entries(config.existing ?? {})) this.spaces.set(id, { sdk: s.sdk, files: s.files ?? [], private: s.private, hardware: s.hardware, gcTimeout: s.gcTimeout });
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((r) => this.#server.close(r));
  }

  /** Requests whose "METHOD path" matches. */
  find(re: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => re.test(`${r.method} ${r.path}`));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    this.requests.push({ method: req.method ?? 'GET', path: path + url.search, authorization: req.headers.authorization, body });
    const json = (status: number, data: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    const m = /^\/api\/spaces\/([^/]+\/[^/]+)(\/.*)?$/.exec(path);
    const id = m?.[1];
    const rest = m?.[2] ?? '';
    const c = this.config;

    if (path === '/api/whoami-v2') {
      if (c.whoamiStatus && c.whoamiStatus !== 200) return json(c.whoamiStatus, { error: 'Invalid credentials in Authorization header' });
      return json(200, {
        type: 'user', id: 'u1', name: c.user ?? 'alice', fullname: 'Alice', email: 'a@example.com', emailVerified: true, isPro: false, canPay: true,
        orgs: (c.orgs ?? []).map((o) => ({ type: 'org', name: o, id: o })),
        auth: { type: 'access_token', accessToken: { role: 'write', displayName: 't', createdAt: '2026-01-01T00:00:00Z' } },
      });
    }
    if (path === '/api/repos/create' && req.method === 'POST') {
      const b = JSON.parse(body) as { name: string; organization?: string; sdk?: string; private?: boolean; visibility?: string };
      const full = b.organization ? `${b.organization}/${b.name}` : `${c.user ?? 'alice'}/${b.name}`;
      if (this.spaces.has(full)) return json(409, { error: 'You already created this space repo', url: `${this.url}/spaces/${full}` });
      if (c.createStatus && c.createStatus !== 200) return json(c.createStatus, { error: 'You don\'t have the rights to create a space under this namespace' });
      this.spaces.set(full, { sdk: b.sdk ?? 'static', files: [], private: b.visibility === 'private' });
      return json(200, { url: `${this.url}/spaces/${full}`, id: full });
    }
    const model = /^\/api\/models\/([^/]+\/[^/]+)(?:\/revision\/([^/]+))?$/.exec(path);
    if (model && req.method === 'GET') {
      const info = (c.models ?? DEFAULT_MODELS)[model[1]!];
      // The Hub answers 401 for private and missing repos alike when there is no token.
      if (!info || (info.private && !req.headers.authorization)) return json(401, { error: 'Repository not found' });
      return json(200, { id: model[1], private: Boolean(info.private), gated: info.gated ?? false, sha: info.sha });
    }
    if (id && rest === '/settings' && req.method === 'PUT') {
      if (c.settingsStatus && c.settingsStatus !== 200) return json(c.settingsStatus, { error: 'You are not allowed to change the visibility of this repo' });
      const s = this.spaces.get(id);
      if (s) s.private = Boolean((JSON.parse(body) as { private?: boolean }).private);
      return json(200, {});
    }
    if (id && rest === '' && req.method === 'GET') {
      const s = this.spaces.get(id);
      return s ? json(200, { id, sdk: s.sdk, private: Boolean(s.private) }) : json(404, { error: 'Repository not found' });
    }
    if (id && rest.startsWith('/tree/')) {
      const s = this.spaces.get(id);
      return json(200, (s?.files ?? []).map((p) => ({ type: 'file', path: p, size: 1, oid: 'x' })));
    }
    if (id && rest.startsWith('/preupload/')) {
      const b = JSON.parse(body) as { files: { path: string }[] };
      return json(200, { files: b.files.map((f) => ({ path: f.path, uploadMode: 'regular' })) });
    }
    if (id && rest.startsWith('/commit/')) {
      const lines = body.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { key: string; value: { path: string; content?: string; summary?: string } });
      const files = lines.filter((l) => l.key === 'file').map((l) => ({ path: l.value.path, content: Buffer.from(l.value.content ?? '', 'base64').toString('utf8') }));
      const deleted = lines.filter((l) => l.key === 'deletedFile').map((l) => l.value.path);
      this.commits.push({ header: lines.find((l) => l.key === 'header')?.value, files, deleted });
      const s = this.spaces.get(id);
      if (s) s.files = files.map((f) => f.path);
      return json(200, { commitOid: 'deadbeefcafe0000', commitUrl: `${this.url}/spaces/${id}/commit/deadbeefcafe0000`, hookOutput: '' });
    }
    if (id && (rest === '/secrets' || rest === '/variables' || rest === '/sleeptime' || rest === '/restart')) return json(200, {});
    if (id && rest === '/hardware') {
      if (c.hardwareStatus && c.hardwareStatus !== 200) return json(c.hardwareStatus, { error: 'Hardware not available for this account' });
      const flavor = (JSON.parse(body) as { flavor: string }).flavor;
      const s = this.spaces.get(id);
      if (s) s.hardware = flavor;
      return json(200, { stage: 'BUILDING', hardware: { current: null, requested: flavor } });
    }
    if (id && rest === '/runtime') {
      const stages = c.stages ?? ['BUILDING', 'RUNNING'];
      const stage = stages[Math.min(this.#runtimeCalls++, stages.length - 1)]!;
      const s = this.spaces.get(id);
      const hw = s?.hardware ?? c.currentHardware ?? 'cpu-basic';
      return json(200, { stage, hardware: { current: hw, requested: hw }, gcTimeout: s?.gcTimeout ?? null, errorMessage: stage.endsWith('ERROR') ? c.errorMessage ?? null : null });
    }
    if (id && rest.startsWith('/logs/')) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const lines = rest.endsWith('build') ? c.buildLog ?? [] : c.runLog ?? [];
      // Like the Hub: `?tail=N` sends the last N lines and ends; without it the stream stays open.
      const tail = url.searchParams.get('tail');
      const sent = tail === null ? lines : lines.slice(-Number(tail));
      for (const l of sent) res.write(`data: ${JSON.stringify({ data: l + '\n', timestamp: '2026-01-01T00:00:00Z' })}\n\n`);
      res.write('data: \n\n');
      if (tail !== null) return void res.end();
      return; // held open until stop() closes every connection
    }
    if (id && rest === '/host') return json(200, { host: this.url });

    // ---- the app behind the host ----
    if (path === '/api/health') {
      const builds = c.servingBuilds;
      return json(200, builds ? { ok: true, uptimeSeconds: 1, buildId: builds[Math.min(this.#healthCalls++, builds.length - 1)] } : { ok: true, uptimeSeconds: 1 });
    }
    if (path === '/api/ready') {
      if (this.#readyCalls++ < (c.loadingPolls ?? 1)) return json(503, { state: 'loading', progress: 40, message: 'downloading', queueDepth: 0 });
      return json(200, { state: 'ready', progress: 100, message: 'ready', device: 'cuda', queueDepth: 0 });
    }
    if (c.appApiKey && (path.startsWith('/config') || path.startsWith('/gradio_api/')) && req.headers['x-api-key'] !== c.appApiKey) {
      return json(401, path.startsWith('/config') ? { detail: { auth_message: 'API key required: pass it as X-API-Key or token' } } : { detail: 'Invalid API key' });
    }
    if (path === '/config' || path === '/config/') return json(200, GRADIO_CONFIG);
    if (path === '/gradio_api/info' || path === '/gradio_api/info/') return json(200, GRADIO_INFO);
    if (path === '/gradio_api/queue/join') {
      const b = JSON.parse(body) as { session_hash: string; data: unknown[] };
      const eid = `e${this.requests.length}`;
      const diagram = c.diagram ?? 'flowchart TD\n  A[Login] --> B{OK?}\n  B -->|no| A\n';
      const events = [
        { msg: 'estimation', event_id: eid, rank: 0, queue_size: 1, rank_eta: null },
        { msg: 'process_starts', event_id: eid, eta: null },
        { msg: 'process_completed', event_id: eid, success: true, output: { data: [diagram, { code: diagram, valid: true, diagramType: 'flowchart', repairs: ['quote-labels'], tokens: String(b.data[0]).length, budgetCut: false, timings: { totalMs: 2400 } }], is_generating: false, duration: 0.1, average_duration: 0.1, changed_state_ids: [], render_config: null } },
      ];
      this.#sessions.set(b.session_hash, events);
      return json(200, { event_id: eid });
    }
    if (path === '/gradio_api/queue/data') {
      const events = this.#sessions.get(url.searchParams.get('session_hash') ?? '') ?? [];
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      for (const e of events) res.write(`data: ${JSON.stringify(e)}\n\n`);
      res.write(`data: ${JSON.stringify({ msg: 'close_stream', event_id: null })}\n\n`);
      return void res.end();
    }
    json(404, { error: `mock hub: no route for ${req.method} ${path}` });
  }
}
