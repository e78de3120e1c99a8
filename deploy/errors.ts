/**
 * One error type for everything deploy.ts expects to go wrong: a sentence
 * saying what happened, and the next things to do (commands included).
 * Anything else is a bug and is printed with its stack.
 */
export class DeployError extends Error {
  constructor(
    message: string,
    /** What to do next, one line each (commands are printed as is). */
    readonly hints: string[] = [],
  ) {
    super(message);
    this.name = 'DeployError';
  }
}

/** The command line itself is wrong (exit code 2). */
export class UsageError extends DeployError {
  override name = 'UsageError';
}

export function formatError(err: unknown): string[] {
  if (err instanceof DeployError) return [`✗ ${err.message}`, ...err.hints.map((h) => `  → ${h}`)];
  if (err instanceof Error) return [`✗ ${err.message}`, ...(err.stack ? err.stack.split('\n').slice(1, 6) : [])];
  return [`✗ ${String(err)}`];
}
