/**
 * Test helper for the CLI commands (`run(args)` of validate, repair, …): input
 * files in a fresh temporary folder, and what the command writes to stdout and
 * stderr, captured per test (vitest hooks) instead of printed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';

/** A temporary folder and a function that writes `text` as `name` in it, returning the path. */
export function tempFiles(prefix: string): { dir: string; file(name: string, text: string): string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

export interface Captured {
  /** All stdout written in this test so far (assignable, to start over mid-test). */
  out: string;
  err: string;
}

/** Captures process.stdout/stderr writes for every test of the calling file; restored after each. */
export function captureOutput(): Captured {
  const io: Captured = { out: '', err: '' };
  beforeEach(() => {
    io.out = '';
    io.err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((io.out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((io.err += String(chunk)), true));
  });
  afterEach(() => vi.restoreAllMocks());
  return io;
}
