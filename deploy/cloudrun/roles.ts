/**
 * What each account needs, and how to recognise the known permission
 * failures in gcloud's error text so the message names the missing role and
 * the command that grants it.
 */
export const REQUIRED_APIS = [
  'run.googleapis.com',
  'artifactregistry.googleapis.com',
  'cloudbuild.googleapis.com',
  'secretmanager.googleapis.com',
  'storage.googleapis.com',
  'iam.googleapis.com',
];

/**
 * Regions where Cloud Run offers NVIDIA L4 GPUs, as documented when this was
 * written (asia-south1 by invitation). `--skip-region-check` overrides it
 * when Google adds regions.
 */
export const L4_REGIONS = ['us-central1', 'us-east4', 'europe-west1', 'europe-west4', 'asia-southeast1', 'asia-south1'];

/** Cloud Run's documented floor for a service with one L4 (docs: "GPU support for services"). */
export const L4_MIN_CPU = 4;
export const L4_MIN_MEMORY_GIB = 16;

/** A Cloud Run memory value (`32Gi`, `16384Mi`, `20G`) in GiB; undefined when it is not one. */
export function memoryGiB(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$/.exec(value.trim());
  if (!m) return undefined;
  const unit: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return (Number(m[1]) * (m[2] ? unit[m[2]]! : 1)) / 2 ** 30;
}


/** Roles that let the caller run every step; owner or editor+IAM admin also do. */
export const CALLER_ROLES = [
  'roles/run.admin',
  'roles/artifactregistry.admin',
  'roles/cloudbuild.builds.editor',
  'roles/secretmanager.admin',
  'roles/iam.serviceAccountAdmin',
  'roles/iam.serviceAccountUser',
  'roles/resourcemanager.projectIamAdmin',
  'roles/serviceusage.serviceUsageAdmin',
  'roles/storage.admin',
];
export const CALLER_SUPERSET = ['roles/owner'];

/** What Cloud Build's service account needs: read the uploaded source, write logs, push the image. */
export const BUILD_ROLES = ['roles/storage.objectViewer', 'roles/logging.logWriter', 'roles/artifactregistry.writer'];

/** What the running service needs at project level (the secret and bucket grants are per resource). */
export const RUNTIME_ROLES = ['roles/logging.logWriter', 'roles/monitoring.metricWriter'];

export function grantCommand(project: string, member: string, role: string): string {
  return `gcloud projects add-iam-policy-binding ${project} --member=${member} --role=${role} --condition=None`;
}

export interface KnownFailure {
  role: string;
  /** Which account lacks it. */
  who: 'caller' | 'build';
  what: string;
}

/** Recognises gcloud's permission errors; returns the role that fixes each. */
export function knownPermissionFailure(stderr: string): KnownFailure | undefined {
  if (/storage\.objects\.(get|list)/.test(stderr)) return { role: 'roles/storage.objectViewer', who: 'build', what: 'read the uploaded source (storage.objects.get)' };
  if (/logging\.logEntries\.create/.test(stderr)) return { role: 'roles/logging.logWriter', who: 'build', what: 'write build logs (logging.logEntries.create)' };
  if (/artifactregistry\.repositories\.(uploadArtifacts|downloadArtifacts)|Permission "?artifactregistry/.test(stderr)) return { role: 'roles/artifactregistry.writer', who: 'build', what: 'push the image to Artifact Registry (artifactregistry.repositories.uploadArtifacts)' };
  if (/cloudbuild\.builds\.create|The caller does not have permission.*build|PERMISSION_DENIED.*[Cc]loud ?[Bb]uild/s.test(stderr)) return { role: 'roles/cloudbuild.builds.editor', who: 'caller', what: 'start Cloud Build builds (cloudbuild.builds.create)' };
  return undefined;
}

export function isQuotaError(stderr: string): boolean {
  return /quota|RESOURCE_EXHAUSTED|exceeds? the (maximum|limit)/i.test(stderr);
}

export function isGpuRegionError(stderr: string): boolean {
  return /gpu.*(not (supported|available)|unsupported).*region|region.*does not support.*gpu/i.test(stderr);
}
