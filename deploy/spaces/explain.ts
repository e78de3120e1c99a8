/**
 * Turns Hub failures into a sentence and what to do next. The Hub answers
 * with HubApiError (from @huggingface/hub) or HubRequestError (our raw
 * calls); both carry a status code and the server's message.
 */
import { DeployError } from '../errors.ts';
import { HubRequestError } from './hub.ts';

const TOKENS_PAGE = 'https://huggingface.co/settings/tokens';
const BILLING_PAGE = 'https://huggingface.co/settings/billing';

function statusOf(err: unknown): number | undefined {
  if (err instanceof HubRequestError) return err.status;
  const s = (err as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

function textOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export type HubAction = 'whoami' | 'create' | 'secrets' | 'variables' | 'hardware' | 'upload' | 'runtime';

export function explainHubError(err: unknown, action: HubAction, spaceId: string): DeployError {
  if (err instanceof DeployError) return err;
  const status = statusOf(err);
  const text = textOf(err);
  const [owner] = spaceId.split('/');
  if (status === 401 || /must start with 'hf_'/.test(text)) {
    return new DeployError('The Hugging Face token was refused (HTTP 401): it is wrong, expired or revoked.', [
      `Create a token with the "write" role at ${TOKENS_PAGE}`,
      'export HF_TOKEN=hf_…   (never pass it as an argument)',
    ]);
  }
  if (status === 403) {
    if (action === 'create' || action === 'upload') {
      return new DeployError(`You may not write to ${spaceId} (HTTP 403): the name belongs to someone else, or the token cannot write to "${owner}".`, [
        'Pick a Space name under your own user or an organisation you belong to: --space YOU/NAME',
        `If "${owner}" is your organisation, give the token write access to it (fine-grained tokens need it per organisation) at ${TOKENS_PAGE}`,
      ]);
    }
    if (action === 'hardware') {
      return new DeployError(`The Hub refused the hardware request for ${spaceId} (HTTP 403).`, [
        `GPU hardware needs a payment method on the owner's account: ${BILLING_PAGE}`,
        'Or deploy on cpu-basic (no hourly cost, but far too slow for the 4B model): --hardware cpu-basic',
      ]);
    }
    return new DeployError(`The Hub refused ${action} on ${spaceId} (HTTP 403): ${text}`, [`Check that the token has the "write" role: ${TOKENS_PAGE}`]);
  }
  if (status === 402) {
    if (action === 'create') {
      return new DeployError(`Payment required to create ${spaceId} (HTTP 402): Hugging Face lets only paid plans (PRO, Team or Enterprise) create Docker Spaces.`, [
        'Upgrade the account or deploy under an organisation on a paid plan: https://huggingface.co/pricing',
        'Or deploy to Google Cloud Run instead: npx tsx deploy.ts cloudrun --help',
      ]);
    }
    return new DeployError(`Payment required for ${action} on ${spaceId} (HTTP 402).`, [
      `Add a payment method or credits: ${BILLING_PAGE}`,
      'Or use --hardware cpu-basic (no hourly cost; far too slow for the 4B model)',
    ]);
  }
  if (status === 400 && action === 'hardware') {
    return new DeployError(`The hardware flavor is not available for ${spaceId} (HTTP 400): ${text}`, [
      'List the flavors the Hub offers now: curl https://huggingface.co/api/spaces/hardware',
      'Try another GPU, e.g. --hardware t4-small, a10g-small or l4x1',
    ]);
  }
  if (status === 429 || /quota|rate limit/i.test(text)) {
    return new DeployError(`The Hub's rate limit or quota stopped ${action} (HTTP ${status ?? '?'}).`, [
      'Wait a few minutes and run the same command again: every step is idempotent and resumes',
      'GPU quota per account is limited; pause or delete idle GPU Spaces, or ask Hugging Face support for more',
    ]);
  }
  if (status === 404 && action !== 'create') {
    return new DeployError(`${spaceId} was not found (HTTP 404) during ${action}.`, ['Check the --space name; a private Space is invisible to tokens without access']);
  }
  return new DeployError(`Hub request failed during ${action} for ${spaceId}${status ? ` (HTTP ${status})` : ''}: ${text}`, [
    'Run the same command again: every step is idempotent and resumes',
  ]);
}
