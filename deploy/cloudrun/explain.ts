/**
 * gcloud failures in words: the known permission failures name the missing
 * role and print the command that grants it; quota and GPU-region errors say
 * what to request or where to go instead.
 */
import { DeployError } from '../errors.ts';
import type { GcloudResult } from './gcloud.ts';
import type { PreflightResult } from './preflight.ts';
import { grantCommand, isGpuRegionError, isQuotaError, knownPermissionFailure } from './roles.ts';

/** A failed gcloud call as a DeployError, naming the missing role and the grant command when the failure is a known one. */
export function explainGcloudFailure(args: string[], r: GcloudResult, pf: PreflightResult | undefined): DeployError {
  const last = r.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' ') || `exit ${r.code}`;
  const cmd = `gcloud ${args.slice(0, 3).join(' ')}`;
  const perm = knownPermissionFailure(r.stderr);
  if (perm) {
    const member = perm.who === 'build' ? `serviceAccount:${pf?.buildAccount ?? 'PROJECT_NUMBER-compute@developer.gserviceaccount.com'}` : `user:${pf?.account ?? 'YOU@example.com'}`;
    const project = pf?.project ?? 'PROJECT_ID';
    return new DeployError(`${cmd} failed: the ${perm.who === 'build' ? 'Cloud Build service account' : 'caller'} cannot ${perm.what}; it needs ${perm.role}.`, [
      grantCommand(project, member, perm.role),
      'then run the same deploy command again (finished steps are skipped)',
      `gcloud said: ${last}`,
    ]);
  }
  if (isQuotaError(r.stderr)) {
    return new DeployError(`${cmd} failed on a quota: ${last}`, [
      'Cloud Run GPU quota starts at zero in many projects: request "Total Nvidia L4 GPU allocation without zonal redundancy, per project per region" at https://console.cloud.google.com/iam-admin/quotas',
      'Or try another L4 region (--region), or lower --max-instances',
    ]);
  }
  if (isGpuRegionError(r.stderr)) {
    return new DeployError(`${cmd} failed: this region does not offer Cloud Run GPUs. ${last}`, ['Use --region us-central1 (or another L4 region) and run again']);
  }
  if (/PERMISSION_DENIED|does not have permission|403/.test(r.stderr)) {
    return new DeployError(`${cmd} was denied: ${last}`, ['Ask a project owner for the role this step needs (see the preflight warnings above), then run again']);
  }
  return new DeployError(`${cmd} failed: ${last}`, ['Fix the cause and run the same command again (finished steps are skipped)']);
}
