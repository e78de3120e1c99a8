/**
 * Deploys the app to Hugging Face Spaces or Google Cloud Run (NVIDIA L4).
 *
 *   npx tsx deploy.ts spaces --space OWNER/NAME [--hardware l4x1] [--dry-run]
 *   npx tsx deploy.ts cloudrun --project ID --region us-central1 [--dry-run]
 *   npx tsx deploy.ts --help
 *
 * A thin entry point: the steps live in deploy/ (see docs/deploy.md). It
 * imports no server code; it reads shared constants from common/.
 */
import { main } from './deploy/cli.ts';

process.exitCode = await main(process.argv.slice(2));
