/**
 * deploy.ts's command line: parse, print help, build the target's plan, then
 * print it (--dry-run) or run it. Secrets come from the environment
 * (HF_TOKEN, API_KEY, SPACE_HF_TOKEN) or a hidden prompt, never from
 * arguments, and every printed line is redacted.
 */
import { parseArgs } from 'node:util';
import { HELP } from './help.ts';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnGcloud, type Gcloud } from './cloudrun/gcloud.ts';
import { DEFAULT_CONCURRENCY, cloudRunPlan } from './cloudrun/flow.ts';
import { cloudRunProblems } from './cloudrun/limits.ts';
import { DeployError, UsageError, formatError } from './errors.ts';
import { gitDirty, gitSha, listAppFiles } from './files.ts';
import { printPlan, runPlan } from './plan.ts';
import { streamOutput, type Output } from './progress.ts';
import { Redactor } from './redact.ts';
import { promptHidden } from './prompt.ts';
import { spacesPlan } from './spaces/flow.ts';
import { DEFAULT_MODEL, SPACE_FLAVORS, defaultCard, isGpuFlavor, validateCard } from './spaces/readme.ts';

export { HELP };


export interface CliDeps {
  out?: Output;
  redactor?: Redactor;
  env?: NodeJS.ProcessEnv;
  gcloud?: Gcloud;
  root?: string;
  /** Test hooks: poll faster. */
  pollMs?: number;
  settleMs?: number;
  askToken?: () => Promise<string | undefined>;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function keyValues(list: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const i = item.indexOf('=');
    if (i <= 0) throw new DeployError(`${flag} expects KEY=VALUE, got "${item}"`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

function int(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} expects a whole number, got "${value}".`);
  return n;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], deps: CliDeps = {}): Promise<number> {
  const redactor = deps.redactor ?? new Redactor();
  const out = deps.out ?? streamOutput(process.stdout, redactor);
  const env = deps.env ?? process.env;
  for (const k of ['HF_TOKEN', 'SPACE_HF_TOKEN', 'API_KEY']) redactor.add(env[k]);
  try {
    return await run(argv, { ...deps, redactor, out, env });
  } catch (err) {
    out.clearStatus();
    for (const l of formatError(err)) out.line(l);
    // 1: the deploy failed (said why); 2: the command line was wrong, or a bug (printed with its stack).
    return err instanceof DeployError && !(err instanceof UsageError) ? 1 : 2;
  }
}

async function run(argv: string[], deps: CliDeps & { redactor: Redactor; out: Output; env: NodeJS.ProcessEnv }): Promise<number> {
  const { out, env, redactor } = deps;
  const [target, ...rest] = argv;
  if (!target || target === '-h' || target === '--help' || rest.includes('--help') || rest.includes('-h')) {
    out.line(HELP);
    return target ? 0 : argv.length ? 0 : 1;
  }
  const { values: v } = parseOptions(rest);
  return runTarget(target, v, deps);
}

type Values = ReturnType<typeof parseOptions>['values'];

/** node:util parseArgs, with its errors (unknown option, missing value) as our own one-line message. */
function parseOptions(args: string[]) {
  try {
    return parseArgs({ args, strict: true, options: OPTIONS });
  } catch (err) {
    // Node's text is already one sentence ("Unknown option '--foo'"), sometimes with a hint about positionals.
    const text = (err as Error).message;
    const cut = text.indexOf('. To specify');
    throw new UsageError(`${(cut === -1 ? text : text.slice(0, cut)).replace(/\.$/, '')}.`, ['npx tsx deploy.ts --help lists every option']);
  }
}

const OPTIONS = {
  'dry-run': { type: 'boolean' },
  'no-smoke': { type: 'boolean' },
  'ready-timeout': { type: 'string' },
  space: { type: 'string' },
  hardware: { type: 'string' },
  private: { type: 'boolean' },
  'sleep-seconds': { type: 'string' },
  var: { type: 'string', multiple: true },
  secret: { type: 'string', multiple: true },
  'no-hf-token-secret': { type: 'boolean' },
  title: { type: 'string' },
  emoji: { type: 'string' },
  'short-description': { type: 'string' },
  license: { type: 'string' },
  'color-from': { type: 'string' },
  'color-to': { type: 'string' },
  'hub-url': { type: 'string' },
  'app-url': { type: 'string' },
  'wait-timeout': { type: 'string' },
  project: { type: 'string' },
  region: { type: 'string' },
  service: { type: 'string' },
  'secret-name': { type: 'string' },
  'update-secret': { type: 'boolean' },
  cpu: { type: 'string' },
  memory: { type: 'string' },
  concurrency: { type: 'string' },
  'max-instances': { type: 'string' },
  'min-instances': { type: 'string' },
  timeout: { type: 'string' },
  'gpu-zonal-redundancy': { type: 'boolean' },
  public: { type: 'boolean' },
  'model-path': { type: 'string' },
  'bake-model': { type: 'boolean' },
  'model-id': { type: 'string' },
  env: { type: 'string', multiple: true },
  tag: { type: 'string' },
  rebuild: { type: 'boolean' },
  'grant-build-roles': { type: 'boolean' },
  'skip-region-check': { type: 'boolean' },
  'no-bake-model': { type: 'boolean' },
  'model-revision': { type: 'string' },
} as const;

async function runTarget(target: string, v: Values, deps: CliDeps & { redactor: Redactor; out: Output; env: NodeJS.ProcessEnv }): Promise<number> {
  const { out, env, redactor } = deps;
  const root = deps.root ?? ROOT;
  const dryRun = Boolean(v['dry-run']);
  const smoke = !v['no-smoke'];
  const readyTimeoutMs = int(v['ready-timeout'], '--ready-timeout', 20) * 60_000;
  const dirty = gitDirty(root);
  // A dirty tree gets a unique tag, so "this tag exists, skip the build" never reuses stale content.
  const buildId = v.tag ?? (dirty ? `${gitSha(root)}-dirty-${Date.now().toString(36)}` : gitSha(root));
  if (dirty) out.line('note: tracked files have uncommitted changes; the working tree is what gets deployed.');

  if (target === 'spaces') {
    if (!v.space) throw new DeployError('--space OWNER/NAME is required.', ['e.g. --space alice/mermaid-flow']);
    if (!/^([\w.-]+\/)?[\w.-]+$/.test(v.space)) throw new DeployError(`--space "${v.space}" is not OWNER/NAME.`);
    const hardware = v.hardware;
    if (hardware !== undefined && !(SPACE_FLAVORS as readonly string[]).includes(hardware)) throw new UsageError(`Unknown hardware "${hardware}".`, [`Use one of: ${SPACE_FLAVORS.join(', ')}`]);
    if (v.private && v.public) throw new UsageError('--private and --public contradict each other; pick one (or neither, to keep the Space as it is).');
    const card = defaultCard();
    if (v.title) card.title = v.title;
    if (v.emoji) card.emoji = v.emoji;
    if (v['short-description']) card.shortDescription = v['short-description'];
    if (v.license) card.license = v.license;
    if (v['color-from']) card.colorFrom = v['color-from'];
    if (v['color-to']) card.colorTo = v['color-to'];
    if (hardware && isGpuFlavor(hardware)) card.suggestedHardware = hardware;
    const modelId = v['model-id'] ?? DEFAULT_MODEL;
    card.models = [modelId];
    const problems = validateCard(card);
    if (problems.length) throw new DeployError(`The Space README would be rejected: ${problems.join('; ')}.`);
    const secrets: Record<string, string> = {};
    if (env.API_KEY) secrets.API_KEY = env.API_KEY;
    for (const name of v.secret ?? []) {
      const value = env[name];
      if (!value) throw new UsageError(`--secret ${name}: the environment variable ${name} is not set.`);
      if (name === 'HF_TOKEN') throw new UsageError('--secret HF_TOKEN would give the app your deploying (write) token.', ['Set SPACE_HF_TOKEN to a read-only token instead: the app gets it when the model needs one']);
      redactor.add(value);
      secrets[name] = value;
    }
    const plan = spacesPlan(
      {
        space: v.space,
        hardware,
        visibility: v.private ? 'private' : v.public ? 'public' : undefined,
        sleepSeconds: v['sleep-seconds'] === undefined ? undefined : int(v['sleep-seconds'], '--sleep-seconds', 3600),
        secrets,
        // Both platforms sit behind a proxy that sets X-Forwarded-For (per-client rate limits need it).
        variables: { TRUST_PROXY: 'true', ...(modelId !== DEFAULT_MODEL ? { MODEL_ID: modelId } : {}), ...keyValues(v.var, '--var') },
        modelId,
        modelRevision: v['model-revision'],
        bakeModel: !v['no-bake-model'],
        appToken: v['no-hf-token-secret'] ? undefined : env.SPACE_HF_TOKEN,
        hubUrl: v['hub-url'] ?? env.HF_ENDPOINT ?? 'https://huggingface.co',
        token: env.HF_TOKEN,
        card,
        files: listAppFiles(root),
        root,
        buildId,
        waitTimeoutMs: int(v['wait-timeout'], '--wait-timeout', 45) * 60_000,
        pollMs: deps.pollMs ?? 8000,
        settleMs: deps.settleMs ?? 60_000,
        smoke,
        appUrl: v['app-url'],
        readyTimeoutMs,
        apiKey: env.API_KEY,
      },
      out,
    );
    if (dryRun) {
      printPlan(plan, out);
      return 0;
    }
    await runPlan(plan, out);
    for (const l of plan.summary()) out.line(l);
    return 0;
  }

  if (target === 'cloudrun') {
    const service = v.service ?? 'mermaid-flow';
    if (v['bake-model'] && v['model-path']) throw new UsageError('--bake-model and --model-path both choose where the model comes from; pick one.', ['--bake-model (the default): inside the image (fastest start)', '--model-path gs://…: a Cloud Storage folder mounted as a volume (smaller image)']);
    if (v['model-path'] && !v['model-path'].startsWith('gs://')) throw new UsageError(`--model-path must be a gs:// URL, got "${v['model-path']}".`);
    if (!/^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/.test(service)) throw new UsageError(`--service "${service}" is not a valid Cloud Run service name (lowercase letters, digits, hyphens).`);
    const maxInstances = v['max-instances'] === undefined ? undefined : int(v['max-instances'], '--max-instances', 1);
    const concurrency = v.concurrency === undefined ? undefined : int(v.concurrency, '--concurrency', DEFAULT_CONCURRENCY);
    const minInstances = int(v['min-instances'], '--min-instances', 0);
    const timeoutSeconds = int(v.timeout, '--timeout', 900);
    // Everything Cloud Run would reject after a 10–20 minute build, checked now.
    const problems = cloudRunProblems({ cpu: v.cpu ?? '8', memory: v.memory ?? '32Gi', concurrency: concurrency ?? 1, timeoutSeconds, minInstances, maxInstances, region: v.region, skipRegionCheck: Boolean(v['skip-region-check']) });
    if (problems.length) throw new UsageError(`${problems.join('; ')}.`, ['Omit --cpu and --memory for the defaults (8 CPU, 32Gi)', 'npx tsx deploy.ts --help lists every option']);
    const plan = cloudRunPlan(
      {
        project: v.project,
        region: v.region,
        service,
        repository: service,
        serviceAccountName: `${service}-run`.slice(0, 30),
        secretName: v['secret-name'] ?? 'hf-token',
        token: env.HF_TOKEN,
        askToken: deps.askToken ?? (() => promptHidden('HF_TOKEN (input hidden): ')),
        updateSecret: Boolean(v['update-secret']),
        apiKey: env.API_KEY,
        tag: buildId,
        cpu: v.cpu ?? '8',
        memory: v.memory ?? '32Gi',
        concurrency,
        maxInstances,
        minInstances,
        timeoutSeconds,
        gpuZonalRedundancy: Boolean(v['gpu-zonal-redundancy']),
        public: Boolean(v.public),
        modelPath: v['model-path'],
        // Baked by default (weights once, no download at each cold start); a gs:// folder or --no-bake-model opts out.
        bakeModel: !v['no-bake-model'] && !v['model-path'],
        modelId: v['model-id'] ?? DEFAULT_MODEL,
        modelRevision: v['model-revision'],
        hubUrl: v['hub-url'] ?? env.HF_ENDPOINT ?? 'https://huggingface.co',
        // The server's queue holds what Cloud Run's concurrency lets in: one running + the rest waiting.
        envVars: { TRUST_PROXY: 'true', BUILD_ID: buildId, ...(concurrency === undefined ? {} : { QUEUE_LENGTH: String(Math.max(0, concurrency - 1)) }), ...keyValues(v.env, '--env') },
        skipRegionCheck: Boolean(v['skip-region-check']),
        grantBuildRoles: Boolean(v['grant-build-roles']),
        rebuild: Boolean(v.rebuild),
        smoke,
        readyTimeoutMs,
        pollMs: deps.pollMs ?? 5000,
        root,
      },
      deps.gcloud ?? spawnGcloud(),
      out,
      redactor,
    );
    if (dryRun) {
      printPlan(plan, out);
      return 0;
    }
    await runPlan(plan, out);
    return 0;
  }

  throw new DeployError(`Unknown target "${target}".`, ['Use `spaces` or `cloudrun`; --help lists everything']);
}
