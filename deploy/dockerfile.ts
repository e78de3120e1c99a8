/**
 * A small Dockerfile reader for the static checks and the start-command test
 * (no hadolint in Debian): instructions with continuations joined and
 * comments dropped, each tagged with its stage index.
 */
export interface Instruction {
  op: string;
  args: string;
  stage: number;
}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let buf = '';
  let stage = -1;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!buf && (line.startsWith('#') || !line)) continue;
    if (line.startsWith('#')) continue;
    buf += (buf ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (line.endsWith('\\')) continue;
    const m = /^(\w+)\s+([\s\S]*)$/.exec(buf);
    buf = '';
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    if (op === 'FROM') stage++;
    out.push({ op, args: m[2]!, stage });
  }
  return out;
}

