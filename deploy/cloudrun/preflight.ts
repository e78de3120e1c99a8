/**
 * Read-only checks before anything changes: gcloud installed and signed in,
 * a project and an L4 region, the caller's roles and the Cloud Build service
 * account's roles. Missing build roles stop the run (with the exact grant
 * commands) unless --grant-build-roles asks deploy.ts to grant them; missing
 * caller roles are warnings, because groups and custom roles can also grant
 * them and cannot be resolved from the project policy.
 */
import { DeployError } from '../errors.ts';
import type { Gcloud } from './gcloud.ts';
import { BUILD_ROLES, CALLER_ROLES, L4_REGIONS, grantCommand } from './roles.ts';

export interface PreflightInput {
  project?: string;
  region?: string;
  skipRegionCheck: boolean;
  grantBuildRoles: boolean;
}

export interface PreflightResult {
  account: string;
  project: string;
  projectNumber: string;
  region: string;
  buildAccount: string;
  /** Build roles still missing (granted by a later step when --grant-build-roles). */
  missingBuildRoles: string[];
  warnings: string[];
}

interface Policy {
  bindings?: { role: string; members?: string[] }[];
}

export function rolesOf(policy: Policy, member: string): Set<string> {
  return new Set((policy.bindings ?? []).filter((b) => b.members?.includes(member)).map((b) => b.role));
}

/** Roles that include another role's permissions, for the checks below. */
const COVERED_BY: Record<string, string[]> = {
  'roles/storage.objectViewer': ['roles/storage.objectAdmin', 'roles/storage.admin', 'roles/cloudbuild.builds.builder', 'roles/editor', 'roles/owner'],
  'roles/logging.logWriter': ['roles/logging.admin', 'roles/cloudbuild.builds.builder', 'roles/editor', 'roles/owner'],
  'roles/artifactregistry.writer': ['roles/artifactregistry.repoAdmin', 'roles/artifactregistry.admin', 'roles/cloudbuild.builds.builder', 'roles/editor', 'roles/owner'],
};

export function missingRoles(have: Set<string>, needed: string[]): string[] {
  if (have.has('roles/owner')) return [];
  return needed.filter((r) => !have.has(r) && !(COVERED_BY[r] ?? []).some((c) => have.has(c)));
}

export async function preflight(gcloud: Gcloud, input: PreflightInput, note: (line: string) => void): Promise<PreflightResult> {
  const warnings: string[] = [];
  const version = await gcloud(['--version']);
  if (version.code === 127) {
    throw new DeployError('gcloud is not installed (or not on PATH).', ['Install the Google Cloud CLI: https://cloud.google.com/sdk/docs/install', 'Or run deploy.ts from Cloud Shell, where gcloud is ready']);
  }
  if (version.code !== 0) throw new DeployError(`gcloud --version failed: ${version.stderr.trim()}`);
  note(`gcloud: ${version.stdout.split('\n')[0]?.trim() ?? 'ok'}`);

  const auth = await gcloud(['auth', 'list', '--filter=status:ACTIVE', '--format=value(account)']);
  const account = auth.stdout.trim().split('\n')[0]?.trim() ?? '';
  if (auth.code !== 0 || !account) throw new DeployError('gcloud has no active account.', ['gcloud auth login', 'In Cloud Shell you are signed in already; check `gcloud auth list`']);
  note(`account: ${account}`);

  let project = input.project;
  if (!project) {
    const p = await gcloud(['config', 'get-value', 'project']);
    project = p.stdout.trim();
    if (!project || project === '(unset)') throw new DeployError('No Google Cloud project given.', ['Pass --project PROJECT_ID', 'or: gcloud config set project PROJECT_ID']);
  }
  const region = input.region;
  if (!region) throw new DeployError('No region given.', [`Pass --region, one with L4 GPUs on Cloud Run: ${L4_REGIONS.join(', ')}`]);
  if (!input.skipRegionCheck && !L4_REGIONS.includes(region)) {
    throw new DeployError(`Cloud Run has no NVIDIA L4 GPUs in ${region} (as far as deploy.ts knows).`, [
      `Use one of: ${L4_REGIONS.join(', ')} (asia-south1 is by invitation)`,
      'If Google has added the region since, pass --skip-region-check',
    ]);
  }
  note(`project: ${project}, region: ${region}`);

  const desc = await gcloud(['projects', 'describe', project, '--format=value(projectNumber)']);
  if (desc.code !== 0) {
    throw new DeployError(`Cannot read project ${project}: ${desc.stderr.trim().split('\n').pop()}`, ['Check the project id (gcloud projects list) and that your account can see it']);
  }
  const projectNumber = desc.stdout.trim();

  const sa = await gcloud(['builds', 'get-default-service-account', `--project=${project}`, '--format=value(serviceAccountEmail)']);
  const buildAccount = sa.code === 0 && sa.stdout.trim() ? sa.stdout.trim().split('/').pop()! : `${projectNumber}-compute@developer.gserviceaccount.com`;
  note(`Cloud Build service account: ${buildAccount}`);

  const pol = await gcloud(['projects', 'get-iam-policy', project, '--format=json']);
  let missingBuildRoles: string[] = [];
  if (pol.code !== 0) {
    warnings.push(`Cannot read the project's IAM policy (${pol.stderr.trim().split('\n').pop()}); role checks skipped. Needs resourcemanager.projects.getIamPolicy.`);
  } else {
    const policy = JSON.parse(pol.stdout || '{}') as Policy;
    const callerMember = `${account.endsWith('.gserviceaccount.com') ? 'serviceAccount' : 'user'}:${account}`;
    const callerMissing = missingRoles(rolesOf(policy, callerMember), CALLER_ROLES);
    for (const role of callerMissing) {
      warnings.push(`Your account may lack ${role} (not granted directly; a group or custom role may still grant it). If a step fails: ${grantCommand(project, callerMember, role)}`);
    }
    missingBuildRoles = missingRoles(rolesOf(policy, `serviceAccount:${buildAccount}`), BUILD_ROLES);
    if (missingBuildRoles.length && !input.grantBuildRoles) {
      throw new DeployError(`The Cloud Build service account ${buildAccount} lacks ${missingBuildRoles.join(', ')}; the build would fail.`, [
        ...missingBuildRoles.map((r) => grantCommand(project!, `serviceAccount:${buildAccount}`, r)),
        'or run again with --grant-build-roles to let deploy.ts grant them',
      ]);
    }
  }
  for (const w of warnings) note(`warning: ${w}`);
  return { account, project, projectNumber, region, buildAccount, missingBuildRoles, warnings };
}
