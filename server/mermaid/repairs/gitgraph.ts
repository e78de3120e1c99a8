import { bodyOf } from '../body.ts';
import { quoted } from './text.ts';
import type { Repair } from './types.ts';

/** Branch names Mermaid's gitGraph lexer reads unquoted. */
const PLAIN_BRANCH = /^[A-Za-z0-9_./-]+$/;

/**
 * Git graphs as small models write them: shell commands (`git commit -m
 * "x"`, `git checkout -b x`), unquoted commit ids, messages and tags
 * (`commit id: Setup project`), branch names with spaces or outside ASCII
 * (quoted), and a `checkout` of a branch never created (the model meant to
 * create it there: `branch x`, which also checks it out).
 */
export const gitgraphSyntax: Repair = {
  name: 'gitgraph-syntax',
  apply(code) {
    const body = bodyOf(code, 'gitgraph');
    if (!body) return code;
    const { lines, header } = body;
    const branches = new Set(['main']);
    let changed = false;
    for (let i = header + 1; i < lines.length; i++) {
      const line = lines[i]!;
      const indent = /^[ \t]*/.exec(line)![0];
      let text = line.trim();
      if (text === '' || text.startsWith('%%')) continue;
      // Shell syntax.
      const git = /^git\s+(commit|branch|checkout|switch|merge|cherry-pick)\b\s?(.*)$/.exec(text);
      if (git) {
        const rest = git[2]!.trim();
        if (git[1] === 'commit') {
          const flag = rest.indexOf('-m');
          const message = flag === -1 ? '' : rest.slice(flag + 2).trim();
          text = message !== '' ? `commit id: ${message}` : 'commit';
        } else if ((git[1] === 'checkout' || git[1] === 'switch') && /^-[bc]\s/.test(rest)) text = `branch ${rest.slice(3).trim()}`;
        else text = `${git[1] === 'switch' ? 'checkout' : git[1]} ${rest}`;
      }
      const command = /^(branch|checkout|switch|merge|cherry-pick)\s(.+)$/.exec(text);
      if (command && command[1] !== 'cherry-pick') {
        const keyword = command[1] === 'switch' ? 'checkout' : command[1]!;
        let rest = command[2]!.trim();
        let options = '';
        const option = rest.search(/\s(?:id|tag|type|order):/);
        if (option !== -1) {
          options = rest.slice(option);
          rest = rest.slice(0, option).trim();
        }
        const name = rest.replace(/^"(.*)"$/, '$1');
        const written = PLAIN_BRANCH.test(name) ? name : quoted(name);
        if (keyword === 'branch') branches.add(name);
        // Created only when the graph later merges it or names it in `branch`: the model meant a branch of
        // its own (a checkout of a renamed main branch, `mainBranchName` in stripped config, is not one).
        const create = keyword === 'checkout' && !branches.has(name) && laterNamed(lines, i, name);
        if (create) branches.add(name);
        text = `${create ? 'branch' : keyword} ${written}${quoteOptions(options)}`;
      } else if (/^(commit|merge)\b/.test(text)) {
        text = text.replace(/^(commit|merge)\b(.*)$/, (_, k: string, rest: string) => `${k}${quoteOptions(rest)}`);
      }
      if (indent + text !== line) {
        lines[i] = indent + text;
        changed = true;
      }
    }
    return changed ? lines.join('\n') : code;
  },
};

/** ` id: Setup project tag: v1.0` → ` id: "Setup project" tag: "v1.0"` (type: stays a keyword). */
function quoteOptions(rest: string): string {
  const parts = rest.split(/\s(?=(?:id|tag|msg|type):)/);
  return parts
    .map((part) => {
      const m = /^(\s*)(id|tag|msg):\s?(.*)$/.exec(part);
      const value = m?.[3]!.trim() ?? '';
      if (!m || /^".*"$/.test(value)) return part; // quoted already: as written
      return `${m[1]}${m[2]}: ${quoted(value)}`;
    })
    .join(' ');
}

function laterNamed(lines: readonly string[], from: number, name: string): boolean {
  for (let i = from + 1; i < lines.length; i++) {
    const m = /^\s*(?:git\s)?(?:merge|branch)\s/.exec(lines[i]!);
    if (!m) continue;
    let rest = lines[i]!.slice(m[0].length);
    const option = rest.search(/\s(?:id|tag|type|order):/);
    if (option !== -1) rest = rest.slice(0, option);
    if (rest.trim().replace(/^"|"$/g, '') === name) return true;
  }
  return false;
}
