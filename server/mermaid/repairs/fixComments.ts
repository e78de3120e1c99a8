import { kindOf, mapBody, type DiagramKind } from '../body.ts';
import type { Repair } from './types.ts';

/**
 * Comment lines in another language's style: `// step 1` (and `# step 1`
 * where `#` starts no Mermaid statement) become Mermaid's `%% step 1`. In a
 * state diagram `// start` parses, as two states named `//` and `start`.
 * Not in sequence diagrams (`#` is already a comment there, `//` is kept for
 * the parser to judge), class diagrams (`#` marks a protected member) or
 * the text-only types (mindmap, timeline, journey, gantt).
 */
const HASH_COMMENTS: DiagramKind[] = ['flowchart', 'state', 'er'];
const SLASH_COMMENTS: DiagramKind[] = ['flowchart', 'sequence', 'state', 'class', 'er'];

export const fixComments: Repair = {
  name: 'fix-comments',
  whenValid: true,
  apply(code) {
    const kind = kindOf(code);
    if (!kind || !SLASH_COMMENTS.includes(kind)) return code;
    const hash = HASH_COMMENTS.includes(kind);
    return mapBody(code, kind, (line) => {
      const m = /^(\s*)(?:\/\/+|#+(?=\s))\s?([^]*)$/.exec(line);
      if (!m || (!hash && !/^\s*\/\//.test(line))) return line;
      return `${m[1]}%% ${m[2]}`.trimEnd();
    });
  },
};
