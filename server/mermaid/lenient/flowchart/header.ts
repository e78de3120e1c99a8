/**
 * The flowchart header line, read leniently: `graph TB-LR`, `flowchart
 * top-down`, `flowchart td;`, `graph LR; A --> B` (statements after `;`).
 */

export interface Header {
  keyword: 'flowchart' | 'graph';
  dir: string | null;
  /** Statements written on the header line after a `;`. */
  rest: string;
}

const WORDS: Record<string, string> = {
  tb: 'TB',
  td: 'TD',
  bt: 'BT',
  rl: 'RL',
  lr: 'LR',
  top: 'TD',
  down: 'TD',
  vertical: 'TD',
  topdown: 'TD',
  left: 'LR',
  horizontal: 'LR',
  leftright: 'LR',
  right: 'RL',
  bottom: 'BT',
  up: 'BT',
};

export function readHeader(line: string): Header | null {
  const t = line.trim();
  const m = /^(flowchart-elk|flowchart|graph)(?![\w-])/i.exec(t);
  if (!m) return null;
  const keyword = m[1]!.toLowerCase().startsWith('graph') ? 'graph' : 'flowchart';
  let after = t.slice(m[0].length);
  let rest = '';
  const semi = after.indexOf(';');
  if (semi !== -1) {
    rest = after.slice(semi + 1);
    after = after.slice(0, semi);
  }
  return { keyword, dir: direction(after), rest };
}

/** The first direction-like word (`TB-LR` → TB, `top-down` → TD, `left to right` → LR). */
export function direction(text: string): string | null {
  const words = text.toLowerCase().split(/[^a-z]+/).filter((w) => w !== '');
  if (words.length === 0) return null;
  const joined = words.join('');
  if (joined in WORDS) return WORDS[joined]!;
  for (const w of words) if (w in WORDS) return WORDS[w]!;
  return null;
}
