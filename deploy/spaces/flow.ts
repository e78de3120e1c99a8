/**
 * The Spaces target as a plan: preflight → create → variables → secrets →
 * hardware → one upload commit → follow the build → smoke test. Each step is
 * idempotent, so re-running after a failure continues where it stopped.
 * Library calls get `hubUrl`; the raw routes use the same base (tests point
 * both at a local stand-in).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commit, createRepo, listFiles, whoAmI } from '@huggingface/hub';
import type { CommitOperation } from '@huggingface/hub';
import { DeployError } from '../errors.ts';
import { formatBytes, type AppFile } from '../files.ts';
import type { Plan, Step } from '../plan.ts';
import type { Output } from '../progress.ts';
import { SMOKE_DESCRIPTION, gradioSmoke, waitReady } from '../smoke.ts';
import { explainHubError } from './explain.ts';
import { SpaceApi, type SpaceRuntime } from './hub.ts';
import { followStage } from './wait.ts';
import { isGpuFlavor, renderReadme, type SpaceCard } from './readme.ts';

export interface SpacesOptions {
  /** owner/name, or name (owner = the token's user). */
  space: string;
  hardware: string;
  private: boolean;
  /** Sleep after this many idle seconds (GPU flavors only); -1 never sleeps. */
  sleepSeconds: number;
  /** Secret values; only their names are ever printed. */
  secrets: Record<string, string>;
  variables: Record<string, string>;
  hubUrl: string;
  /** The deploying token (write role). */
  token: string | undefined;
  card: SpaceCard;
  files: AppFile[];
  root: string;
  buildId: string;
  waitTimeoutMs: number;
  pollMs: number;
  /** A RUNNING stage seen this soon after the upload may still be the old revision. */
  settleMs: number;
  smoke: boolean;
  /** Smoke-test this URL instead of the Space's host (tests, custom domains). */
  appUrl?: string;
  readyTimeoutMs: number;
  /** X-API-Key header for the smoke test when the app has API_KEY set. */
  apiKey?: string;
}

/** Everything uploaded: the generated README, the BUILD_ID marker, then the app files. */
export function uploadList(opts: SpacesOptions, spaceId: string): { path: string; size: number; content: () => Blob }[] {
  const readme = renderReadme(opts.card, spaceId);
  const generated = [
    { path: 'README.md', size: Buffer.byteLength(readme), content: () => new Blob([readme]) },
    { path: 'BUILD_ID', size: opts.buildId.length + 1, content: () => new Blob([`${opts.buildId}\n`]) },
  ];
  const names = new Set(generated.map((g) => g.path));
  const app = opts.files
    .filter((f) => !names.has(f.path))
    .map((f) => ({ path: f.path, size: f.size, content: () => new Blob([readFileSync(join(opts.root, f.path))]) }));
  return [...generated, ...app];
}

export function spacesPlan(opts: SpacesOptions, out: Output): Plan & { summary(): string[] } {
  const hub = opts.hubUrl.replace(/\/$/, '');
  // Resolved in preflight; the dry run shows the name as given.
  let spaceId = opts.space.includes('/') ? opts.space : `<you>/${opts.space}`;
  const token = () => {
    if (!opts.token) throw new DeployError('HF_TOKEN is not set.', ['Create a token with the "write" role at https://huggingface.co/settings/tokens', 'export HF_TOKEN=hf_…   (deploy.ts reads it from the environment only)']);
    return opts.token;
  };
  const api = () => new SpaceApi(hub, token(), spaceId);
  const repo = () => ({ type: 'space' as const, name: spaceId });
  let runtime: SpaceRuntime | undefined;
  let commitUrl = '';
  const files = () => uploadList(opts, spaceId);
  const gpu = isGpuFlavor(opts.hardware);

  const steps: Step[] = [
    {
      id: 'preflight',
      title: 'Check the token and the Space name',
      describe: () => [`GET ${hub}/api/whoami-v2  (HF_TOKEN from the environment: ${opts.token ? 'set' : 'NOT SET'})`, 'the token needs the "write" role on the Space owner'],
      run: async () => {
        const t = token();
        if (!t.startsWith('hf_')) throw new DeployError('HF_TOKEN does not look like a Hugging Face token (it must start with "hf_").', ['export HF_TOKEN=hf_…']);
        let me: Awaited<ReturnType<typeof whoAmI>>;
        try {
          me = await whoAmI({ accessToken: t, hubUrl: hub });
        } catch (err) {
          throw explainHubError(err, 'whoami', spaceId);
        }
        if (!opts.space.includes('/')) spaceId = `${me.name}/${opts.space}`;
        const owner = spaceId.split('/')[0]!;
        const role = me.auth?.accessToken?.role;
        if (role === 'read') throw new DeployError('HF_TOKEN is a read-only token; creating and updating a Space needs "write".', ['Create a write token at https://huggingface.co/settings/tokens']);
        const orgs = me.type === 'user' ? me.orgs?.map((o) => o.name) ?? [] : [];
        if (me.type === 'user' && owner !== me.name && !orgs.includes(owner)) {
          throw new DeployError(`The token belongs to "${me.name}", who is not "${owner}" nor a member of an organisation called "${owner}".`, [
            `Deploy under your own name: --space ${me.name}/${spaceId.split('/')[1]}`,
            `Or use a token of a member of "${owner}"`,
          ]);
        }
        return `${me.name}${role ? ` (${role} token)` : ''} → ${spaceId}`;
      },
    },
    {
      id: 'create',
      title: 'Create the Docker Space (or reuse it)',
      describe: () => [`POST ${hub}/api/repos/create  {type: "space", name: "${spaceId}", sdk: "docker", visibility: "${opts.private ? 'private' : 'public'}", license: "${opts.card.license}"}`, 'HTTP 409 (exists) → reuse it, if its sdk is docker'],
      run: async () => {
        try {
          await createRepo({ repo: repo(), accessToken: token(), hubUrl: hub, sdk: 'docker', visibility: opts.private ? 'private' : 'public', license: opts.card.license });
          return `created ${spaceId}`;
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode !== 409) throw explainHubError(err, 'create', spaceId);
        }
        // It exists: it must be ours to write (the upload would fail later otherwise) and a Docker Space.
        const info = await api().request<{ sdk?: string; private?: boolean }>('GET', `/api/spaces/${spaceId}`).catch((err: unknown) => {
          throw explainHubError(err, 'create', spaceId);
        });
        if (info.sdk && info.sdk !== 'docker') {
          throw new DeployError(`${spaceId} exists but uses sdk "${info.sdk}", not docker.`, ['Pick another --space name, or change its sdk to docker in its README and run again']);
        }
        return 'exists, reused';
      },
    },
    {
      id: 'variables',
      title: 'Set Space variables',
      describe: () => Object.entries(opts.variables).map(([k, v]) => `POST ${hub}/api/spaces/${spaceId}/variables  {key: "${k}", value: ${JSON.stringify(v)}}`).concat(Object.keys(opts.variables).length ? [] : ['(none)']),
      run: async () => {
        for (const [key, value] of Object.entries(opts.variables)) {
          await api().setVariable(key, value).catch((err: unknown) => {
            throw explainHubError(err, 'variables', spaceId);
          });
        }
        return Object.keys(opts.variables).join(', ') || 'none';
      },
    },
    {
      id: 'secrets',
      title: 'Set Space secrets',
      describe: () => Object.keys(opts.secrets).map((k) => `POST ${hub}/api/spaces/${spaceId}/secrets  {key: "${k}", value: <hidden>}`).concat(Object.keys(opts.secrets).length ? [] : ['(none)']),
      run: async () => {
        for (const [key, value] of Object.entries(opts.secrets)) {
          await api().setSecret(key, value).catch((err: unknown) => {
            throw explainHubError(err, 'secrets', spaceId);
          });
        }
        return Object.keys(opts.secrets).join(', ') || 'none';
      },
    },
    {
      id: 'hardware',
      title: `Request hardware ${opts.hardware}`,
      describe: () => [
        `GET ${hub}/api/spaces/${spaceId}/runtime; if hardware.requested ≠ ${opts.hardware}:`,
        `POST ${hub}/api/spaces/${spaceId}/hardware  {flavor: "${opts.hardware}"}`,
        ...(gpu ? [`POST ${hub}/api/spaces/${spaceId}/sleeptime  {seconds: ${opts.sleepSeconds}}  (GPU Spaces are billed while awake)`] : []),
      ],
      run: async () => {
        const a = api();
        try {
          runtime = await a.runtime();
          const requested = runtime.hardware?.requested ?? runtime.hardware?.current;
          let result = `already ${opts.hardware}`;
          if (requested !== opts.hardware) {
            await a.requestHardware(opts.hardware);
            result = `requested ${opts.hardware} (was ${requested ?? 'none'})`;
          }
          if (gpu) {
            await a.setSleepTime(opts.sleepSeconds);
            result += opts.sleepSeconds < 0 ? ', never sleeps' : `, sleeps after ${opts.sleepSeconds} s idle`;
          }
          return result;
        } catch (err) {
          throw explainHubError(err, 'hardware', spaceId);
        }
      },
    },
    {
      id: 'upload',
      title: 'Upload the app in one commit',
      describe: () => {
        const list = files();
        const total = list.reduce((s, f) => s + f.size, 0);
        return [
          `POST ${hub}/api/spaces/${spaceId}/preupload/main, then POST …/commit/main: one commit "Deploy ${opts.buildId}" with ${list.length} files (${formatBytes(total)}); files in the Space but not here are deleted in the same commit`,
          ...list.map((f) => `${f.path.padEnd(48)} ${formatBytes(f.size)}`),
          '--- README.md ---',
          ...renderReadme(opts.card, spaceId).split('\n'),
        ];
      },
      run: async (ctx) => {
        const list = files();
        const keep = new Set(list.map((f) => f.path));
        const stale: string[] = [];
        try {
          for await (const f of listFiles({ repo: repo(), recursive: true, accessToken: token(), hubUrl: hub })) {
            if (f.type === 'file' && !keep.has(f.path) && f.path !== '.gitattributes') stale.push(f.path);
          }
        } catch (err) {
          throw explainHubError(err, 'upload', spaceId);
        }
        const operations: CommitOperation[] = [
          ...list.map((f) => ({ operation: 'addOrUpdate' as const, path: f.path, content: f.content() })),
          ...stale.map((path) => ({ operation: 'delete' as const, path })),
        ];
        const total = list.reduce((s, f) => s + f.size, 0);
        const largest = [...list].sort((x, y) => y.size - x.size).slice(0, 5);
        out.line(`      ${list.length} files, ${formatBytes(total)}; largest: ${largest.map((f) => `${f.path} ${formatBytes(f.size)}`).join(', ')}`);
        if (stale.length) out.line(`      deleting from the Space: ${stale.join(', ')}`);
        ctx.status(`${list.length} files, ${formatBytes(total)}${stale.length ? `, deleting ${stale.length}` : ''}`);
        try {
          const res = await commit({ repo: repo(), accessToken: token(), hubUrl: hub, title: `Deploy ${opts.buildId}`, description: 'Uploaded by deploy.ts', operations });
          commitUrl = res?.commit.url ?? '';
          return `${list.length} files (${formatBytes(total)})${stale.length ? `, ${stale.length} deleted` : ''}, commit ${res?.commit.oid.slice(0, 12) ?? '?'}`;
        } catch (err) {
          throw explainHubError(err, 'upload', spaceId);
        }
      },
    },
    {
      id: 'wait',
      title: 'Follow the build until the Space runs',
      describe: () => [`GET ${hub}/api/spaces/${spaceId}/runtime every ${Math.round(opts.pollMs / 1000)} s, at most ${Math.round(opts.waitTimeoutMs / 60000)} min: BUILDING → APP_STARTING → RUNNING; on *_ERROR print errorMessage and the log tail (GET …/logs/build or …/logs/run)`],
      run: async (ctx) => {
        const rt = await followStage(api(), { spaceId, hub, pollMs: opts.pollMs, waitTimeoutMs: opts.waitTimeoutMs, settleMs: opts.settleMs, line: (l) => out.line(`      ${l}`), status: ctx.status });
        runtime = rt;
        return `RUNNING on ${rt.hardware?.current ?? '?'}`;
      },
    },
  ];

  if (opts.smoke) {
    steps.push({
      id: 'smoke',
      title: 'Smoke test: /api/ready, then one generation with @gradio/client',
      describe: () => [
        opts.appUrl ? `app URL ${opts.appUrl}` : `GET ${hub}/api/spaces/${spaceId}/host → the app's URL`,
        `GET <app>/api/ready until state "ready" (model loaded) and /api/health says build ${opts.buildId}`,
        `Client.connect(<app>, {token${opts.apiKey ? ', headers: {"X-API-Key": <hidden>}' : ''}}).predict("/generate", {description: ${JSON.stringify(SMOKE_DESCRIPTION.slice(0, 40) + '…')}})`,
      ],
      run: async (ctx) => {
        const base = opts.appUrl ?? (await api().host());
        const headers: Record<string, string> = {};
        if (opts.private && opts.token) headers.Authorization = `Bearer ${opts.token}`;
        if (opts.apiKey) headers['X-API-Key'] = opts.apiKey;
        await waitReady(base, { headers, timeoutMs: opts.readyTimeoutMs, intervalMs: Math.min(opts.pollMs, 5000), status: ctx.status, buildId: opts.buildId });
        ctx.status('generating');
        const r = await gradioSmoke(base, { token: opts.private ? opts.token : undefined, headers: opts.apiKey ? { 'X-API-Key': opts.apiKey } : undefined });
        out.line(`      ${r.status}`);
        for (const l of r.code.split('\n').slice(0, 6)) out.line(`      │ ${l}`);
        return `generation OK at ${base}`;
      },
    });
  }

  return {
    target: `Hugging Face Space ${spaceId}`,
    header: [
      `Space ${spaceId} (${opts.private ? 'private' : 'public'}), hardware ${opts.hardware}, hub ${hub}, build ${opts.buildId}`,
      `secrets: ${Object.keys(opts.secrets).join(', ') || 'none'}; variables: ${Object.keys(opts.variables).join(', ') || 'none'}`,
    ],
    steps,
    summary: () => [
      `Space: ${spaceId}  (${hub}/spaces/${spaceId})`,
      `Hardware: ${runtime?.hardware?.current ?? opts.hardware}, stage ${runtime?.stage ?? '?'}`,
      ...(commitUrl ? [`Commit: ${commitUrl}`] : []),
      ...(isGpuFlavor(opts.hardware) ? ['GPU hardware is billed while the Space is awake; pause it on its settings page when unused.'] : []),
    ],
  };
}
