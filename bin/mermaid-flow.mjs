#!/usr/bin/env node
// The `mermaid-flow` command (package bin). The CLI is TypeScript run as is:
// register tsx's ESM loader, then hand over to server/cli/index.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/cli/index.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`mermaid-flow: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
