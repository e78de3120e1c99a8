/** The text of `deploy.ts --help`: every option of both targets. */
import { DEFAULT_QUEUE_LENGTH } from '../common/limits.ts';
import { DEFAULT_CONCURRENCY } from './cloudrun/flow.ts';
import { DEFAULT_MODEL, SPACE_FLAVORS } from './spaces/readme.ts';

export const HELP = `deploy.ts: put the Mermaid Flow Generator on Hugging Face Spaces or Google Cloud Run (NVIDIA L4).

Usage
  npx tsx deploy.ts spaces   --space OWNER/NAME [options]
  npx tsx deploy.ts cloudrun --project ID --region us-central1 [options]
  npm run deploy -- <same arguments>

Common options
  --dry-run                Print every step, command, request and file it would send or run; change nothing.
  --no-smoke               Skip the final smoke test (/api/ready, then one @gradio/client predict("/generate")).
  --ready-timeout MIN      How long the smoke test waits for the model to load (default 20).
  -h, --help               This text.

Secrets (environment only, never arguments; never printed)
  HF_TOKEN                 spaces: the token that deploys (write role). cloudrun: stored in Secret Manager
                           (asked for with a hidden prompt when missing and needed).
  SPACE_HF_TOKEN           spaces: the token the app itself gets as its HF_TOKEN secret (a read token is
                           enough and safer); defaults to HF_TOKEN.
  API_KEY                  When set, also stored as the app's API_KEY secret; the smoke test sends it as X-API-Key.

spaces: a Docker Space on the Hub
  --space OWNER/NAME       Space id (NAME alone: under the token's user). Created when missing, else updated.
  --hardware FLAVOR        ${SPACE_FLAVORS.join('|')}
                           (default cpu-basic, free; GPUs are billed per hour while awake: l4x1 suits the 4B model)
  --private                Create the Space private.
  --sleep-seconds N        GPU flavors: sleep after N idle seconds (default 3600; -1 never sleeps, billed nonstop).
  --var KEY=VALUE          A Space variable (repeatable), e.g. --var MAX_NEW_TOKENS=2000.
  --secret NAME            Also copy environment variable NAME into the Space as a secret (repeatable).
  --no-hf-token-secret     Do not give the app an HF_TOKEN secret.
  --title TEXT, --emoji E, --short-description TEXT, --license ID, --color-from C, --color-to C
                           README front matter (defaults: "Mermaid Flow Generator", 🧜, indigo→purple, apache-2.0).
  --hub-url URL            Hub base URL (default $HF_ENDPOINT or https://huggingface.co).
  --app-url URL            Smoke-test this URL instead of the Space's own host.
  --model-id ID            Model the app loads (variable MODEL_ID, README models:), default ${DEFAULT_MODEL}.
  --bake-model             Download the model into the image while the Space builds (variable BAKE_MODEL=1;
                           the build reads the HF_TOKEN secret through a BuildKit mount).
  --wait-timeout MIN       How long to follow the build and start (default 45).

cloudrun: a Cloud Run service with one NVIDIA L4 (gcloud must be installed and signed in; Cloud Shell works)
  --project ID             Google Cloud project (default: gcloud config).
  --region REGION          A region with Cloud Run L4 GPUs, e.g. us-central1, europe-west1, europe-west4, asia-southeast1.
  --service NAME           Service, repository and account base name (default mermaid-flow).
  --secret-name NAME       Secret Manager secret for HF_TOKEN (default hf-token).
  --update-secret          Add a new secret version from HF_TOKEN even when the secret exists.
  --cpu N, --memory SIZE   Default 8 and 32Gi (the L4 minimum is 4 CPU / 16Gi).
  --concurrency N          Requests per instance (default ${DEFAULT_CONCURRENCY}: the running job + ${DEFAULT_QUEUE_LENGTH} queued, as the server's queue).
  --max-instances N        Default 1 (each instance holds one L4). --min-instances N: default 0 (scale to zero).
  --timeout SECONDS        Request timeout (default 900; streams stay open while queued).
  --gpu-zonal-redundancy   Pay for zonal redundancy (default off: cheaper, best-effort failover).
  --public                 Allow unauthenticated calls (default private: the smoke test uses your identity token).
  --model-path gs://B/P    Load the model from Cloud Storage at start (synced to local disk with progress);
                           the runtime account gets storage.objectViewer on that bucket.
  --bake-model             Download the model into the image at build time (HF_TOKEN as a BuildKit secret).
  --model-id ID            Hub model (default ${DEFAULT_MODEL}).
  --env KEY=VALUE          Extra environment variable for the service (repeatable).
  --tag TAG                Image tag (default: the git commit). An existing tag is not rebuilt unless --rebuild.
  --rebuild                Build the image even when the tag already exists in Artifact Registry.
  --grant-build-roles      Grant the Cloud Build account its missing roles instead of stopping.
  --skip-region-check      Do not check the region against the known L4 list.

Examples
  HF_TOKEN=hf_… npx tsx deploy.ts spaces --space alice/mermaid-flow --hardware l4x1 --dry-run
  npx tsx deploy.ts cloudrun --project my-proj --region us-central1 --public
`;
