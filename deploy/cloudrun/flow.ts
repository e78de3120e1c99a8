/**
 * The Cloud Run target as a plan: preflight → APIs → Artifact Registry →
 * runtime service account and its roles → HF_TOKEN in Secret Manager and who
 * may read it → Cloud Build → `gcloud run deploy` with one L4 → URL → smoke
 * test. Every step looks before it creates, so a second run skips what
 * exists and a run after a partial failure continues.
 */
import { DEFAULT_QUEUE_LENGTH } from '../../common/limits.ts';
import { DeployError } from '../errors.ts';
import type { Plan, Step } from '../plan.ts';
import type { Output } from '../progress.ts';
import type { Redactor } from '../redact.ts';
import { SMOKE_DESCRIPTION, gradioSmoke, waitReady } from '../smoke.ts';
import { formatCommand, isNotFound, type Gcloud, type GcloudResult } from './gcloud.ts';
import { preflight, rolesOf, type PreflightResult } from './preflight.ts';
import { buildCommand, deployCommand, type DeployInputs, type Target } from './commands.ts';
import { defaultConcurrency } from './limits.ts';
import { modelFacts, type ModelFacts } from '../model.ts';
import { explainGcloudFailure } from './explain.ts';
import { REQUIRED_APIS, RUNTIME_ROLES } from './roles.ts';

export interface CloudRunOptions {
  project?: string;
  region?: string;
  service: string;
  repository: string;
  /** Account name (before the @) of the runtime service account. */
  serviceAccountName: string;
  secretName: string;
  /** HF_TOKEN from the environment; asked for when a secret must be written and this is empty. */
  token?: string;
  askToken: () => Promise<string | undefined>;
  /** Adds a new secret version even when the secret exists. */
  updateSecret: boolean;
  /** API_KEY for the app, stored as a second secret when set. */
  apiKey?: string;
  tag: string;
  cpu: string;
  memory: string;
  /** undefined: the default for the instance count (see limits.ts defaultConcurrency). */
  concurrency?: number;
  /** undefined: keep the service's value on a re-deploy; a new service gets 1. */
  maxInstances?: number;
  minInstances: number;
  timeoutSeconds: number;
  gpuZonalRedundancy: boolean;
  public: boolean;
  modelPath?: string;
  bakeModel: boolean;
  modelId: string;
  /** A branch, tag or commit; resolved to a commit before the build and pinned. */
  modelRevision?: string;
  /** The Hub to ask whether the model is public and which commit the revision is. */
  hubUrl: string;
  envVars: Record<string, string>;
  skipRegionCheck: boolean;
  grantBuildRoles: boolean;
  /** Rebuild even when the image tag already exists. */
  rebuild: boolean;
  smoke: boolean;
  readyTimeoutMs: number;
  pollMs: number;
  root: string;
}

/** Concurrency that matches the server's queue: the running job plus every waiting slot. */
export const DEFAULT_CONCURRENCY = DEFAULT_QUEUE_LENGTH + 1;
/** A new service's instance ceiling when none is given (one L4 is the usual starting quota). */
export const NEW_SERVICE_MAX_INSTANCES = 1;

export function cloudRunPlan(opts: CloudRunOptions, gcloud: Gcloud, out: Output, redactor: Redactor): Plan {
  const project = opts.project ?? '<gcloud config project>';
  const region = opts.region ?? '<region>';
  const p = () => `--project=${pf?.project ?? project}`;
  const proj = () => pf?.project ?? project;
  const reg = () => pf?.region ?? region;
  const runtimeSa = () => `${opts.serviceAccountName}@${proj()}.iam.gserviceaccount.com`;
  const image = () => `${reg()}-docker.pkg.dev/${proj()}/${opts.repository}/${opts.service}:${opts.tag}`;
  const apiKeySecret = `${opts.secretName}-api-key`;
  const bucket = opts.modelPath?.startsWith('gs://') ? opts.modelPath.slice(5).split('/')[0] : undefined;
  let pf: PreflightResult | undefined;
  let url = '';

  /** Runs gcloud; a non-zero exit becomes a DeployError with the known fixes. */
  const must = async (args: string[], stdin?: string, onLine?: (line: string) => void): Promise<GcloudResult> => {
    const r = await gcloud(args, { ...(stdin === undefined ? {} : { stdin }), ...(onLine ? { onLine } : {}) });
    if (r.code !== 0) throw explainGcloudFailure(args, r, pf);
    return r;
  };

  let model: ModelFacts | undefined;
  /** The app (and a bake) need HF_TOKEN only for a gated or private model; unknown before the lookup. */
  const withToken = () => model !== undefined && model.access !== 'public';
  const revision = () => model?.sha ?? opts.modelRevision ?? 'main';
  let deployInputs: DeployInputs | undefined;
  const target = (): Target => ({ project: proj(), region: reg(), image: image(), runtimeSa: runtimeSa() });
  const buildArgs = () => buildCommand(target(), { ...opts, modelRevision: revision(), withToken: withToken() && opts.bakeModel });
  const plannedDeploy = (): DeployInputs => {
    const max = opts.maxInstances;
    return { modelRevision: revision(), withToken: withToken(), maxInstances: max, concurrency: opts.concurrency ?? defaultConcurrency(max, DEFAULT_QUEUE_LENGTH), sessionAffinity: (max ?? 1) > 1 };
  };
  const deployArgs = () => deployCommand(target(), opts, apiKeySecret, deployInputs ?? plannedDeploy());

  const secretValue = async (): Promise<string> => {
    const t = opts.token || (await opts.askToken());
    if (!t) throw new DeployError('HF_TOKEN is needed to create the secret, and none was given.', ['export HF_TOKEN=hf_…  (a read token is enough for the runtime) and run again']);
    redactor.add(t);
    return t;
  };

  const steps: Step[] = [
    {
      id: 'preflight',
      title: 'Preflight: gcloud, account, project, L4 region, roles',
      describe: () => [
        formatCommand(['--version']),
        formatCommand(['auth', 'list', '--filter=status:ACTIVE', '--format=value(account)']),
        `region must have Cloud Run L4 GPUs (${region})`,
        formatCommand(['projects', 'describe', project, '--format=value(projectNumber)']),
        formatCommand(['builds', 'get-default-service-account', `--project=${project}`, '--format=value(serviceAccountEmail)']),
        formatCommand(['projects', 'get-iam-policy', project, '--format=json']) + '  (caller roles; build account needs storage.objectViewer, logging.logWriter, artifactregistry.writer)',
      ],
      run: async () => {
        pf = await preflight(gcloud, opts, (l) => out.line(`      ${l}`));
        return `${pf.account} on ${pf.project} (${pf.region})`;
      },
    },
    {
      id: 'model',
      title: `Look up the model ${opts.modelId}`,
      describe: () => [
        `GET ${opts.hubUrl}/api/models/${opts.modelId}/revision/${opts.modelRevision ?? 'main'}  (no credentials)`,
        'public → no HF_TOKEN anywhere (build or service); gated/private → HF_TOKEN (a read token is enough) goes to Secret Manager',
        `the commit it resolves to is pinned: the bake downloads it and the service gets MODEL_REVISION=<commit>`,
      ],
      run: async () => {
        model = await modelFacts(opts.hubUrl, opts.modelId, opts.modelRevision ?? 'main', opts.token);
        if (!model.sha && withToken()) {
          // A private model and no token yet: ask, then resolve its commit with it.
          const t = await secretValue();
          model = await modelFacts(opts.hubUrl, opts.modelId, opts.modelRevision ?? 'main', t);
        }
        return `${model.access}, revision ${revision().slice(0, 12)}${withToken() ? '; needs HF_TOKEN' : '; no token needed'}`;
      },
    },
    {
      id: 'apis',
      title: 'Enable the APIs',
      describe: () => [formatCommand(['services', 'list', '--enabled', p(), '--format=value(config.name)']), formatCommand(['services', 'enable', ...REQUIRED_APIS, p()]) + '  (only the missing ones)'],
      run: async () => {
        const enabled = new Set((await must(['services', 'list', '--enabled', p(), '--format=value(config.name)'])).stdout.split('\n').map((s) => s.trim()));
        const missing = REQUIRED_APIS.filter((a) => !enabled.has(a));
        if (!missing.length) return 'all enabled, skipped';
        await must(['services', 'enable', ...missing, p()]);
        return `enabled ${missing.join(', ')}`;
      },
    },
    {
      id: 'artifact-repo',
      title: `Artifact Registry repository ${opts.repository}`,
      describe: () => [
        formatCommand(['artifacts', 'repositories', 'describe', opts.repository, `--location=${region}`, p(), '--format=value(name)']),
        'if missing: ' + formatCommand(['artifacts', 'repositories', 'create', opts.repository, '--repository-format=docker', `--location=${region}`, p(), '--description=mermaid-flow images']),
      ],
      run: async () => {
        const d = await gcloud(['artifacts', 'repositories', 'describe', opts.repository, `--location=${reg()}`, p(), '--format=value(name)']);
        if (d.code === 0) return 'exists, skipped';
        if (!isNotFound(d)) throw explainGcloudFailure(['artifacts', 'repositories', 'describe'], d, pf);
        await must(['artifacts', 'repositories', 'create', opts.repository, '--repository-format=docker', `--location=${reg()}`, p(), '--description=mermaid-flow images']);
        return 'created';
      },
    },
    {
      id: 'service-account',
      title: `Runtime service account ${opts.serviceAccountName}`,
      describe: () => [
        formatCommand(['iam', 'service-accounts', 'describe', runtimeSa(), p(), '--format=value(email)']),
        'if missing: ' + formatCommand(['iam', 'service-accounts', 'create', opts.serviceAccountName, '--display-name=mermaid-flow runtime', p()]),
      ],
      run: async () => {
        const d = await gcloud(['iam', 'service-accounts', 'describe', runtimeSa(), p(), '--format=value(email)']);
        if (d.code === 0) return 'exists, skipped';
        if (!isNotFound(d)) throw explainGcloudFailure(['iam', 'service-accounts', 'describe'], d, pf);
        await must(['iam', 'service-accounts', 'create', opts.serviceAccountName, '--display-name=mermaid-flow runtime', p()]);
        return 'created';
      },
    },
    {
      id: 'runtime-roles',
      title: 'Grant the runtime account only what it needs',
      describe: () => [
        formatCommand(['projects', 'get-iam-policy', project, '--format=json']),
        ...RUNTIME_ROLES.map((r) => 'if missing: ' + formatCommand(['projects', 'add-iam-policy-binding', project, `--member=serviceAccount:${runtimeSa()}`, `--role=${r}`, '--condition=None', '--format=none'])),
        ...(opts.grantBuildRoles ? ['and for the Cloud Build account, each missing build role (--grant-build-roles)'] : []),
      ],
      run: async () => {
        const policy = JSON.parse((await must(['projects', 'get-iam-policy', proj(), '--format=json'])).stdout || '{}');
        const have = rolesOf(policy, `serviceAccount:${runtimeSa()}`);
        const grants: [string, string][] = RUNTIME_ROLES.filter((r) => !have.has(r)).map((r) => [`serviceAccount:${runtimeSa()}`, r]);
        if (opts.grantBuildRoles && pf) for (const r of pf.missingBuildRoles) grants.push([`serviceAccount:${pf.buildAccount}`, r]);
        for (const [member, role] of grants) await must(['projects', 'add-iam-policy-binding', proj(), `--member=${member}`, `--role=${role}`, '--condition=None', '--format=none']);
        return grants.length ? `granted ${grants.map(([, r]) => r).join(', ')}` : 'already granted, skipped';
      },
    },
    {
      id: 'secret',
      title: `Store HF_TOKEN in Secret Manager (${opts.secretName})`,
      describe: () => [
        formatCommand(['secrets', 'describe', opts.secretName, p(), '--format=value(name)']),
        `if missing${opts.updateSecret ? ' (or --update-secret)' : ''}: ` + formatCommand(['secrets', 'create', opts.secretName, '--replication-policy=automatic', '--data-file=-', p()]) + '  ← token on stdin, from HF_TOKEN or a hidden prompt',
        ...(opts.apiKey ? [`and API_KEY the same way as ${apiKeySecret}`] : []),
      ],
      run: async () => {
        const results: string[] = [];
        const wanted = [...(withToken() ? [[opts.secretName, secretValue]] : []), ...(opts.apiKey ? [[apiKeySecret, async () => opts.apiKey!]] : [])] as [string, () => Promise<string>][];
        if (!wanted.length) return 'no secret needed (public model, no API_KEY), skipped';
        for (const [name, value] of wanted) {
          const d = await gcloud(['secrets', 'describe', name, p(), '--format=value(name)']);
          if (d.code === 0) {
            if (!opts.updateSecret) {
              results.push(`${name} exists, skipped`);
              continue;
            }
            await must(['secrets', 'versions', 'add', name, '--data-file=-', p()], await value());
            results.push(`${name}: new version`);
            continue;
          }
          if (!isNotFound(d)) throw explainGcloudFailure(['secrets', 'describe'], d, pf);
          await must(['secrets', 'create', name, '--replication-policy=automatic', '--data-file=-', p()], await value());
          results.push(`${name} created`);
        }
        return results.join('; ');
      },
    },
    {
      id: 'secret-access',
      title: 'Let the runtime (and build) accounts read the secret',
      describe: () => [
        formatCommand(['secrets', 'get-iam-policy', opts.secretName, p(), '--format=json']),
        'if missing: ' + formatCommand(['secrets', 'add-iam-policy-binding', opts.secretName, `--member=serviceAccount:${runtimeSa()}`, '--role=roles/secretmanager.secretAccessor', p(), '--format=none']),
        'and the same for the Cloud Build account (cloudbuild.yaml mounts the secret; the build uses it with --bake-model)',
      ],
      run: async () => {
        const members = [`serviceAccount:${runtimeSa()}`, ...(pf ? [`serviceAccount:${pf.buildAccount}`] : [])];
        const granted: string[] = [];
        const names = [...(withToken() ? [opts.secretName] : []), ...(opts.apiKey ? [apiKeySecret] : [])];
        if (!names.length) return 'no secret, skipped';
        for (const name of names) {
          const policy = JSON.parse((await must(['secrets', 'get-iam-policy', name, p(), '--format=json'])).stdout || '{}');
          // The build account only needs the HF token (model baking), never the API key.
          for (const m of name === opts.secretName ? members : members.slice(0, 1)) {
            if (rolesOf(policy, m).has('roles/secretmanager.secretAccessor')) continue;
            await must(['secrets', 'add-iam-policy-binding', name, `--member=${m}`, '--role=roles/secretmanager.secretAccessor', p(), '--format=none']);
            granted.push(`${m.split(':')[1]!.split('@')[0]} → ${name}`);
          }
        }
        return granted.length ? `granted ${granted.join(', ')}` : 'already granted, skipped';
      },
    },
  ];

  if (bucket) {
    steps.push({
      id: 'bucket-access',
      title: `Let the runtime account read gs://${bucket}`,
      describe: () => [
        formatCommand(['storage', 'buckets', 'get-iam-policy', `gs://${bucket}`, p(), '--format=json']),
        'if missing: ' + formatCommand(['storage', 'buckets', 'add-iam-policy-binding', `gs://${bucket}`, `--member=serviceAccount:${runtimeSa()}`, '--role=roles/storage.objectViewer', p(), '--format=none']),
      ],
      run: async () => {
        const policy = JSON.parse((await must(['storage', 'buckets', 'get-iam-policy', `gs://${bucket}`, p(), '--format=json'])).stdout || '{}');
        if (rolesOf(policy, `serviceAccount:${runtimeSa()}`).has('roles/storage.objectViewer')) return 'already granted, skipped';
        await must(['storage', 'buckets', 'add-iam-policy-binding', `gs://${bucket}`, `--member=serviceAccount:${runtimeSa()}`, '--role=roles/storage.objectViewer', p(), '--format=none']);
        return 'granted roles/storage.objectViewer';
      },
    });
  }

  steps.push(
    {
      id: 'build',
      title: 'Build the image with Cloud Build',
      describe: () => [
        formatCommand(['artifacts', 'docker', 'images', 'describe', image(), p(), '--format=value(image_summary.digest)']) + '  (exists → skip, unless --rebuild)',
        formatCommand(buildArgs()),
        'cloudbuild.yaml: docker build with BuildKit (HF_TOKEN as a build secret from Secret Manager, only used when _BAKE_MODEL=1), push',
      ],
      run: async (ctx) => {
        if (!opts.rebuild) {
          const d = await gcloud(['artifacts', 'docker', 'images', 'describe', image(), p(), '--format=value(image_summary.digest)']);
          if (d.code === 0) return `${image()} exists, skipped (--rebuild to force)`;
        }
        ctx.status('uploading the source and building (10–20 min the first time)');
        // gcloud streams the build log: show its latest line as the live status.
        await must(buildArgs(), undefined, (l) => ctx.status(l.slice(0, 100)));
        return image();
      },
    },
    {
      id: 'deploy',
      title: `Deploy ${opts.service} to Cloud Run with one NVIDIA L4`,
      describe: () => [
        formatCommand(deployArgs()),
        opts.maxInstances === undefined
          ? `--max-instances not given: a re-deploy keeps the service's value (read with gcloud run services describe); a new service gets ${NEW_SERVICE_MAX_INSTANCES}`
          : `--max-instances ${opts.maxInstances}${opts.maxInstances > 1 ? ': several instances, so --session-affinity (Gradio sessions live in one instance)' : ''}`,
      ],
      run: async (ctx) => {
        const planned = plannedDeploy();
        if (opts.maxInstances === undefined) {
          const d = await gcloud(['run', 'services', 'describe', opts.service, `--region=${reg()}`, p(), '--format=json']);
          if (d.code !== 0 && !isNotFound(d)) throw explainGcloudFailure(['run', 'services', 'describe'], d, pf);
          const current = d.code === 0 ? Number(JSON.parse(d.stdout || '{}').spec?.template?.metadata?.annotations?.['autoscaling.knative.dev/maxScale']) : NaN;
          const keep = Number.isFinite(current) && current >= 1 ? current : undefined;
          // A new service gets the conservative ceiling; an existing one keeps what its owner set.
          const effective = keep ?? NEW_SERVICE_MAX_INSTANCES;
          deployInputs = {
            ...planned,
            maxInstances: keep === undefined ? NEW_SERVICE_MAX_INSTANCES : undefined,
            concurrency: opts.concurrency ?? defaultConcurrency(effective, DEFAULT_QUEUE_LENGTH),
            sessionAffinity: effective > 1,
          };
        } else deployInputs = planned;
        await must(deployArgs(), undefined, (l) => ctx.status(l.slice(0, 100)));
        const max = deployInputs.maxInstances;
        return `new revision serving${max === undefined ? ' (max instances kept)' : ''}`;
      },
    },
    {
      id: 'url',
      title: 'Find the service URL',
      describe: () => [formatCommand(['run', 'services', 'describe', opts.service, `--region=${region}`, p(), '--format=value(status.url)'])],
      run: async () => {
        url = (await must(['run', 'services', 'describe', opts.service, `--region=${reg()}`, p(), '--format=value(status.url)'])).stdout.trim();
        if (!url) throw new DeployError('The service has no URL yet.', ['Run the same command again in a minute']);
        out.line(`      URL: ${url}`);
        return url;
      },
    },
  );

  if (opts.smoke) {
    steps.push({
      id: 'smoke',
      title: 'Smoke test: /api/ready, then one generation with @gradio/client',
      describe: () => [
        ...(opts.public ? [] : [formatCommand(['auth', 'print-identity-token']) + '  (the service is private; the token is sent as Authorization, never printed)']),
        `GET <url>/api/ready until state "ready" and /api/health says build ${opts.tag}`,
        `Client.connect(<url>).predict("/generate", {description: ${JSON.stringify(SMOKE_DESCRIPTION.slice(0, 40) + '…')}})`,
      ],
      run: async (ctx) => {
        const headers: Record<string, string> = {};
        if (!opts.public) {
          const t = (await must(['auth', 'print-identity-token'])).stdout.trim();
          redactor.add(t);
          headers.Authorization = `Bearer ${t}`;
        }
        if (opts.apiKey) headers['X-API-Key'] = opts.apiKey;
        await waitReady(url, { headers, timeoutMs: opts.readyTimeoutMs, intervalMs: opts.pollMs, status: ctx.status, buildId: opts.tag });
        ctx.status('generating');
        const r = await gradioSmoke(url, { headers });
        out.line(`      ${r.status}`);
        for (const l of r.code.split('\n').slice(0, 6)) out.line(`      │ ${l}`);
        return 'generation OK';
      },
    });
  }

  return {
    target: `Cloud Run service ${opts.service} in ${project} (${region})`,
    header: [
      `Cloud Run: ${opts.service}, project ${project}, region ${region}, image tag ${opts.tag}`,
      `1 × NVIDIA L4, ${opts.cpu} CPU, ${opts.memory}, concurrency ${opts.concurrency ?? 'auto'}, instances ${opts.minInstances}–${opts.maxInstances ?? 'kept (new: 1)'}, ${opts.public ? 'public' : 'private (IAM)'}`,
      `model ${opts.modelId}@${opts.modelRevision ?? 'main'} (pinned to its commit), ${opts.bakeModel ? 'baked into the image' : opts.modelPath ? `mounted from ${opts.modelPath}` : 'downloaded at start (--no-bake-model)'}`,
    ],
    steps,
  };
}

export { explainGcloudFailure };
