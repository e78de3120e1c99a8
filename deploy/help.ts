/** The text of `deploy.ts --help`: every option of both targets. */
import { DEFAULT_QUEUE_LENGTH } from '../common/limits.ts';
import { DEFAULT_CONCURRENCY } from './cloudrun/flow.ts';
import { SCALE_OUT_CONCURRENCY } from './cloudrun/limits.ts';
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
  --model-id ID            Model the app loads (default ${DEFAULT_MODEL}).
  --model-revision REV     Branch, tag or commit of the model (default main); resolved to its commit and pinned
                           for the bake and at run time, so the weights never change under a running app.
  --no-bake-model          Do not bake the model into the image (then every cold start downloads it).
                           Baking is the default for both targets.
  --hub-url URL            Hub base URL (default $HF_ENDPOINT or https://huggingface.co).
  -h, --help               This text.

Secrets (environment only, never arguments; never printed)
  HF_TOKEN                 spaces: the token that deploys (write role); never given to the app.
                           cloudrun: only for a gated or private model: stored in Secret Manager for the
                           build and the service (asked for with a hidden prompt when missing and needed).
                           A public model (the default) needs no token anywhere.
  SPACE_HF_TOKEN           spaces: a read-only token the app gets as its HF_TOKEN secret, only when the
                           model is gated or private (the deploy stops and says so when it is missing).
  API_KEY                  When set, also stored as the app's API_KEY secret; the smoke test sends it as X-API-Key.

spaces: a Docker Space on the Hub
  --space OWNER/NAME       Space id (NAME alone: under the token's user). Created when missing, else updated.
  --hardware FLAVOR        ${SPACE_FLAVORS.join('|')}
                           Without it the Space keeps its hardware (a new one runs on cpu-basic). Every flavor
                           but cpu-basic is billed per hour while awake; l4x1 suits the 4B model. Creating a
                           Docker Space needs a paid Hugging Face plan (PRO, Team or Enterprise).
  --private, --public      Make the Space private or public (also an existing one). Neither: keep it as it is
                           (a new Space is public).
  --sleep-seconds N        Paid hardware: sleep after N idle seconds (-1 never sleeps, billed nonstop). Without it
                           a sleep time already set is kept, and 3600 is set where none is.
  --var KEY=VALUE          A Space variable (repeatable), e.g. --var MAX_NEW_TOKENS=2000.
  --secret NAME            Also copy environment variable NAME into the Space as a secret (repeatable).
  --no-hf-token-secret     Never give the app an HF_TOKEN secret (a gated or private model then cannot load).
  --title TEXT, --emoji E, --short-description TEXT, --license ID, --color-from C, --color-to C
                           README front matter (defaults: "Mermaid Flow Generator", 🧜, indigo→purple, apache-2.0).
  --app-url URL            Smoke-test this URL instead of the Space's own host.
  --wait-timeout MIN       How long to follow the build and start (default 45).

cloudrun: a Cloud Run service with one NVIDIA L4 (gcloud must be installed and signed in; Cloud Shell works)
  --project ID             Google Cloud project (default: gcloud config).
  --region REGION          A region with Cloud Run L4 GPUs, e.g. us-central1, europe-west1, europe-west4, asia-southeast1.
  --service NAME           Service, repository and account base name (default mermaid-flow).
  --secret-name NAME       Secret Manager secret for HF_TOKEN (default hf-token).
  --update-secret          Add a new secret version from HF_TOKEN even when the secret exists.
  --cpu N, --memory SIZE   Default 8 and 32Gi. With an L4: 4, 6 or 8 CPU and 16–32 GiB (4 CPU: at most 16Gi,
                           6 CPU: 24Gi). Checked before anything is built.
  --concurrency N          Requests per instance, 1–1000. Default ${DEFAULT_CONCURRENCY} with one instance (the running job + ${DEFAULT_QUEUE_LENGTH} queued,
                           as the server's queue); ${SCALE_OUT_CONCURRENCY} with several, so the autoscaler (at ~60% of it) adds an
                           instance while one job runs and one or two wait.
  --max-instances N        Each instance holds one L4. A new service gets 1; a re-deploy keeps the service's value
                           unless this is given. Above 1, --session-affinity is passed (Gradio sessions live in
                           one instance's memory). --min-instances N: default 0 (scale to zero), at most max.
  --timeout SECONDS        Request timeout, 1–3600 (default 900; streams stay open while queued).
  --gpu-zonal-redundancy   Pay for zonal redundancy (default off: cheaper, best-effort failover).
  --public                 Allow unauthenticated calls (default private: the smoke test uses your identity token).
  --model-path gs://B/P    Instead of baking: mount the bucket read-only as a Cloud Storage volume and load the
                           model from B/P there (no copy at start); the runtime account gets storage.objectViewer.
  --env KEY=VALUE          Extra environment variable for the service (repeatable).
  --tag TAG                Image tag (default: the git commit). An existing tag is not rebuilt unless --rebuild.
  --rebuild                Build the image even when the tag already exists in Artifact Registry.
  --grant-build-roles      Grant the Cloud Build account its missing roles instead of stopping.
  --skip-region-check      Do not check the region against the known L4 list.

Traffic reaches a Cloud Run instance only once /api/ready answers 200 (an HTTP startup probe, up to 30 min).

Examples
  HF_TOKEN=hf_… npx tsx deploy.ts spaces --space alice/mermaid-flow --hardware l4x1 --dry-run
  npx tsx deploy.ts cloudrun --project my-proj --region us-central1 --public
`;
