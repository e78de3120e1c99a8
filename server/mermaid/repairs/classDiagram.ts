import { bodyOf } from '../body.ts';
import type { Repair } from './types.ts';
import { replaceSpaced, trimEndSemicolon } from '../../../common/text.ts';

/**
 * Applies `fn` to each line of a class diagram with whether it is inside a
 * class body (`class X {` … `}`); the body's own braces count as outside.
 */
function mapClassLines(code: string, fn: (line: string, inBody: boolean) => string): string {
  const body = bodyOf(code, 'class');
  if (!body) return code;
  const { lines, header } = body;
  let depth = 0;
  let changed = false;
  for (let i = header + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*%%/.test(line)) continue;
    const opens = /\{\s*$/.test(line);
    const closes = /^\s*\}\s*$/.test(line);
    const next = fn(line, depth > 0 && !closes && !opens);
    if (opens && !/^\s*namespace\b/.test(line)) depth++;
    if (closes) depth = Math.max(0, depth - 1);
    if (next !== line) {
      lines[i] = next;
      changed = true;
    }
  }
  return changed ? lines.join('\n') : code;
}

const ARROW = /<\|--|--\|>|<\|\.\.|\.\.\|>|\*--|--\*|o--|--o|<-->|-->|<--|\.\.>|<\.\.|--|\.\./;
const MULTIPLICITY = /^(?:\d+(?:\.\.(?:\d+|\*|n|N))?|\*|n|N|many)$/;

/**
 * Relations: `A -> B`, `A ==> B`, `A -->> B`, `A → B` → `A --> B`;
 * `A extends B` → `B <|-- A` and `A implements B` → `B <|.. A` (Mermaid
 * reads those lines as nothing at all); unquoted multiplicities
 * `Kunde 1 --> * Bestellung` → `Kunde "1" --> "*" Bestellung`; a colon
 * inside the label → `#58;`; a trailing `;` goes.
 */
export const classRelations: Repair = {
  name: 'class-relations',
  whenValid: true,
  apply(code) {
    return mapClassLines(code, (line, inBody) => {
      if (inBody || /^\s*(?:class|note|namespace|direction|style|classDef|cssClass|click|callback|link|<<|\})/.test(line) || /\{\s*$/.test(line)) {
        return /^\s*(?:class|note)\b/.test(line) ? trimEndSemicolon(line) : line;
      }
      let s = trimEndSemicolon(line);
      const inherits = /^(\s*)([\p{L}\p{N}_~]+)\s+(extends|implements)\s+([\p{L}\p{N}_~]+)\s*$/u.exec(s);
      if (inherits) return `${inherits[1]}${inherits[4]} ${inherits[3] === 'extends' ? '<|--' : '<|..'} ${inherits[2]}`;
      const colon = s.indexOf(':');
      let head = colon === -1 ? s : s.slice(0, colon);
      let label = colon === -1 ? '' : s.slice(colon + 1);
      if (!ARROW.test(head) && !/->|=>|[→⟶⇒]|<-/.test(head)) return line;
      head = replaceSpaced(head.replace(/-->>+/g, '-->'), /==?>|[→⟶⇒]/, () => ' --> ')
        .replace(/(^|[^-<|*o.])->(?!>)/g, '$1-->')
        .replace(/<-(?![-|])/g, '<--');
      const m = /^(\s*\S+\s+)(\S+)(\s+)(\S+)(\s+)(\S+)(\s+\S+\s*)$/.exec(head);
      if (m && ARROW.test(m[4]!) && (MULTIPLICITY.test(m[2]!) || MULTIPLICITY.test(m[6]!))) {
        const q = (t: string) => (MULTIPLICITY.test(t) ? `"${t}"` : t);
        head = `${m[1]}${q(m[2]!)}${m[3]}${m[4]}${m[5]}${q(m[6]!)}${m[7]}`;
      } else {
        const one = /^(\s*\S+\s+)(\S+)(\s+)(\S+)(\s+\S+\s*)$/.exec(head);
        if (one && ARROW.test(one[4]!) && MULTIPLICITY.test(one[2]!)) head = `${one[1]}"${one[2]}"${one[3]}${one[4]}${one[5]}`;
        else if (one && ARROW.test(one[2]!) && MULTIPLICITY.test(one[4]!)) head = `${one[1]}${one[2]}${one[3]}"${one[4]}"${one[5]}`;
      }
      if (label.includes(':')) label = label.replace(/:/g, '#58;');
      s = colon === -1 ? head : `${head}:${label}`;
      return s;
    });
  },
};

/**
 * Generics in angle brackets: `class Repository<T>` (an error) and members
 * such as `+List<Item> items` (drawn as `+List items`: Mermaid reads
 * `<Item>` as an HTML tag) → Mermaid's `Repository~T~`, `List~Item~`.
 * `<<interface>>` annotations are not generics.
 */
export const classGenerics: Repair = {
  name: 'class-generics',
  whenValid: true,
  apply(code) {
    return mapClassLines(code, (line) => {
      if (!/[\p{L}\p{N}_]<[^<]/u.test(line) || /^\s*note\b/.test(line)) return line;
      // Quoted text and HTML tags (`<br>`) are not generics.
      const kept: string[] = [];
      let s = maskQuotesAndTags(line, (m) => `\u0000${kept.push(m) - 1}\u0000`);
      for (let guard = 0; guard < 4; guard++) {
        const next = s.replace(/([\p{L}\p{N}_])<([\p{L}\p{N}_ ,?~]+)>(?!>)/gu, '$1~$2~');
        if (next === s) break;
        s = next;
      }
      return s.replace(/\u0000(\d+)\u0000/g, (_, n: string) => kept[Number(n)]!);
    });
  },
};

/**
 * Class bodies: one written on one line, `class Order { +int id; +submit() }`
 * (Mermaid draws it with no members) → one member per line; a `{` alone on
 * the line after `class X` → `class X {`; `note for X text` → `note for X "text"`.
 */
export const classBodies: Repair = {
  name: 'class-bodies',
  whenValid: true,
  apply(code) {
    const body = bodyOf(code, 'class');
    if (!body) return code;
    const lines = [...body.lines];
    let changed = false;
    for (let i = body.header + 1; i < lines.length; i++) {
      const line = lines[i]!;
      const oneLine = oneLineClass(line);
      if (oneLine) {
        const members = oneLine[3].split(';').map((m) => m.trim()).filter((m) => m !== '');
        const indent = oneLine[1]!;
        lines.splice(i, 1, `${indent}${oneLine[2]} {`, ...members.map((m) => `${indent}    ${m}`), `${indent}}`);
        changed = true;
        continue;
      }
      if (/^\s*\{\s*$/.test(line) && i > body.header + 1 && opensNoBody(lines[i - 1]!)) {
        lines[i - 1] = `${lines[i - 1]!.trimEnd()} {`;
        lines.splice(i, 1);
        i--;
        changed = true;
        continue;
      }
      const note = noteText(line);
      if (note && !line.includes('"')) {
        lines[i] = `${note[1]}"${note[2]!.replace(/"/g, '#quot;')}"`;
        changed = true;
      }
    }
    return changed ? lines.join('\n') : code;
  },
};

/**
 * `class A { x; y() }` on one line → [line, indent, `class A`, `x; y()`]; the
 * pattern `^(\s*)(class\s+\S+(?:\s*\[[^\]]*\])?)\s*\{\s*(.*?;.*?)\s*\}\s*$` did it
 * with cubic backtracking. (A class name holding `{` is not read as one.)
 */
function oneLineClass(line: string): [string, string, string, string] | null {
  const head = /^(\s*)(class\s+[^\s{[]+(?:\s*\[[^\]]*\])?)\s*\{/.exec(line);
  const t = line.trimEnd();
  if (!head || !t.endsWith('}') || t.length - 1 < head[0].length) return null;
  const members = t.slice(head[0].length, -1).trim();
  return members.includes(';') ? [line, head[1]!, head[2]!, members] : null;
}

/** `class A` (with no `{` after its name): `^\s*class\s+\S+[^{]*$` without its quadratic backtracking. */
function opensNoBody(line: string): boolean {
  const head = /^\s*class\s+/.exec(line);
  if (!head || head[0].length === line.length) return false;
  const rest = line.slice(head[0].length);
  const space = rest.search(/\s/);
  return space === -1 || !rest.slice(space).includes('{');
}

/**
 * `note for A text` / `note text` → [line, prefix, text]: the groups of
 * `^(\s*note\s+for\s+\S+\s+|\s*note\s+(?!for\s))([^"\s].*?)\s*$`, found in steps
 * (as one pattern it is quadratic on runs of spaces).
 */
function noteText(line: string): [string, string, string] | null {
  const text = line.trimEnd();
  for (const head of [/^\s*note\s+for\s+\S+\s+/.exec(text), /^\s*note\s+(?!for\s)/.exec(text)]) {
    if (head && head[0].length < text.length && !/["\s]/.test(text[head[0].length]!)) return [line, head[0], text.slice(head[0].length)];
  }
  return null;
}

const FORMAT_TAGS = new Set(['br', 'b', 'i', 'u', 'em', 'strong', 'sub', 'sup', 'span', 'div', 'p', 'a', 'code', 'small', 's', 'del']);

/**
 * `line.replace(/"[^"]*"|<\/?(?:br|b|…|del)\b[^<>]*>/gi, mask)` as a scan:
 * recheck cannot clear that pattern. Quoted strings and formatting tags
 * (any case) are replaced, left to right.
 */
export function maskQuotesAndTags(line: string, mask: (text: string) => string): string {
  let out = '';
  let last = 0;
  let quotesLeft = true;
  for (let i = 0; i < line.length; i++) {
    let end = -1;
    if (line[i] === '"' && quotesLeft) {
      const close = line.indexOf('"', i + 1);
      if (close === -1) quotesLeft = false;
      else end = close + 1;
    } else if (line[i] === '<') {
      let k = i + 1;
      if (line[k] === '/') k++;
      let w = k;
      while (w < line.length && /\w/.test(line[w]!)) w++;
      if (FORMAT_TAGS.has(line.slice(k, w).toLowerCase())) {
        let a = w;
        while (a < line.length && line[a] !== '<' && line[a] !== '>') a++;
        if (line[a] === '>') end = a + 1;
      }
    }
    if (end === -1) continue;
    out += line.slice(last, i) + mask(line.slice(i, end));
    last = end;
    i = end - 1;
  }
  return out + line.slice(last);
}
