/**
 * The Spaces flow against a local stand-in for the Hub's API (through
 * @huggingface/hub's `hubUrl`, passed as --hub-url): what it sends (repo type
 * and sdk, one commit with the app files and the generated README, secrets,
 * variables, hardware), how it follows the stage, how failures read, and that
 * secret values never reach the output. The smoke test runs the real
 * @gradio/client against the stand-in's fake app.
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../cli.ts';
import { DEFAULT_MODEL_SHA, MockHub, type MockHubConfig } from '../testing/mock-hub.ts';
import { memoryOutput } from '../progress.ts';
import { Redactor } from '../redact.ts';

const TOKEN = 'hf_DeployWriteToken0123456789';
const API_KEY = 'sk-app-key-abcdef-123456';
const ROOT = resolve(import.meta.dirname, '../..');

let hub: MockHub | undefined;
afterEach(async () => {
  await hub?.stop();
  hub = undefined;
});

async function deploy(args: string[], config: MockHubConfig = {}, env: Record<string, string> = { HF_TOKEN: TOKEN }) {
  hub = new MockHub(config);
  const url = await hub.start();
  const redactor = new Redactor();
  const out = memoryOutput(redactor);
  const raw: string[] = [];
  const spy = { ...out, line: (t: string) => (raw.push(t), out.line(t)), status: (t: string, s?: string) => (raw.push(t), out.status(t, s)) };
  const code = await main(['spaces', '--hub-url', url, '--tag', 'abc123', ...args], { out: spy, redactor, env, root: ROOT, pollMs: 5, settleMs: 0 });
  return { code, text: out.text(), raw: raw.join('\n'), hub: hub! };
}

describe('spaces dry run', () => {
  it('prints every step, file and request, and sends nothing', async () => {
    const { code, text, hub } = await deploy(['--space', 'alice/flows', '--hardware', 'l4x1', '--dry-run', '--var', 'MAX_NEW_TOKENS=2000'], {}, { HF_TOKEN: TOKEN, API_KEY });
    expect(code).toBe(0);
    expect(hub.requests).toEqual([]);
    const ids = text.split('\n').filter((l) => /^\[\d+\/\d+\]/.test(l)).map((l) => /\(([\w-]+)\)$/.exec(l)?.[1]);
    expect(ids).toEqual(['preflight', 'create', 'variables', 'secrets', 'hardware', 'upload', 'wait', 'smoke']);
    expect(text).toContain('sdk: "docker"');
    expect(text).toContain('/api/spaces/alice/flows/variables  {key: "MAX_NEW_TOKENS", value: "2000"}');
    expect(text).toContain('{key: "API_KEY", value: <hidden>}');
    expect(text).toContain('HF_TOKEN: SPACE_HF_TOKEN when the model is gated or private, else none');
    expect(text).toContain('/hardware  {flavor: "l4x1"}');
    expect(text).toContain('/sleeptime  {seconds: 3600}');
    expect(text).toMatch(/Dockerfile\s+\d/);
    expect(text).toMatch(/package\.json\s+\d/);
    expect(text).toContain('sdk: docker');
    expect(text).toContain('app_port: 7860');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(API_KEY);
    // Nothing .dockerignore excludes is uploaded.
    expect(text).not.toMatch(/^\s+(deploy\/|tests\/|node_modules\/|\.git\/)/m);
  });
});

describe('spaces run against the Hub stand-in', () => {
  it('creates a Docker Space, configures it, uploads in one commit, follows the stage, smoke-tests', async () => {
    const r = await deploy(['--space', 'alice/flows', '--hardware', 'l4x1', '--var', 'MAX_NEW_TOKENS=2000'], { stages: ['RUNNING_BUILDING', 'BUILDING', 'APP_STARTING', 'RUNNING'], currentHardware: 'cpu-basic' }, { HF_TOKEN: TOKEN, API_KEY });
    expect(r.code, r.text).toBe(0);
    const h = r.hub;
    const create = JSON.parse(h.find(/^POST \/api\/repos\/create/)[0]!.body);
    expect(create).toMatchObject({ name: 'flows', organization: 'alice', type: 'space', sdk: 'docker', visibility: 'public' });
    // Secrets reach the Hub with their values, and the output shows their names only. The model is
    // public: the app gets no token at all (never the deploying one), and an old one is removed.
    const secrets = h.find(/^POST \/api\/spaces\/alice\/flows\/secrets$/).map((q) => JSON.parse(q.body));
    expect(secrets).toEqual([{ key: 'API_KEY', value: API_KEY }]);
    expect(h.find(/^DELETE \/api\/spaces\/alice\/flows\/secrets$/).map((q) => JSON.parse(q.body))).toEqual([{ key: 'HF_TOKEN' }]);
    expect(r.raw).not.toContain(TOKEN);
    expect(r.raw).not.toContain(API_KEY);
    // The model's revision is pinned to its commit; it is baked into the image by default.
    expect(h.find(/variables$/).map((q) => JSON.parse(q.body))).toEqual([
      { key: 'TRUST_PROXY', value: 'true' },
      { key: 'MAX_NEW_TOKENS', value: '2000' },
      { key: 'BAKE_MODEL', value: '1' },
      { key: 'MODEL_REVISION', value: DEFAULT_MODEL_SHA },
    ]);
    expect(h.find(/^GET \/api\/models\//)[0]!.authorization).toBeUndefined();
    expect(JSON.parse(h.find(/^POST .*\/hardware$/)[0]!.body)).toEqual({ flavor: 'l4x1' });
    expect(JSON.parse(h.find(/^POST .*\/sleeptime$/)[0]!.body)).toEqual({ seconds: 3600 });
    // Configuration comes before the upload, so the first build sees it.
    const order = h.requests.map((q) => `${q.method} ${q.path}`);
    const at = (re: RegExp) => order.findIndex((o) => re.test(o));
    expect(at(/secrets$/)).toBeLessThan(at(/\/commit\//));
    expect(at(/hardware$/)).toBeLessThan(at(/\/commit\//));
    // One commit: README with the front matter, BUILD_ID, the app files; nothing ignored.
    expect(h.commits).toHaveLength(1);
    const files = h.commits[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'BUILD_ID', 'Dockerfile', '.dockerignore', 'package.json', 'package-lock.json', 'common/limits.ts']));
    expect(files.some((f) => /^(deploy\/|tests\/|node_modules\/|docs\/)|\.test\.ts$/.test(f))).toBe(false);
    const readme = h.commits[0]!.files.find((f) => f.path === 'README.md')!.content;
    expect(readme.startsWith('---\n')).toBe(true);
    for (const line of ['sdk: docker', 'app_port: 7860', 'suggested_hardware: l4x1', '  - "onnx-community/Qwen3-4B-Instruct-2507-ONNX"', 'colorFrom: indigo', 'license: apache-2.0']) expect(readme).toContain(line);
    expect(h.commits[0]!.files.find((f) => f.path === 'BUILD_ID')!.content).toBe('abc123\n');
    expect((h.commits[0]!.header as { summary: string }).summary).toBe('Deploy abc123');
    // Every Hub request carried the token (but the public model lookup, which needs none); the stage was followed to RUNNING.
    expect(h.requests.filter((q) => q.path.startsWith('/api/') && !q.path.startsWith('/api/models/')).every((q) => q.authorization === `Bearer ${TOKEN}` || q.path === '/api/ready' || q.path === '/api/health')).toBe(true);
    expect(h.find(/runtime$/).length).toBeGreaterThanOrEqual(4);
    for (const s of ['stage BUILDING', 'stage APP_STARTING', 'stage RUNNING']) expect(r.text).toContain(s);
    // Smoke test: ready polled through loading, then the real @gradio/client with X-API-Key.
    expect(h.find(/^GET \/api\/ready/).length).toBe(2);
    const join = h.find(/^POST \/gradio_api\/queue\/join/);
    expect(join).toHaveLength(1);
    expect(JSON.parse(join[0]!.body).data[0]).toMatch(/logs in/);
    expect(r.text).toContain('│ flowchart TD');
    // the app's JSON result, summarised in one line (the real app's second output is an object)
    expect(r.text).toMatch(/valid flowchart · 1 repair · \d+ tokens in 2\.4 s/);
    expect(r.text).toContain('generation OK');
  });

  it('waits out the previous revision: the smoke test runs once /api/health names the build just uploaded', async () => {
    const r = await deploy(['--space', 'alice/flows'], { stages: ['RUNNING'], loadingPolls: 0, servingBuilds: ['old999', 'old999', 'abc123'] });
    expect(r.code, r.text).toBe(0);
    expect(r.hub.find(/^GET \/api\/health/).length).toBe(3);
    // the generation ran only after the new build answered
    const order = r.hub.requests.map((q) => q.path);
    expect(order.lastIndexOf('/api/health')).toBeLessThan(order.indexOf('/gradio_api/queue/join'));
  });

  it('explains a smoke failure when the app wants an API key this run does not have', async () => {
    const r = await deploy(['--space', 'alice/flows'], { appApiKey: 'k-123456', loadingPolls: 0 });
    expect(r.code).toBe(1);
    expect(r.text).toContain('The smoke generation through @gradio/client failed: API key required');
    expect(r.text).toContain('export API_KEY');
    expect(r.text).toContain('--no-smoke');
  });

  it('reuses an existing Space, deletes stale files in the same commit, and skips a hardware change', async () => {
    const r = await deploy(['--space', 'alice/flows', '--no-smoke', '--hardware', 'cpu-basic'], { existing: { 'alice/flows': { sdk: 'docker', files: ['old.py', 'Dockerfile', '.gitattributes'] } }, stages: ['RUNNING'], currentHardware: 'cpu-basic' });
    expect(r.code, r.text).toBe(0);
    expect(r.text).toContain('exists (public), reused');
    expect(r.hub.commits[0]!.deleted).toEqual(['old.py']);
    expect(r.hub.find(/^POST .*\/hardware$/)).toEqual([]);
    expect(r.text).toContain('already cpu-basic');
  });

  it('shows the error and the build log tail on BUILD_ERROR', async () => {
    const r = await deploy(['--space', 'alice/flows', '--no-smoke'], { stages: ['BUILDING', 'BUILD_ERROR'], errorMessage: 'Build failed with exit code: 1', buildLog: ['Step 5/12 : RUN npm ci', 'npm ERR! code ERESOLVE'] });
    expect(r.code).toBe(1);
    expect(r.text).toContain('The Space stopped at BUILD_ERROR: Build failed with exit code: 1');
    expect(r.text).toContain('npm ERR! code ERESOLVE');
    // The documented ?tail=N: the Hub sends the last lines and ends the stream (the stand-in holds it open otherwise).
    expect(r.hub.find(/\/logs\/build\?tail=\d+$/)).toHaveLength(1);
  });

  it('shows the run log on RUNTIME_ERROR', async () => {
    const r = await deploy(['--space', 'alice/flows', '--no-smoke'], { stages: ['APP_STARTING', 'RUNTIME_ERROR'], errorMessage: 'exit code 1', runLog: ['Error: listen EADDRINUSE'] });
    expect(r.code).toBe(1);
    expect(r.text).toContain('Error: listen EADDRINUSE');
  });

  it('restarts a sleeping Space once', async () => {
    // The first stage is read by the hardware step.
    const r = await deploy(['--space', 'alice/flows', '--no-smoke'], { stages: ['SLEEPING', 'SLEEPING', 'BUILDING', 'RUNNING'] });
    expect(r.code, r.text).toBe(0);
    expect(r.hub.find(/restart$/)).toHaveLength(1);
  });
});

describe('spaces re-deploys keep what the user set', () => {
  const existing = (extra: object) => ({ existing: { 'alice/flows': { sdk: 'docker', ...extra } }, stages: ['RUNNING'] });

  it('no --hardware on an l4x1 Space: nothing is requested (it used to send cpu-basic)', async () => {
    const r = await deploy(['--space', 'alice/flows', '--no-smoke'], existing({ hardware: 'l4x1', gcTimeout: 1800 }));
    expect(r.code, r.text).toBe(0);
    expect(r.hub.find(/^POST .*\/hardware$/)).toEqual([]);
    expect(r.hub.find(/^POST .*\/sleeptime$/)).toEqual([]); // its own sleep time stays
    expect(r.text).toContain('kept l4x1, sleep time kept (1800 s)');
  });

  it('--private on an existing public Space makes it private; without it the visibility stays', async () => {
    const r = await deploy(['--space', 'alice/flows', '--no-smoke', '--private'], existing({}));
    expect(r.code, r.text).toBe(0);
    expect(r.hub.find(/^PUT \/api\/spaces\/alice\/flows\/settings$/).map((q) => JSON.parse(q.body))).toEqual([{ private: true }]);
    expect(r.text).toContain('now private (was public)');
    const again = await deploy(['--space', 'alice/flows', '--no-smoke'], existing({ private: true }));
    expect(again.hub.find(/settings$/)).toEqual([]);
    expect(again.text).toContain('exists (private), reused');
  });

  it('a visibility change the Hub refuses is a clear error, before anything is uploaded', async () => {
    const r = await deploy(['--space', 'alice/flows', '--no-smoke', '--public'], { ...existing({ private: true }), settingsStatus: 403 });
    expect(r.code).toBe(1);
    expect(r.text).toContain('alice/flows is private and could not be made public');
    expect(r.hub.commits).toEqual([]);
  });

  it('cpu-upgrade is paid: it gets a sleep time too', async () => {
    const r = await deploy(['--space', 'alice/flows', '--no-smoke', '--hardware', 'cpu-upgrade'], existing({}));
    expect(r.code, r.text).toBe(0);
    expect(r.hub.find(/^POST .*\/sleeptime$/).map((q) => JSON.parse(q.body))).toEqual([{ seconds: 3600 }]);
  });

  it('a gated model: the app gets SPACE_HF_TOKEN (a read token), never the deploying token', async () => {
    const READ = 'hf_AppReadToken0123456789';
    const models = { 'acme/gated': { gated: true, sha: 'feedface'.repeat(5) } };
    const r = await deploy(['--space', 'alice/flows', '--no-smoke', '--model-id', 'acme/gated'], { ...existing({}), models }, { HF_TOKEN: TOKEN, SPACE_HF_TOKEN: READ });
    expect(r.code, r.text).toBe(0);
    expect(r.hub.find(/secrets$/).map((q) => JSON.parse(q.body))).toEqual([{ key: 'HF_TOKEN', value: READ }]);
    expect(r.raw).not.toContain(READ);
    const missing = await deploy(['--space', 'alice/flows', '--no-smoke', '--model-id', 'acme/gated'], { ...existing({}), models });
    expect(missing.code).toBe(1);
    expect(missing.text).toContain('acme/gated is gated: the app needs a token');
    expect(missing.text).toContain('SPACE_HF_TOKEN');
    expect(missing.hub.commits).toEqual([]);
  });

  it('--model-revision pins what it names; --no-bake-model opts out of baking', async () => {
    const r = await deploy(['--space', 'alice/flows', '--no-smoke', '--model-revision', 'v1.0', '--no-bake-model'], { ...existing({}), models: { 'onnx-community/Qwen3-4B-Instruct-2507-ONNX': { sha: 'c0ffee'.repeat(6) + 'c0ff' } } });
    expect(r.code, r.text).toBe(0);
    expect(r.hub.find(/^GET \/api\/models\/.*\/revision\/v1\.0$/)).toHaveLength(1);
    const vars = Object.fromEntries(r.hub.find(/variables$/).map((q) => JSON.parse(q.body)).map((b: { key: string; value: string }) => [b.key, b.value]));
    expect(vars).toMatchObject({ BAKE_MODEL: '0', MODEL_REVISION: 'c0ffee'.repeat(6) + 'c0ff' });
  });

  it('an unknown option is one line, not a stack', async () => {
    const r = await deploy(['--space', 'alice/flows', '--hardwre', 'l4x1']);
    expect(r.code).toBe(2);
    expect(r.text).toContain("Unknown option '--hardwre'");
    expect(r.text).not.toMatch(/\bat .*\(node:/);
  });
});

describe('spaces errors', () => {
  it('no token', async () => {
    const r = await deploy(['--space', 'alice/flows'], {}, {});
    expect(r.code).toBe(1);
    expect(r.text).toContain('HF_TOKEN is not set');
    expect(r.hub.requests).toEqual([]);
  });

  it('bad token (whoami 401)', async () => {
    const r = await deploy(['--space', 'alice/flows'], { whoamiStatus: 401 });
    expect(r.code).toBe(1);
    expect(r.text).toContain('token was refused (HTTP 401)');
    expect(r.text).toContain('settings/tokens');
    expect(r.hub.find(/repos\/create/)).toEqual([]);
  });

  it('a Space name under someone else', async () => {
    const r = await deploy(['--space', 'bob/flows'], {});
    expect(r.code).toBe(1);
    expect(r.text).toContain('not "bob"');
    expect(r.text).toContain('--space alice/flows');
    expect(r.hub.find(/repos\/create/)).toEqual([]);
  });

  it('a namespace the token cannot write (403 on create)', async () => {
    const r = await deploy(['--space', 'team/flows'], { orgs: ['team'], createStatus: 403 });
    expect(r.code).toBe(1);
    expect(r.text).toContain('You may not write to team/flows (HTTP 403)');
  });

  it('an account without a paid plan (402 on create): says Docker Spaces need PRO, Team or Enterprise', async () => {
    const r = await deploy(['--space', 'alice/flows'], { createStatus: 402 });
    expect(r.code).toBe(1);
    expect(r.text).toContain('only paid plans (PRO, Team or Enterprise) create Docker Spaces');
    expect(r.text).not.toMatch(/\bfree\b/);
  });

  it('an existing Space with another sdk', async () => {
    const r = await deploy(['--space', 'alice/flows'], { existing: { 'alice/flows': { sdk: 'gradio' } } });
    expect(r.code).toBe(1);
    expect(r.text).toContain('uses sdk "gradio"');
  });

  it('hardware not available / billing', async () => {
    const a = await deploy(['--space', 'alice/flows', '--hardware', 'a100-large'], { hardwareStatus: 400 });
    expect(a.text).toContain('not available');
    await hub!.stop();
    hub = undefined;
    const b = await deploy(['--space', 'alice/flows', '--hardware', 'l4x1'], { hardwareStatus: 402 });
    expect(b.text).toContain('Payment required');
    expect(b.text).toContain('settings/billing');
  });

  it('quota or rate limit (429)', async () => {
    const r = await deploy(['--space', 'alice/flows', '--hardware', 'l4x1'], { hardwareStatus: 429 });
    expect(r.code).toBe(1);
    expect(r.text).toContain('rate limit or quota');
    expect(r.text).toContain('run the same command again');
  });

  it('rejects an unknown flavor and a bad README before any request', async () => {
    const a = await deploy(['--space', 'alice/flows', '--hardware', 'h100x9']);
    expect(a.text).toContain('Unknown hardware "h100x9"');
    await hub!.stop();
    hub = undefined;
    const b = await deploy(['--space', 'alice/flows', '--color-from', 'orange', '--short-description', 'x'.repeat(61)]);
    expect(b.text).toContain('colorFrom "orange"');
    expect(b.text).toContain('61 characters');
    expect(b.hub.requests).toEqual([]);
  });
});
