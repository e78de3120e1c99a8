/**
 * Which files go to the Space (and so into the image's build context): the
 * files git tracks, minus what `.dockerignore` excludes. Docker semantics for
 * `.dockerignore`: paths relative to the root, `*` within one segment, `**`
 * across segments, `!` re-includes, the last matching pattern wins, and a
 * pattern matching a folder excludes everything under it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface Rule {
  negate: boolean;
  re: RegExp;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // "**/" matches zero or more folders; a trailing "**" matches anything.
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function parseDockerignore(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = line.replace(/^\/+/, '').replace(/\/+$/, '').replace(/^\.\//, '');
    if (line) rules.push({ negate, re: globToRegExp(line) });
  }
  return rules;
}

/** True when `.dockerignore` rules exclude `path` (a file path relative to the root, with `/`). */
export function isIgnored(rules: Rule[], path: string): boolean {
  const parts = path.split('/');
  // A rule matching the file or any of its parent folders applies to it.
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (prefixes.some((p) => rule.re.test(p))) ignored = !rule.negate;
  }
  return ignored;
}

export interface AppFile {
  path: string;
  size: number;
}

/** Docker sends these even when ignored; the Space needs them in the repo. */
const ALWAYS = ['Dockerfile', '.dockerignore'];

/** Files for the Space: tracked by git, present on disk, not excluded by `.dockerignore`. */
export function listAppFiles(root: string): AppFile[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const tracked = out.split('\0').filter(Boolean);
  const ignoreFile = join(root, '.dockerignore');
  const rules = existsSync(ignoreFile) ? parseDockerignore(readFileSync(ignoreFile, 'utf8')) : [];
  const files: AppFile[] = [];
  for (const path of tracked) {
    if (!ALWAYS.includes(path) && isIgnored(rules, path)) continue;
    const full = join(root, path);
    if (!existsSync(full)) continue; // deleted in the working tree
    const st = statSync(full);
    if (st.isFile()) files.push({ path, size: st.size });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** The current commit, for commit titles and image tags; "dev" outside git. */
export function gitSha(root: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'dev';
  }
}

/** True when tracked files have uncommitted changes (the upload takes the working tree). */
export function gitDirty(root: string): boolean {
  try {
    return execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
}
