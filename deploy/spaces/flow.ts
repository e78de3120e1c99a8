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
import { DEFAULT_SLEEP_SECONDS, isPaidFlavor, renderReadme, type SpaceCard } from './readme.ts';
import { modelFacts, type ModelFacts } from '../model.ts';

export interface SpacesOptions {
  /** owner/name, or name (owner = the token's user). */
  space: string;
  /** undefined: keep the Space's hardware (a new Space starts on cpu-basic). */
  hardware?: string;
  /** undefined: keep the Space's visibility (a new Space is public). */
  visibility?: 'private' | 'public';
  /** Sleep after this many idle seconds on paid hardware; -1 never sleeps; undefined: keep, or 1 h if unset. */
  sleepSeconds?: number;
  /** Secret values; only their names are ever printed. HF_TOKEN is added here only when the model needs one. */
  secrets: Record<string, string>;
  variables: Record<string, string>;
  /** The model the app loads, its revision to pin (resolved to a commit in preflight) and whether it is baked in. */
  modelId: string;
  modelRevision?: string;
  bakeModel: boolean;
  /** The app's own read token (SPACE_HF_TOKEN), given to it only when the model needs one. */
  appToken?: string;
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
  let model: ModelFacts | undefined;
  let existedPrivate: boolean | undefined;
  const pinned = () => model?.sha ?? opts.modelRevision;
  const variables = (): Record<string, string> => ({
    ...opts.variables,
    BAKE_MODEL: opts.bakeModel ? '1' : '0',
    ...(pinned() ? { MODEL_REVISION: pinned()! } : {}),
  });
  const needsToken = () => model !== undefined && model.access !== 'public';
  const secrets = (): Record<string, string> => ({ ...opts.secrets, ...(needsToken() && opts.appToken ? { HF_TOKEN: opts.appToken } : {}) });

  const steps: Step[] = [
    {
      id: 'preflight',
      title: 'Check the token and the Space name',
      describe: () => [
        `GET ${hub}/api/whoami-v2  (HF_TOKEN from the environment: ${opts.token ? 'set' : 'NOT SET'})`,
        'the token needs the "write" role on the Space owner',
        `GET ${hub}/api/models/${opts.modelId}/revision/${opts.modelRevision ?? 'main'}  (no credentials): public → the app gets no token; gated/private → it gets SPACE_HF_TOKEN (${opts.appToken ? 'set' : 'not set'}); the commit is pinned as MODEL_REVISION`,
      ],
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
        // The model: does the app need a token for it, and which commit to pin?
        model = await modelFacts(hub, opts.modelId, opts.modelRevision ?? 'main', opts.appToken ?? t);
        if (model.access !== 'public' && !opts.appToken) {
          throw new DeployError(`${opts.modelId} is ${model.access}: the app needs a token to download it.`, [
            'Create a read-only token at https://huggingface.co/settings/tokens (the deploying write token is never given to the app)',
            'export SPACE_HF_TOKEN=hf_…   and run again',
          ]);
        }
        return `${me.name}${role ? ` (${role} token)` : ''} → ${spaceId}; model ${opts.modelId}@${(pinned() ?? 'main').slice(0, 12)} (${model.access})`;
      },
    },
    {
      id: 'create',
      title: 'Create the Docker Space (or reuse it)',
      describe: () => [
        `POST ${hub}/api/repos/create  {type: "space", name: "${spaceId}", sdk: "docker", visibility: "${opts.visibility ?? 'public'}", license: "${opts.card.license}"}`,
        `HTTP 409 (exists) → reuse it, if its sdk is docker; ${opts.visibility ? `make it ${opts.visibility} if it is not (PUT ${hub}/api/spaces/${spaceId}/settings)` : 'its visibility is kept (--private / --public change it)'}`,
      ],
      run: async () => {
        try {
          await createRepo({ repo: repo(), accessToken: token(), hubUrl: hub, sdk: 'docker', visibility: opts.visibility ?? 'public', license: opts.card.license });
          existedPrivate = opts.visibility === 'private';
          return `created ${spaceId} (${opts.visibility ?? 'public'})`;
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
        existedPrivate = Boolean(info.private);
        const now = existedPrivate ? 'private' : 'public';
        if (!opts.visibility || opts.visibility === now) return `exists (${now}), reused`;
        try {
          await api().setPrivate(opts.visibility === 'private');
        } catch (err) {
          throw new DeployError(`${spaceId} is ${now} and could not be made ${opts.visibility}: ${(err as Error).message}`, [
            `Change it on ${hub}/spaces/${spaceId}/settings, or run again without --${opts.visibility} to keep it ${now}`,
          ]);
        }
        existedPrivate = opts.visibility === 'private';
        return `exists, reused, now ${opts.visibility} (was ${now})`;
      },
    },
    {
      id: 'variables',
      title: 'Set Space variables',
      describe: () =>
        Object.entries(variables())
          .map(([k, v]) => `POST ${hub}/api/spaces/${spaceId}/variables  {key: "${k}", value: ${JSON.stringify(v)}}`)
          .concat(pinned() ? [] : ['and MODEL_REVISION: the commit the model\'s revision resolves to in preflight (weights never change under a running app)']),
      run: async () => {
        for (const [key, value] of Object.entries(variables())) {
          await api().setVariable(key, value).catch((err: unknown) => {
            throw explainHubError(err, 'variables', spaceId);
          });
        }
        return Object.keys(variables()).join(', ') || 'none';
      },
    },
    {
      id: 'secrets',
      title: 'Set Space secrets',
      describe: () => [
        ...Object.keys(opts.secrets).map((k) => `POST ${hub}/api/spaces/${spaceId}/secrets  {key: "${k}", value: <hidden>}`),
        `HF_TOKEN: SPACE_HF_TOKEN when the model is gated or private, else none (DELETE …/secrets {key: "HF_TOKEN"}: an earlier deploy's token is removed)`,
      ],
      run: async () => {
        const all = secrets();
        for (const [key, value] of Object.entries(all)) {
          await api().setSecret(key, value).catch((err: unknown) => {
            throw explainHubError(err, 'secrets', spaceId);
          });
        }
        // A public model needs no token: take away one an older deploy may have left (the Hub ignores a missing key).
        if (!('HF_TOKEN' in all)) await api().request('DELETE', `/api/spaces/${spaceId}/secrets`, { key: 'HF_TOKEN' }).catch(() => undefined);
        return Object.keys(all).join(', ') || 'none';
      },
    },
    {
      id: 'hardware',
      title: opts.hardware ? `Request hardware ${opts.hardware}` : 'Keep the Space\'s hardware',
      describe: () => [
        `GET ${hub}/api/spaces/${spaceId}/runtime`,
        opts.hardware
          ? `if hardware.requested ≠ ${opts.hardware}: POST ${hub}/api/spaces/${spaceId}/hardware  {flavor: "${opts.hardware}"}`
          : 'no --hardware: the hardware stays as it is (a new Space runs on cpu-basic)',
        `on paid hardware (anything but cpu-basic): POST ${hub}/api/spaces/${spaceId}/sleeptime  {seconds: ${opts.sleepSeconds ?? DEFAULT_SLEEP_SECONDS}}${opts.sleepSeconds === undefined ? ' when no sleep time is set yet (paid hardware never sleeps otherwise and is billed while awake)' : ''}`,
      ],
      run: async () => {
        const a = api();
        try {
          runtime = await a.runtime();
          const requested = runtime.hardware?.requested ?? runtime.hardware?.current ?? 'cpu-basic';
          let flavor = requested;
          let result = `kept ${requested}`;
          if (opts.hardware && requested !== opts.hardware) {
            await a.requestHardware(opts.hardware);
            flavor = opts.hardware;
            result = `requested ${opts.hardware} (was ${requested})`;
          } else if (opts.hardware) result = `already ${opts.hardware}`;
          if (isPaidFlavor(flavor)) {
            const current = runtime.gcTimeout;
            const wanted = opts.sleepSeconds ?? (current === null || current === undefined ? DEFAULT_SLEEP_SECONDS : undefined);
            if (wanted !== undefined && wanted !== current) {
              await a.setSleepTime(wanted);
              result += wanted < 0 ? ', never sleeps' : `, sleeps after ${wanted} s idle`;
            } else result += `, sleep time kept (${current} s)`;
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
        const isPrivate = existedPrivate ?? opts.visibility === 'private';
        if (isPrivate && opts.token) headers.Authorization = `Bearer ${opts.token}`;
        if (opts.apiKey) headers['X-API-Key'] = opts.apiKey;
        await waitReady(base, { headers, timeoutMs: opts.readyTimeoutMs, intervalMs: Math.min(opts.pollMs, 5000), status: ctx.status, buildId: opts.buildId });
        ctx.status('generating');
        const r = await gradioSmoke(base, { token: isPrivate ? opts.token : undefined, headers: opts.apiKey ? { 'X-API-Key': opts.apiKey } : undefined });
        out.line(`      ${r.status}`);
        for (const l of r.code.split('\n').slice(0, 6)) out.line(`      │ ${l}`);
        return `generation OK at ${base}`;
      },
    });
  }

  return {
    target: `Hugging Face Space ${spaceId}`,
    header: [
      `Space ${spaceId} (${opts.visibility ?? 'visibility kept; new: public'}), hardware ${opts.hardware ?? 'kept (new: cpu-basic)'}, hub ${hub}, build ${opts.buildId}`,
      `model ${opts.modelId}@${opts.modelRevision ?? 'main (pinned to its commit)'}, ${opts.bakeModel ? 'baked into the image' : 'downloaded at start (--no-bake-model)'}`,
      `secrets: ${[...Object.keys(opts.secrets), 'HF_TOKEN only if the model needs one'].join(', ')}; variables: ${Object.keys(variables()).join(', ')}`,
    ],
    steps,
    summary: () => [
      `Space: ${spaceId}  (${hub}/spaces/${spaceId})`,
      `Hardware: ${runtime?.hardware?.current ?? opts.hardware ?? '?'}, stage ${runtime?.stage ?? '?'}`,
      ...(commitUrl ? [`Commit: ${commitUrl}`] : []),
      ...(isPaidFlavor(runtime?.hardware?.current ?? opts.hardware ?? 'cpu-basic') ? ['Paid hardware is billed while the Space is awake; it sleeps after the sleep time, or pause it on its settings page.'] : []),
    ],
  };
}
