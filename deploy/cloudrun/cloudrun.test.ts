/**
 * The Cloud Run flow against a `gcloud` stand-in on PATH (deploy/testing/
 * fake-gcloud.mjs): order of commands, idempotency (a second run creates
 * nothing), the preflight messages for each known permission failure, and
 * that the token never appears in arguments or output (the stand-in records
 * stdin separately). The smoke test is skipped here with --no-smoke; it is
 * covered against a local Gradio stand-in in deploy/smoke.test.ts.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../cli.ts';
import { memoryOutput } from '../progress.ts';
import { MockHub } from '../testing/mock-hub.ts';
import { Redactor } from '../redact.ts';
import { explainGcloudFailure } from './explain.ts';
import type { PreflightResult } from './preflight.ts';

const TOKEN = 'hf_SuperSecretToken1234567890';
const FAKE = resolve(import.meta.dirname, '../testing/fake-gcloud.mjs');
const ROOT = resolve(import.meta.dirname, '../..');

let dir: string;
let oldPath: string | undefined;
let hub: MockHub;
let hubUrl: string;
const PRIVATE_MODEL = 'acme/private-model';
const PINNED = 'c0ffee00'.repeat(5);

function baseState() {
  return {
    account: 'alice@example.com',
    project: 'proj-1',
    projectNumber: '123456',
    enabledApis: ['storage.googleapis.com'],
    policy: {
      bindings: [
        { role: 'roles/owner', members: ['user:alice@example.com'] },
        { role: 'roles/editor', members: ['serviceAccount:123456-compute@developer.gserviceaccount.com'] },
      ],
    },
  };
}

function writeState(state: object) {
  writeFileSync(join(dir, 'state.json'), JSON.stringify(state));
}
function readState() {
  return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
}
function calls(): { args: string[]; stdin: string | null }[] {
  try {
    return readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}
function clearLog() {
  writeFileSync(join(dir, 'log.jsonl'), '');
}

async function deploy(extra: string[] = [], env: Record<string, string> = { HF_TOKEN: TOKEN }, askToken: () => Promise<string | undefined> = async () => undefined) {
  const redactor = new Redactor();
  const out = memoryOutput(redactor);
  // Raw lines too (before redaction), to prove nothing needed masking.
  const raw: string[] = [];
  const spy = { ...out, line: (t: string) => (raw.push(t), out.line(t)), status: (t: string, s?: string) => (raw.push(t), out.status(t, s)) };
  const smoke = extra.includes('--smoke');
  const args = ['cloudrun', '--project', 'proj-1', '--region', 'us-central1', '--tag', 'abc123', '--hub-url', hubUrl, ...(smoke ? [] : ['--no-smoke']), ...extra.filter((a) => a !== '--smoke')];
  const code = await main(args, {
    out: spy,
    redactor,
    env,
    root: ROOT,
    askToken,
    pollMs: 10,
  });
  return { code, text: out.text(), raw: raw.join('\n') };
}

beforeEach(async () => {
  // The Hub stand-in answers the model lookups: the default model public, one private model.
  hub = new MockHub({ models: { 'onnx-community/Qwen3-4B-Instruct-2507-ONNX': { sha: PINNED }, [PRIVATE_MODEL]: { private: true, sha: 'beef'.repeat(10) } } });
  hubUrl = await hub.start();
  dir = mkdtempSync(join(tmpdir(), 'fake-gcloud-'));
  const bin = join(dir, 'bin');
  writeFileSync(join(dir, 'log.jsonl'), '');
  mkdirSync(bin);
  // gcloud runs in the user's directory, which need not be the checkout: start the stand-in
  // elsewhere, so a path that only works from the checkout (e.g. --config=cloudbuild.yaml) fails.
  mkdirSync(join(dir, 'elsewhere'));
  writeFileSync(join(bin, 'gcloud'), `#!/bin/sh\ncd "${join(dir, 'elsewhere')}" || exit 1\nNODE_OPTIONS= exec "${process.execPath}" "${FAKE}" "$@"\n`);
  chmodSync(join(bin, 'gcloud'), 0o755);
  oldPath = process.env.PATH;
  process.env.PATH = `${bin}:${oldPath}`;
  process.env.FAKE_GCLOUD_STATE = join(dir, 'state.json');
  process.env.FAKE_GCLOUD_LOG = join(dir, 'log.jsonl');
  writeState(baseState());
});

afterEach(async () => {
  await hub.stop();
  process.env.PATH = oldPath;
  rmSync(dir, { recursive: true, force: true });
});

const verb = (c: { args: string[] }) => c.args.filter((a) => !a.startsWith('--')).slice(0, 3).join(' ');

describe('spawnGcloud', () => {
  it('passes arguments without a shell, stdin separately, and reports lines as they come', async () => {
    const { spawnGcloud } = await import('./gcloud.ts');
    const lines: string[] = [];
    const r = await spawnGcloud()(['--version'], { onLine: (l) => lines.push(l) });
    expect(r.code).toBe(0);
    expect(lines).toEqual(['Google Cloud SDK 999.0.0 (fake)', 'bq 2.1']);
    writeState({ ...baseState(), secrets: {} });
    await spawnGcloud()(['secrets', 'create', 'x; rm -rf /', '--data-file=-'], { stdin: 'v@lue' });
    expect(calls().at(-1)).toEqual({ args: ['secrets', 'create', 'x; rm -rf /', '--data-file=-'], stdin: 'v@lue' });
    expect((await spawnGcloud('/nonexistent/gcloud')(['--version'])).code).toBe(127);
  });
});

describe('cloudrun dry run', () => {
  it('prints every step in order and runs nothing', async () => {
    const { code, text } = await deploy(['--dry-run']);
    expect(code).toBe(0);
    expect(calls()).toEqual([]);
    const titles = text.split('\n').filter((l) => /^\[\d+\/\d+\]/.test(l));
    expect(titles.map((t) => /\(([\w-]+)\)$/.exec(t)?.[1])).toEqual([
      'preflight', 'model', 'apis', 'artifact-repo', 'service-account', 'runtime-roles', 'secret', 'secret-access', 'build', 'deploy', 'url',
    ]);
    expect(text).toContain('gcloud services enable run.googleapis.com artifactregistry.googleapis.com cloudbuild.googleapis.com secretmanager.googleapis.com storage.googleapis.com');
    expect(text).toContain('gcloud artifacts repositories create mermaid-flow --repository-format=docker --location=us-central1 --project=proj-1');
    expect(text).toContain('gcloud secrets create hf-token --replication-policy=automatic --data-file=- --project=proj-1');
    expect(text).toContain('gcloud builds submit');
    // Absolute: gcloud resolves --config against its working directory, not the source folder.
    expect(text).toContain(`--config=${join(ROOT, 'cloudbuild.yaml')}`);
    const deployLine = text.split('\n').find((l) => l.includes('gcloud run deploy'))!;
    for (const f of ['--gpu=1', '--gpu-type=nvidia-l4', '--no-gpu-zonal-redundancy', '--cpu=8', '--memory=32Gi', '--no-cpu-throttling', '--concurrency=33', '--timeout=900', '--no-session-affinity', '--service-account=mermaid-flow-run@proj-1.iam.gserviceaccount.com', '--image=us-central1-docker.pkg.dev/proj-1/mermaid-flow/mermaid-flow:abc123', '--no-allow-unauthenticated', '--set-env-vars=TRUST_PROXY=true,BUILD_ID=abc123,MODEL_REVISION=main,MODEL_ID=onnx-community/Qwen3-4B-Instruct-2507-ONNX']) {
      expect(deployLine).toContain(f);
    }
    // Traffic only once the model is loaded: an HTTP startup probe on /api/ready, up to Cloud Run's 30 min for GPUs.
    expect(deployLine).toContain('--startup-probe=httpGet.path=/api/ready,httpGet.port=7860,initialDelaySeconds=0,timeoutSeconds=5,periodSeconds=10,failureThreshold=180');
    // No --max-instances unless given: a re-deploy keeps the service's value (see the run tests).
    expect(deployLine).not.toContain('--max-instances');
    expect(text).toContain('--max-instances not given: a re-deploy keeps the service\'s value');
    expect(text).toContain('_BAKE_MODEL=1'); // weights baked by default
    expect(text).not.toContain(TOKEN);
  });

  it('adds the bucket grant and MODEL_PATH for --model-path gs://', async () => {
    const { text } = await deploy(['--dry-run', '--model-path', 'gs://my-models/qwen3']);
    expect(text).toContain('gcloud storage buckets add-iam-policy-binding gs://my-models --member=serviceAccount:mermaid-flow-run@proj-1.iam.gserviceaccount.com --role=roles/storage.objectViewer');
    // Mounted read-only as a Cloud Storage volume (no copy at start), not baked.
    expect(text).toContain('--add-volume=name=model,type=cloud-storage,bucket=my-models,readonly=true');
    expect(text).toContain('--add-volume-mount=volume=model,mount-path=/mnt/model');
    expect(text).toContain('MODEL_PATH=/mnt/model/qwen3');
    expect(text).toContain('_BAKE_MODEL=0');
  });
});

describe('cloudrun run against the gcloud stand-in', () => {
  it('runs the steps in order, passes the token on stdin only, and a second run creates nothing', async () => {
    const first = await deploy(['--model-id', PRIVATE_MODEL]);
    expect(first.text).toContain('Done in');
    expect(first.code).toBe(0);
    const log = calls();
    const order = log.map(verb);
    const idx = (v: string) => order.findIndex((o) => o.startsWith(v));
    expect(idx('services enable')).toBeGreaterThan(idx('projects get-iam-policy'));
    expect(idx('artifacts repositories create')).toBeGreaterThan(idx('services enable'));
    expect(idx('iam service-accounts create')).toBeGreaterThan(idx('artifacts repositories create'));
    expect(idx('secrets create')).toBeGreaterThan(idx('iam service-accounts create'));
    expect(idx('secrets add-iam-policy-binding')).toBeGreaterThan(idx('secrets create'));
    expect(idx('builds submit')).toBeGreaterThan(idx('secrets add-iam-policy-binding'));
    expect(idx('run deploy')).toBeGreaterThan(idx('builds submit'));
    // The service is described before the deploy (to keep its instance count) and after it (its URL).
    expect(order.lastIndexOf('run services describe')).toBeGreaterThan(idx('run deploy'));
    // The token: on stdin of `secrets create`, nowhere in any argument, not in the output.
    const create = log.find((c) => verb(c) === 'secrets create hf-token')!;
    expect(create.stdin).toBe(TOKEN);
    expect(create.args).toContain('--data-file=-');
    for (const c of log) expect(c.args.join(' ')).not.toContain(TOKEN);
    expect(first.raw).not.toContain(TOKEN);
    const state = readState();
    expect(state.secrets['hf-token'].policy.bindings[0].members).toEqual([
      'serviceAccount:mermaid-flow-run@proj-1.iam.gserviceaccount.com',
      'serviceAccount:123456-compute@developer.gserviceaccount.com',
    ]);
    const runtimeRoles = state.policy.bindings.filter((b: { members: string[] }) => b.members.includes('serviceAccount:mermaid-flow-run@proj-1.iam.gserviceaccount.com')).map((b: { role: string }) => b.role);
    expect(runtimeRoles.sort()).toEqual(['roles/logging.logWriter', 'roles/monitoring.metricWriter']);
    expect(first.text).toContain('URL: https://mermaid-flow-fake.a.run.app');

    // A private model baked in: the build reads the token from Secret Manager; the service gets it too.
    expect(log.find((c) => verb(c).startsWith('builds submit'))!.args).toContain(`--config=${join(ROOT, 'cloudbuild.token.yaml')}`);
    expect(log.find((c) => verb(c).startsWith('run deploy'))!.args).toContain('--set-secrets=HF_TOKEN=hf-token:latest');

    clearLog();
    const second = await deploy(['--model-id', PRIVATE_MODEL]);
    expect(second.code).toBe(0);
    const creates = calls().map(verb).filter((v) => /create|enable|add-iam|builds submit/.test(v));
    expect(creates).toEqual([]);
    expect(second.text).toContain('exists, skipped');
    expect(second.text).toContain('already granted, skipped');
    // Deploy always runs (a new revision of the same image is harmless).
    expect(calls().map(verb)).toContain('run deploy mermaid-flow');
  });

  it('continues after a partial failure', async () => {
    writeState({ ...baseState(), fail: [{ match: 'builds submit', stderr: 'ERROR: (gcloud.builds.submit) INTERNAL: boom' }] });
    const first = await deploy();
    expect(first.code).toBe(1);
    expect(first.text).toContain('gcloud builds submit');
    const state = readState();
    delete state.fail;
    writeState(state);
    clearLog();
    const second = await deploy();
    expect(second.code).toBe(0);
    const v = calls().map(verb);
    expect(v.filter((x) => /create/.test(x))).toEqual([]);
    expect(v).toContain('builds submit ' + ROOT);
  });

  it('takes the token from the hidden prompt when HF_TOKEN is unset', async () => {
    const typed = 'hf_TypedAtThePrompt987654321';
    const r = await deploy(['--model-id', PRIVATE_MODEL], {}, async () => typed);
    expect(r.code, r.text).toBe(0);
    const create = calls().find((c) => verb(c) === 'secrets create hf-token')!;
    expect(create.stdin).toBe(typed);
    for (const c of calls()) expect(c.args.join(' ')).not.toContain(typed);
    expect(r.raw).not.toContain(typed);
  });

  it('smoke-tests the service: /api/ready with the identity token, then @gradio/client', async () => {
    const app = new MockHub({ loadingPolls: 2 });
    const url = await app.start();
    try {
      writeState({ ...baseState(), serviceUrl: url, identityToken: 'eyJidentity.token.value' });
      const r = await deploy(['--smoke']);
      expect(r.code, r.text).toBe(0);
      expect(calls().map(verb)).toContain('auth print-identity-token');
      const ready = app.find(/^GET \/api\/ready/);
      expect(ready).toHaveLength(3);
      expect(ready.every((q) => q.authorization === 'Bearer eyJidentity.token.value')).toBe(true);
      expect(app.find(/^POST \/gradio_api\/queue\/join/)[0]!.authorization).toBe('Bearer eyJidentity.token.value');
      expect(r.text).toContain('generation OK');
      expect(r.raw.includes('eyJidentity.token.value')).toBe(false);
    } finally {
      await app.stop();
    }
  });

  it('asks for the token when HF_TOKEN is unset and explains when none comes', async () => {
    const r = await deploy(['--model-id', PRIVATE_MODEL], {});
    expect(r.code).toBe(1);
    expect(r.text).toContain('HF_TOKEN is needed to create the secret');
  });
});

describe('cloudrun: the model, re-deploys and scale-out', () => {
  it('a public model needs no HF_TOKEN: no prompt, no secret, no token in the build or the service', async () => {
    let asked = false;
    const r = await deploy([], {}, async () => ((asked = true), undefined));
    expect(r.code, r.text).toBe(0);
    expect(asked).toBe(false);
    const log = calls();
    expect(log.map(verb).filter((v) => v.startsWith('secrets'))).toEqual([]);
    expect(log.find((c) => verb(c).startsWith('builds submit'))!.args).toContain(`--config=${join(ROOT, 'cloudbuild.yaml')}`);
    const deployArgs = log.find((c) => verb(c).startsWith('run deploy'))!.args;
    expect(deployArgs).toContain('--clear-secrets');
    // The revision is pinned to the commit main resolved to, for the bake and at run time.
    expect(deployArgs.find((a) => a.startsWith('--set-env-vars='))).toContain(`MODEL_REVISION=${PINNED}`);
    expect(log.find((c) => verb(c).startsWith('builds submit'))!.args.find((a) => a.startsWith('--substitutions='))).toContain(`_MODEL_REVISION=${PINNED}`);
  });

  it('a new service gets one instance; a re-deploy keeps the instance count its owner set', async () => {
    await deploy();
    expect(calls().find((c) => verb(c).startsWith('run deploy'))!.args).toContain('--max-instances=1');
    const state = readState();
    state.services['mermaid-flow'].maxInstances = '4'; // raised by hand in the console
    writeState(state);
    clearLog();
    const r = await deploy();
    expect(r.code, r.text).toBe(0);
    const args = calls().find((c) => verb(c).startsWith('run deploy'))!.args;
    expect(args.some((a) => a.startsWith('--max-instances'))).toBe(false);
    expect(readState().services['mermaid-flow'].maxInstances).toBe('4');
    // Several instances: sessions stick to one, and a low concurrency lets the autoscaler react early.
    expect(args).toContain('--session-affinity');
    expect(args).toContain('--concurrency=4');
  });

  it('--max-instances 3 passes session affinity and a concurrency the autoscaler acts on', async () => {
    const r = await deploy(['--max-instances', '3']);
    expect(r.code, r.text).toBe(0);
    const args = calls().find((c) => verb(c).startsWith('run deploy'))!.args;
    expect(args).toEqual(expect.arrayContaining(['--max-instances=3', '--session-affinity', '--concurrency=4']));
  });

  it.each([
    [['--concurrency', '0'], '--concurrency 0'],
    [['--timeout', '99999'], '--timeout 99999'],
    [['--cpu', '5'], '--cpu 5'],
    [['--cpu', '4', '--memory', '32Gi'], '4 CPU allow 2–16 GiB'],
    [['--memory', '64Gi'], 'at most 32Gi'],
    [['--min-instances', '3', '--max-instances', '1'], '--min-instances 3 is more than --max-instances 1'],
    [['--colour', 'blue'], "Unknown option '--colour'"],
  ])('%s is refused before anything runs, in one line', async (args, message) => {
    const r = await deploy(args as string[]);
    expect(r.code).toBe(2);
    expect(r.text).toContain(message);
    expect(r.text).not.toMatch(/\n\s+at /);
    expect(calls()).toEqual([]);
  });
});

describe('cloudrun preflight', () => {
  const cases: [string, object, RegExp[]][] = [
    ['gcloud without an account', { account: '' }, [/no active account/, /gcloud auth login/]],
    ['build account without storage, logging, registry roles', { policy: { bindings: [{ role: 'roles/owner', members: ['user:alice@example.com'] }] } }, [
      /lacks roles\/storage.objectViewer, roles\/logging.logWriter, roles\/artifactregistry.writer/,
      /gcloud projects add-iam-policy-binding proj-1 --member=serviceAccount:123456-compute@developer.gserviceaccount.com --role=roles\/storage.objectViewer --condition=None/,
      /--role=roles\/logging.logWriter/,
      /--role=roles\/artifactregistry.writer/,
      /--grant-build-roles/,
    ]],
  ];
  for (const [name, patch, expected] of cases) {
    it(name, async () => {
      writeState({ ...baseState(), ...patch });
      const r = await deploy();
      expect(r.code).toBe(1);
      for (const e of expected) expect(r.text).toMatch(e);
      expect(calls().map(verb).filter((v) => /create|enable|submit|deploy/.test(v))).toEqual([]);
    });
  }

  it('rejects contradictory or malformed options before running anything', async () => {
    const a = await deploy(['--bake-model', '--model-path', 'gs://b/m']);
    expect(a.text).toContain('pick one');
    const b = await deploy(['--model-path', '/local/dir']);
    expect(b.text).toContain('must be a gs:// URL');
    const c = await deploy(['--service', 'Bad_Name']);
    expect(c.text).toContain('not a valid Cloud Run service name');
    // Cloud Run's floor for an L4 is 4 CPU and 16 GiB: refused before a 20-minute build, not after it.
    const d = await deploy(['--cpu', '2']);
    expect(d.code).toBe(2);
    expect(d.text).toContain('--cpu 2: Cloud Run needs at least 4 CPU with an L4 GPU');
    const e = await deploy(['--memory', '8Gi']);
    expect(e.text).toContain('--memory 8Gi: Cloud Run needs at least 16Gi with an L4 GPU');
    const f = await deploy(['--memory', '32GB']);
    expect(f.text).toContain('not a Cloud Run memory size');
    expect(calls()).toEqual([]);
  });

  it('accepts the L4 minimum and other spellings of memory', async () => {
    const { memoryGiB } = await import('./roles.ts');
    const { cloudRunProblems } = await import('./limits.ts');
    const base = { concurrency: 4, timeoutSeconds: 900, minInstances: 0, maxInstances: 1, skipRegionCheck: false };
    expect(cloudRunProblems({ ...base, cpu: '4', memory: '16Gi' })).toEqual([]);
    expect(cloudRunProblems({ ...base, cpu: '8', memory: '16384Mi' })).toEqual([]);
    expect(memoryGiB('32Gi')).toBe(32);
    expect(memoryGiB('20G')).toBeCloseTo(18.63, 2);
    expect(memoryGiB('lots')).toBeUndefined();
  });

  it('rejects a region without L4', async () => {
    const r = await deploy(['--region', 'us-west2']);
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/--region us-west2: Cloud Run has no L4 GPUs there/);
    expect(r.text).toMatch(/us-central1/);
  });

  it('says when gcloud is missing', async () => {
    process.env.PATH = '/nonexistent';
    const r = await deploy();
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/gcloud is not installed/);
  });

  it('--grant-build-roles grants the missing build roles instead of stopping', async () => {
    writeState({ ...baseState(), policy: { bindings: [{ role: 'roles/owner', members: ['user:alice@example.com'] }] } });
    const r = await deploy(['--grant-build-roles']);
    expect(r.code).toBe(0);
    const grants = calls().filter((c) => verb(c).startsWith('projects add-iam-policy-binding') && c.args.includes('--member=serviceAccount:123456-compute@developer.gserviceaccount.com'));
    expect(grants.map((g) => g.args.find((a) => a.startsWith('--role='))).sort()).toEqual(['--role=roles/artifactregistry.writer', '--role=roles/logging.logWriter', '--role=roles/storage.objectViewer']);
  });

  it('names the missing build role, end to end, when the build cannot read its source', async () => {
    const stderr = 'ERROR: (gcloud.builds.submit) 123456-compute@developer.gserviceaccount.com does not have storage.objects.get access to the Google Cloud Storage object.';
    writeState({ ...baseState(), fail: [{ match: 'builds submit', stderr }] });
    const r = await deploy();
    expect(r.code).toBe(1);
    expect(r.text).toContain('needs roles/storage.objectViewer');
    expect(r.text).toContain('gcloud projects add-iam-policy-binding proj-1 --member=serviceAccount:123456-compute@developer.gserviceaccount.com --role=roles/storage.objectViewer --condition=None');
  });

  // The other known failures, through the same explanation (no full run needed for each).
  const pf: PreflightResult = { account: 'alice@example.com', project: 'proj-1', projectNumber: '123456', region: 'us-central1', buildAccount: '123456-compute@developer.gserviceaccount.com', missingBuildRoles: [], warnings: [] };
  const known: [string, string, string, string][] = [
    ['logging.logEntries.create', "ERROR: build step 0 failed: Permission 'logging.logEntries.create' denied on resource", 'roles/logging.logWriter', 'serviceAccount:123456-compute@developer.gserviceaccount.com'],
    ['artifactregistry upload', "denied: Permission 'artifactregistry.repositories.uploadArtifacts' denied on resource", 'roles/artifactregistry.writer', 'serviceAccount:123456-compute@developer.gserviceaccount.com'],
    ['Cloud Build refusing the caller', "ERROR: (gcloud.builds.submit) PERMISSION_DENIED: The caller does not have permission. Permission 'cloudbuild.builds.create' denied", 'roles/cloudbuild.builds.editor', 'user:alice@example.com'],
  ];
  for (const [name, stderr, role, member] of known) {
    it(`names the missing role on ${name}`, () => {
      const e = explainGcloudFailure(['builds', 'submit', '.'], { code: 1, stdout: '', stderr }, pf);
      const text = [e.message, ...e.hints].join('\n');
      expect(text).toContain(`needs ${role}`);
      expect(text).toContain(`gcloud projects add-iam-policy-binding proj-1 --member=${member} --role=${role} --condition=None`);
    });
  }

  it('explains GPU quota and region errors', () => {
    const q = explainGcloudFailure(['run', 'deploy', 'x'], { code: 1, stdout: '', stderr: 'ERROR: (gcloud.run.deploy) Quota exceeded for total allowable count of GPUs per project per region' }, pf);
    expect(q.message).toMatch(/quota/i);
    expect(q.hints.join('\n')).toContain('Total Nvidia L4 GPU allocation');
    const g = explainGcloudFailure(['run', 'deploy', 'x'], { code: 1, stdout: '', stderr: 'ERROR: GPU type nvidia-l4 is not supported in region us-west2' }, pf);
    expect(g.message).toContain('does not offer Cloud Run GPUs');
  });
});
