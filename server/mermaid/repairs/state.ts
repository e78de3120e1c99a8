import { bodyOf, indentOf, mapBody } from '../body.ts';
import type { Repair } from './types.ts';
import { trimChar } from '../../../common/text.ts';

/** State-diagram lines that are not transitions. */
const NOT_TRANSITION = /^\s*(?:state\s|note\s|end note|direction\s|classDef\s|class\s|style\s|click\s|--\s*$|\}|%%)/;

export interface Transition {
  indent: string;
  from: string;
  arrow: string;
  to: string;
  /** Everything from the label's colon on (`: paid`), or ''. */
  label: string;
}

const TRANSITION_ARROW = /--?>?\|[^|]*\||<-{1,2}|-{1,3}>{1,2}|={1,2}>{1,2}|[→⟶⇒]/g;

export function parseTransition(line: string): Transition | null {
  // A trailing `%% comment` is left to the caller: lines carrying one are not rewritten.
  if (NOT_TRANSITION.test(line) || line.includes(':::') || line.includes('%%')) return null;
  const colon = line.indexOf(':');
  const head = colon === -1 ? line : line.slice(0, colon);
  // The first arrow after some text, with text after it: the pattern
  // `^(\s*)(.+?)\s*(ARROW)\s*(.+?)\s*$` did this with cubic backtracking on spaces.
  const start = head.length - head.trimStart().length;
  for (const m of head.matchAll(TRANSITION_ARROW)) {
    if (m.index <= start) continue;
    const to = head.slice(m.index + m[0].length).trim();
    if (to === '') continue;
    return { indent: head.slice(0, start), from: head.slice(start, m.index).trimEnd(), arrow: m[0], to, label: colon === -1 ? '' : line.slice(colon) };
  }
  return null;
}

function formatTransition(t: Transition): string {
  const label = t.label === '' ? '' : ` : ${t.label.replace(/^:\s*/, '')}`;
  return `${t.indent}${t.from} ${t.arrow} ${t.to}${label}`;
}

const STAR = /^(?:\(\s*\*\s*\)|\*|\[\s+\*\s*\]|\[\s*\*\s+\])$/;

/**
 * Transitions written in another diagram's syntax: `A -> B`, `A ==> B`,
 * `A -->> B`, `A → B` → `A --> B` (several of these parse, into states
 * named `==>` or `>`); `A -->|paid| B` → `A --> B : paid`; `A <-- B` →
 * `B --> A`; `(*)`, `*`, `[ * ]` → `[*]`.
 */
export const stateArrows: Repair = {
  name: 'state-arrows',
  whenValid: true,
  apply(code) {
    return mapBody(code, 'state', (line) => {
      const t = parseTransition(line);
      if (!t) return line;
      let { from, to, label } = t;
      const pipe = /^--?>?\|([^|]*)\|$/.exec(t.arrow);
      if (pipe && label === '') label = `: ${pipe[1]!.trim()}`;
      else if (pipe) return line;
      if (/^<-{1,2}$/.test(t.arrow)) [from, to] = [to, from];
      if (STAR.test(from.trim())) from = '[*]';
      if (STAR.test(to.trim())) to = '[*]';
      if (t.arrow === '-->' && from === t.from && to === t.to) return line;
      return formatTransition({ ...t, from, arrow: '-->', to, label });
    });
  },
};

/** A state id made from a name: `Waiting for payment` → `Waiting_for_payment`. */
function slug(name: string): string {
  return trimChar(name.trim().replace(/[^\p{L}\p{N}_]+/gu, '_'), '_') || 'state';
}

const PLAIN_ID = /^(?:\[\*\]|[\p{L}\p{N}_.'’]+)$/u;
/**
 * `A[Waiting]`, `A(("Paid"))` → [text, id, label]: the groups of
 * `^([\p{L}\p{N}_]+)\s*(?:\[\[?|\(\(?|\{\{?)\s*"?(.*?)"?\s*(?:\]\]?|\)\)?|\}\}?)$`, found in
 * steps (as one pattern it is cubic on runs of spaces).
 */
export function shapedState(text: string): [string, string, string] | null {
  const head = /^([\p{L}\p{N}_]+)\s*(?:\[\[?|\(\(?|\{\{?)/u.exec(text);
  if (!head) return null;
  let end = text.length;
  const last = text[end - 1];
  if (last !== ']' && last !== ')' && last !== '}' ) return null;
  end -= end - 2 >= head[0].length && text[end - 2] === last ? 2 : 1;
  while (end > head[0].length && /\s/.test(text[end - 1]!)) end--;
  let start = head[0].length;
  while (start < end && /\s/.test(text[start]!)) start++;
  if (text[start] === '"' && start < end) start++;
  if (end > start && text[end - 1] === '"') end--;
  if (/[\n\r\u2028\u2029]/.test(text.slice(start, end))) return null;
  return [text, head[1]!, text.slice(start, Math.max(start, end))];
}

/**
 * State names Mermaid cannot take as ids: with spaces (`Waiting for payment
 * --> Paid` parses as three states), hyphens (`In-Progress`, an error),
 * quotes (`"Waiting for payment"`) or flowchart shapes (`A[Waiting]`). Each
 * gets an id and a declaration with its name as written, before its first
 * use: `state "Waiting for payment" as Waiting_for_payment`. A name already
 * declared (`state "Waiting for payment" as waiting`) takes that id; so does
 * `state "X"` without `as`, and a composite `state In Progress {`.
 */
export const stateIds: Repair = {
  name: 'state-ids',
  whenValid: true,
  apply(code) {
    const body = bodyOf(code, 'state');
    if (!body) return code;
    const { lines, header } = body;
    const idFor = new Map<string, string>();
    const taken = new Set<string>();
    for (const line of lines) {
      const declared = /^\s*state\s+"([^"]*)"\s+as\s+([\p{L}\p{N}_.]+)/u.exec(line);
      if (declared) {
        idFor.set(declared[1]!.trim(), declared[2]!);
        taken.add(declared[2]!);
      }
      const t = parseTransition(line);
      if (t) for (const end of [t.from, t.to]) if (PLAIN_ID.test(end)) taken.add(end);
      const plain = /^\s*state\s+([\p{L}\p{N}_.]+)\s*(?:\{|<<|$)/u.exec(line);
      if (plain) taken.add(plain[1]!);
    }
    const declarations = new Map<number, string[]>();
    const fresh = (name: string, at: number, indent: string, id?: string) => {
      const known = idFor.get(name);
      if (known) return known;
      let next = id ?? slug(name);
      if (id === undefined) while (taken.has(next)) next += '_';
      idFor.set(name, next);
      taken.add(next);
      const list = declarations.get(at) ?? [];
      list.push(`${indent}state "${name.replace(/"/g, '#quot;')}" as ${next}`);
      declarations.set(at, list);
      return next;
    };
    const endpoint = (end: string, at: number, indent: string): string => {
      const text = end.trim();
      if (PLAIN_ID.test(text)) return end;
      const shaped = shapedState(text);
      if (shaped) {
        return fresh(shaped[2]!.trim() || shaped[1]!, at, indent, shaped[1]!);
      }
      const name = text.replace(/^"(.*)"$/, '$1').trim();
      if (name === '' || /[{}:;<>|]|-->/.test(name)) return end;
      return fresh(name, at, indent);
    };
    let changed = false;
    for (let i = header + 1; i < lines.length; i++) {
      const line = lines[i]!;
      const indent = indentOf(line);
      const bare = /^(\s*)state\s+"([^"]+)"\s*$/.exec(line);
      if (bare) {
        const name = bare[2]!.trim();
        if (!idFor.has(name)) {
          lines[i] = `${bare[1]}state "${name}" as ${fresh(name, -1, '')}`;
          declarations.delete(-1);
          changed = true;
        }
        continue;
      }
      const composite = compositeState(line);
      if (composite && /[\s-]/.test(composite[2])) {
        const name = composite[2];
        const id = idFor.get(name) ?? slug(name);
        idFor.set(name, id);
        lines[i] = `${composite[1]}state "${name}" as ${id} {`;
        changed = true;
        continue;
      }
      const t = parseTransition(line);
      if (!t || t.arrow !== '-->') continue;
      const from = endpoint(t.from, i, indent);
      const to = endpoint(t.to, i, indent);
      if (from !== t.from || to !== t.to) {
        lines[i] = formatTransition({ ...t, from, to });
        changed = true;
      }
    }
    if (!changed) return code;
    const out: string[] = [];
    lines.forEach((line, i) => out.push(...(declarations.get(i) ?? []), line));
    return out.join('\n');
  },
};

/** `state Waiting as "Waiting for payment"` (the id and the name swapped) → `state "Waiting for payment" as Waiting`. */
export const stateAlias: Repair = {
  name: 'state-alias',
  apply(code) {
    return mapBody(code, 'state', (line) => {
      const m = /^(\s*)state\s+([\p{L}\p{N}_.]+)\s+as\s+"([^"]*)"(.*)$/u.exec(line);
      return m ? `${m[1]}state "${m[3]}" as ${m[2]}${m[4]}` : line;
    });
  },
};

/** `state Name with spaces {` → [line, indent, trimmed name]; `^(\s*)state\s+([^"{]*?[\s-][^"{]*?)\s*\{\s*$` in steps (quartic as one pattern). */
function compositeState(line: string): [string, string, string] | null {
  const head = /^(\s*)state\s/.exec(line);
  const opened = line.trimEnd();
  if (!head || !opened.endsWith('{') || opened.length - 1 < head[0].length) return null;
  const name = opened.slice(head[0].length, -1).trim();
  return /["{]/.test(name) ? null : [line, head[1]!, name];
}
