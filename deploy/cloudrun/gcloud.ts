/**
 * Runs `gcloud` as a child process with an argument vector: no shell, so no
 * string interpolation of user input. Secrets go in on stdin (for
 * `--data-file=-`), never in the arguments. Prompts are disabled so a
 * missing setting fails instead of hanging.
 */
import { spawn } from 'node:child_process';

export interface GcloudResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GcloudCallOptions {
  /** Fed to gcloud's stdin (secrets for `--data-file=-`); never an argument. */
  stdin?: string;
  /** Each complete output line as it arrives (stdout and stderr), for live progress. */
  onLine?: (line: string) => void;
}

export type Gcloud = (args: string[], opts?: GcloudCallOptions) => Promise<GcloudResult>;

export function spawnGcloud(bin = 'gcloud'): Gcloud {
  return (args, opts = {}) =>
    new Promise((resolve) => {
      const child = spawn(bin, args, {
        stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1' },
        shell: false,
      });
      let stdout = '';
      let stderr = '';
      let pending = '';
      const feed = (d: string) => {
        if (!opts.onLine) return;
        pending += d;
        const lines = pending.split(/\r?\n|\r/);
        pending = lines.pop() ?? '';
        for (const l of lines) if (l.trim()) opts.onLine(l.trim());
      };
      child.stdout!.setEncoding('utf8').on('data', (d: string) => ((stdout += d), feed(d)));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => ((stderr += d), feed(d)));
      child.on('error', (err: NodeJS.ErrnoException) => resolve({ code: err.code === 'ENOENT' ? 127 : 1, stdout, stderr: stderr + String(err.message) }));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      if (opts.stdin !== undefined) {
        child.stdin!.on('error', () => {});
        child.stdin!.end(opts.stdin);
      }
    });
}

/** A command as a person would type it, for dry runs and hints (display only; never executed through a shell). */
export function formatCommand(args: string[]): string {
  return ['gcloud', ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function isNotFound(r: GcloudResult): boolean {
  return r.code !== 0 && /NOT_FOUND|not found|does not exist|was not found/i.test(r.stderr);
}
