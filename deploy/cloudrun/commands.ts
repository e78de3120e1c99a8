/**
 * The two long gcloud command lines, as pure functions of the settings:
 * `gcloud builds submit` (cloudbuild.yaml) and `gcloud run deploy` with one L4.
 */
import { join } from 'node:path';
import { DEFAULT_PORT } from '../../common/limits.ts';
import type { CloudRunOptions } from './flow.ts';

export interface Target {
  project: string;
  region: string;
  image: string;
  runtimeSa: string;
}

/**
 * KEY=VALUE pairs for a gcloud list flag. A value holding a comma switches to
 * gcloud's alternate-delimiter syntax (`^@^A=1@B=2`) instead of breaking.
 */
export function listFlag(entries: Record<string, string>): string {
  const pairs = Object.entries(entries).map(([k, v]) => `${k}=${v}`);
  if (!pairs.some((p) => p.includes(','))) return pairs.join(',');
  const delim = ['@', '#', '|', ';', '~'].find((d) => !pairs.some((p) => p.includes(d))) ?? '\u0001';
  return `^${delim}^${pairs.join(delim)}`;
}

/** Where the image build finds the model token: only a gated or private model baked in needs it. */
export function buildConfig(root: string, withToken: boolean): string {
  return join(root, withToken ? 'cloudbuild.token.yaml' : 'cloudbuild.yaml');
}

export interface BuildInputs {
  root: string;
  bakeModel: boolean;
  modelId: string;
  /** The commit the model revision resolved to (pinned for the bake and the runtime). */
  modelRevision: string;
  secretName: string;
  /** A gated or private model is baked in: the build reads HF_TOKEN from Secret Manager. */
  withToken: boolean;
}

export function buildCommand(t: Target, opts: BuildInputs): string[] {
  // The previous image of this service is the layer cache (BuildKit inline cache), so a source-only change
  // rebuilds only the app layers: npm ci, the CUDA provider and a baked model stay cached.
  const cache = t.image.replace(/:[^:/]+$/, ':buildcache');
  return [
    // gcloud reads --config relative to its own working directory, not to the
    // uploaded source folder: an absolute path works from any directory.
    'builds', 'submit', opts.root, `--config=${buildConfig(opts.root, opts.withToken)}`, `--project=${t.project}`,
    `--substitutions=${listFlag({
      _IMAGE: t.image,
      _CACHE_IMAGE: cache,
      _BAKE_MODEL: opts.bakeModel ? '1' : '0',
      _MODEL_ID: opts.modelId,
      _MODEL_REVISION: opts.modelRevision,
      ...(opts.withToken ? { _HF_SECRET: opts.secretName } : {}),
    })}`,
  ];
}

/** Where a Cloud Storage model folder is mounted in the container (read-only). */
export const MODEL_MOUNT = '/mnt/model';

/** An HTTP startup probe on /api/ready (200 once the model is loaded and warmed, 503 before). */
export const STARTUP_PROBE = {
  periodSeconds: 10,
  timeoutSeconds: 5,
  // 180 × 10 s = 30 min, Cloud Run's ceiling for GPU services: a cold start loads ~2.5 GB of weights and warms up.
  failureThreshold: 180,
};

export interface DeployInputs {
  /** The commit the model revision resolved to. */
  modelRevision: string;
  /** A gated or private model: the app reads HF_TOKEN from Secret Manager. */
  withToken: boolean;
  /** undefined: keep the service's value (a new service gets 1). */
  maxInstances?: number;
  concurrency: number;
  /** Several instances: Gradio sessions and the SSE stream live in one instance's memory. */
  sessionAffinity: boolean;
}

export function deployCommand(t: Target, opts: CloudRunOptions, apiKeySecret: string, d: DeployInputs): string[] {
  const secrets: Record<string, string> = {};
  if (d.withToken) secrets.HF_TOKEN = `${opts.secretName}:latest`;
  if (opts.apiKey) secrets.API_KEY = `${apiKeySecret}:latest`;
  const env: Record<string, string> = { ...opts.envVars, MODEL_REVISION: d.modelRevision };
  const gcs = opts.modelPath ? /^gs:\/\/([^/]+)\/?(.*)$/.exec(opts.modelPath) : null;
  if (gcs) env.MODEL_PATH = `${MODEL_MOUNT}/${gcs[2]!.replace(/\/$/, '')}`.replace(/\/$/, '');
  env.MODEL_ID ??= opts.modelId;
  const p = STARTUP_PROBE;
  return [
    'run', 'deploy', opts.service, `--image=${t.image}`, `--region=${t.region}`, `--project=${t.project}`,
    `--service-account=${t.runtimeSa}`,
    '--gpu=1', '--gpu-type=nvidia-l4', opts.gpuZonalRedundancy ? '--gpu-zonal-redundancy' : '--no-gpu-zonal-redundancy',
    `--cpu=${opts.cpu}`, `--memory=${opts.memory}`, '--no-cpu-throttling',
    `--concurrency=${d.concurrency}`, ...(d.maxInstances === undefined ? [] : [`--max-instances=${d.maxInstances}`]), `--min-instances=${opts.minInstances}`,
    d.sessionAffinity ? '--session-affinity' : '--no-session-affinity',
    `--timeout=${opts.timeoutSeconds}`, `--port=${DEFAULT_PORT}`,
    `--startup-probe=httpGet.path=/api/ready,httpGet.port=${DEFAULT_PORT},initialDelaySeconds=0,timeoutSeconds=${p.timeoutSeconds},periodSeconds=${p.periodSeconds},failureThreshold=${p.failureThreshold}`,
    ...(gcs
      ? ['--execution-environment=gen2', `--add-volume=name=model,type=cloud-storage,bucket=${gcs[1]},readonly=true`, `--add-volume-mount=volume=model,mount-path=${MODEL_MOUNT}`]
      : []),
    // --set-secrets replaces the list; with none, an older deploy's HF_TOKEN is taken away.
    Object.keys(secrets).length ? `--set-secrets=${listFlag(secrets)}` : '--clear-secrets',
    `--set-env-vars=${listFlag(env)}`,
    opts.public ? '--allow-unauthenticated' : '--no-allow-unauthenticated',
  ];
}
