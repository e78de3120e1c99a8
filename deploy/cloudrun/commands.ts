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

export function buildCommand(t: Target, opts: Pick<CloudRunOptions, 'root' | 'bakeModel' | 'modelId' | 'secretName'>): string[] {
  return [
    // gcloud reads --config relative to its own working directory, not to the
    // uploaded source folder: an absolute path works from any directory.
    'builds', 'submit', opts.root, `--config=${join(opts.root, 'cloudbuild.yaml')}`, `--project=${t.project}`,
    `--substitutions=${listFlag({ _IMAGE: t.image, _BAKE_MODEL: opts.bakeModel ? '1' : '0', _MODEL_ID: opts.modelId, _HF_SECRET: opts.secretName })}`,
  ];
}

export function deployCommand(t: Target, opts: CloudRunOptions, apiKeySecret: string): string[] {
  const secrets: Record<string, string> = { HF_TOKEN: `${opts.secretName}:latest` };
  if (opts.apiKey) secrets.API_KEY = `${apiKeySecret}:latest`;
  const env: Record<string, string> = { ...opts.envVars };
  if (opts.modelPath) env.MODEL_PATH = opts.modelPath;
  env.MODEL_ID ??= opts.modelId;
  return [
    'run', 'deploy', opts.service, `--image=${t.image}`, `--region=${t.region}`, `--project=${t.project}`,
    `--service-account=${t.runtimeSa}`,
    '--gpu=1', '--gpu-type=nvidia-l4', opts.gpuZonalRedundancy ? '--gpu-zonal-redundancy' : '--no-gpu-zonal-redundancy',
    `--cpu=${opts.cpu}`, `--memory=${opts.memory}`, '--no-cpu-throttling',
    `--concurrency=${opts.concurrency}`, `--max-instances=${opts.maxInstances}`, `--min-instances=${opts.minInstances}`,
    `--timeout=${opts.timeoutSeconds}`, `--port=${DEFAULT_PORT}`,
    `--set-secrets=${listFlag(secrets)}`, `--set-env-vars=${listFlag(env)}`,
    opts.public ? '--allow-unauthenticated' : '--no-allow-unauthenticated',
  ];
}
