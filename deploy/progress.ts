/**
 * What the user sees while deploy.ts works: "[2/9] Create the Artifact
 * Registry repository … 12s" with a spinner on a terminal, plain lines
 * elsewhere (CI, tests, pipes). Everything printed is redacted.
 */
import type { Redactor } from './redact.ts';

export interface Output {
  /** One finished line. */
  line(text: string): void;
  /**
   * A transient status (spinner line on a TTY). Elsewhere it is printed only
   * when `text` changes; `suffix` (elapsed time) is shown on a TTY only.
   */
  status(text: string, suffix?: string): void;
  /** Ends a transient status line. */
  clearStatus(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(s % 60).padStart(2, '0')}s`;
}

/** An Output writing to a stream; `tty` turns on the one-line spinner. */
export function streamOutput(stream: NodeJS.WritableStream & { isTTY?: boolean }, redactor: Redactor): Output {
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  let last = '';
  let frame = 0;
  let open = false;
  return {
    line(text) {
      if (open) stream.write('\r\x1b[2K');
      open = false;
      stream.write(redactor.redact(text) + '\n');
    },
    status(text, suffix) {
      const safe = redactor.redact(text);
      if (tty) {
        stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${safe}${suffix ? ` ${suffix}` : ''}`);
        open = true;
      } else if (safe !== last) {
        stream.write(`  … ${safe}\n`);
      }
      last = safe;
    },
    clearStatus() {
      if (open) stream.write('\r\x1b[2K');
      open = false;
      last = '';
    },
  };
}

/** An Output that collects lines, for tests. */
export function memoryOutput(redactor: Redactor): Output & { lines: string[]; text(): string } {
  const lines: string[] = [];
  let last = '';
  return {
    lines,
    line: (t) => void lines.push(redactor.redact(t)),
    status: (t) => {
      const safe = redactor.redact(t);
      if (safe !== last) lines.push(`  … ${safe}`);
      last = safe;
    },
    clearStatus: () => void (last = ''),
    text: () => lines.join('\n'),
  };
}

/**
 * Runs `work` while refreshing a status line with the elapsed time every
 * `intervalMs` (a spinner on a TTY). The label callback may change the text.
 */
export async function withTicker<T>(out: Output, label: () => string, work: () => Promise<T>, intervalMs = 250): Promise<T> {
  const start = Date.now();
  const tick = () => out.status(label(), formatElapsed(Date.now() - start));
  tick();
  const timer = setInterval(tick, intervalMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    out.clearStatus();
  }
}
