import { bodyOf, indentOf, mapBody } from '../body.ts';
import type { Repair } from './types.ts';

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

export function parseTransition(line: string): Transition | null {
  // A trailing `%% comment` is left to the caller: lines carrying one are not rewritten.
  if (NOT_TRANSITION.test(line) || line.includes(':::') || line.includes('%%')) return null;
  const colon = line.indexOf(':');
  const head = colon === -1 ? line : line.slice(0, colon);
  const m = /^(\s*)(.+?)\s*(--?>?\|[^|]*\||<-{1,2}|-{1,3}>{1,2}|={1,2}>{1,2}|[→⟶⇒])\s*(.+?)\s*$/.exec(head);
  if (!m) return null;
  return { indent: m[1]!, from: m[2]!, arrow: m[3]!, to: m[4]!, label: colon === -1 ? '' : line.slice(colon) };
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
  return name.trim().replace(/[^\p{L}\p{N}_]+/gu, '_').replace(/^_+|_+$/g, '') || 'state';
}

const PLAIN_ID = /^(?:\[\*\]|[\p{L}\p{N}_.'’]+)$/u;
const SHAPED = /^([\p{L}\p{N}_]+)\s*(?:\[\[?|\(\(?|\{\{?)\s*"?(.*?)"?\s*(?:\]\]?|\)\)?|\}\}?)$/u;

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
      const shaped = SHAPED.exec(text);
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
      const composite = /^(\s*)state\s+([^"{]*?[\s-][^"{]*?)\s*\{\s*$/.exec(line);
      if (composite && /[\s-]/.test(composite[2]!.trim())) {
        const name = composite[2]!.trim();
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
