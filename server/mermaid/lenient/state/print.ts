/** Prints the model of model.ts as canonical Mermaid: ids Mermaid accepts, names declared before first use. */
import { escapeText, slug as makeSlug, typographic } from '../lines.ts';
import type { StateDiagram, StateStatement } from './model.ts';

const PLAIN_ID = /^[\p{L}\p{N}_]+$/u;

/** An id made from a name: `Waiting for payment` → `Waiting_for_payment`. */
const slug = (name: string) => makeSlug(name, 'state');

export function printState(diagram: StateDiagram): string {
  const names = new Map(diagram.names);
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const s of diagram.statements) for (const n of statesOf(s)) if (PLAIN_ID.test(n)) taken.add(n);
  const id = (name: string): string => {
    if (name === '[*]' || PLAIN_ID.test(name)) return name;
    let next = ids.get(name);
    if (next) return next;
    next = slug(name);
    while (taken.has(next)) next += '_';
    taken.add(next);
    ids.set(name, next);
    names.set(next, name);
    return next;
  };
  const out = [diagram.header];
  const declared = new Set<string>();
  let depth = 1;
  for (const s of diagram.statements) {
    if (s.kind === 'close') depth = Math.max(1, depth - 1);
    const indent = '    '.repeat(depth);
    for (const name of statesOf(s)) {
      const sid = id(name);
      const display = names.get(sid);
      const declaredHere = (s.kind === 'open' || s.kind === 'declare') && s.state === name;
      if (display === undefined || declared.has(sid) || declaredHere) continue;
      declared.add(sid);
      out.push(`${indent}state "${typographic(escapeText(display))}" as ${sid}`);
    }
    for (const line of statement(s, id, names, declared).split('\n')) out.push(indent + line);
    if (s.kind === 'open') depth++;
  }
  return out.join('\n');
}

function statement(s: StateStatement, id: (n: string) => string, names: Map<string, string>, declared: Set<string>): string {
  const named = (state: string) => {
    const sid = id(state);
    const display = names.get(sid);
    if (display === undefined || declared.has(sid)) return sid;
    declared.add(sid);
    return `"${typographic(escapeText(display))}" as ${sid}`;
  };
  switch (s.kind) {
    case 'transition': {
      const label = s.label === '' ? '' : ` : ${escapeText(s.label)}`;
      const line = `${id(s.from)} --> ${id(s.to)}${label}`;
      return s.both ? `${line}\n${id(s.to)} --> ${id(s.from)}${label}` : line;
    }
    case 'description':
      return `${id(s.state)} : ${escapeText(s.text)}`;
    case 'open':
      return `state ${named(s.state)} {`;
    case 'close':
      return '}';
    case 'declare':
      return `state ${named(s.state)}${s.stereotype === '' ? '' : ` ${s.stereotype}`}`;
    case 'note':
      return s.text.length === 1 ? `note ${s.place} ${id(s.state)} : ${escapeText(s.text[0]!)}` : [`note ${s.place} ${id(s.state)}`, ...s.text, 'end note'].join('\n');
    case 'verbatim':
      return s.text;
  }
}

function statesOf(s: StateStatement): string[] {
  if (s.kind === 'transition') return [s.from, s.to];
  if (s.kind === 'description' || s.kind === 'open' || s.kind === 'declare' || s.kind === 'note') return [s.state];
  return [];
}
