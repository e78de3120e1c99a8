/**
 * Download names from the diagram itself: its title (front matter `title:`,
 * or a `title …` line as pie, gantt, journey and timeline write it), else its
 * first label, else the description. Made ASCII-friendly where that keeps the
 * meaning (accents dropped, other scripts kept), and cut at a word, never
 * mid-word: `login-retry-3-times-then-lock.svg`, not `…-lock-the-accoun.svg`.
 */

const MAX_STEM = 48;

/** The title or the first label of a diagram, '' when it has neither. */
export function diagramName(code: string): string {
  const fm = frontMatter(code);
  const fmTitle = fm ? /^title:\s*(.+)$/m.exec(fm.body) : null;
  if (fmTitle) return unquote(fmTitle[1]!);
  const body = fm ? code.slice(fm.end) : code;
  const titleLine = body.split('\n').map((l) => /^\s*(?:pie\s+)?title\s+([^]+)$/.exec(l)).find(Boolean);
  if (titleLine) return unquote(titleLine[1]!);
  const lines = body.split('\n').filter((l) => l.trim() && !l.trim().startsWith('%%'));
  for (const line of lines.slice(1)) {
    // `A[label]`, `A("label")`, `A{label}`, `participant X as Label`, `state "Label" as X`, `"Slice" : 3`
    const m =
      /[\w-]\s*(?:\[\[|\[\(|\(\[|\(\(|\[|\(|\{\{|\{)\s*"?([^"\]\)\}|]+)"?/.exec(line) ??
      /^\s*(?:participant|actor)\s+\S+\s+as\s+([^]+)$/.exec(line) ??
      /^\s*state\s+"([^"]+)"/.exec(line) ??
      /^\s*"([^"]+)"\s*:/.exec(line);
    if (m?.[1]?.trim()) return m[1].replace(/<br\s*\/?>/gi, ' ').trim();
  }
  return '';
}

function unquote(s: string): string {
  return s.trim().replace(/^["']|["']$/g, '').trim();
}

/** A file name stem: lower case, dashes between words, at most MAX_STEM characters, cut at a word. */
export function fileStem(text: string, max = MAX_STEM): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  let stem = '';
  for (const w of words) {
    const next = stem ? `${stem}-${w}` : w;
    if (next.length > max) break;
    stem = next;
  }
  // A first word longer than the limit (a German compound, a URL) is cut: better than no name.
  if (!stem && words[0]) stem = words[0].slice(0, max);
  return stem || 'diagram';
}

/** The stem for a diagram's downloads: its title or first label, else the description. */
export function exportStem(code: string, description: string): string {
  const name = diagramName(code);
  return fileStem(name || description || 'diagram');
}

/**
 * What `/^\s*---\s*\n([\s\S]*?)\n---/` matched (body and end), as a scan:
 * that pattern is quadratic on `---` followed by many newlines.
 */
function frontMatter(code: string): { body: string; end: number } | null {
  const open = /^\s*---/.exec(code);
  if (!open) return null;
  const breaks: number[] = [];
  for (let i = open[0].length; i < code.length && /\s/.test(code[i]!); i++) if (code[i] === '\n') breaks.push(i);
  if (breaks.length === 0) return null;
  const last = breaks[breaks.length - 1]!;
  const close = code.indexOf('\n---', last + 1);
  if (close !== -1) return { body: code.slice(last + 1, close), end: close + 4 };
  // A shorter run of spaces: the run's last newline closes an empty block.
  if (breaks.length >= 2 && code.startsWith('\n---', last)) return { body: '', end: last + 4 };
  return null;
}
