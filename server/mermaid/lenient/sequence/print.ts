/** Prints the model of model.ts as canonical Mermaid: one statement a line, blocks indented. */
import { escapeText } from '../lines.ts';
import type { SequenceDiagram, SequenceStatement } from './model.ts';

/** Characters a participant id cannot hold (arrows, separators, comment/entity starts). */
const UNSAFE_ID = /[:;,#<>+"]|^-|-$|-[x)]|--/;

export function printSequence(diagram: SequenceDiagram): string {
  const ids = safeIds(diagram.statements);
  const id = (name: string) => ids.get(name) ?? name;
  const out = ['sequenceDiagram'];
  let depth = 1;
  const declared = new Set<string>();
  for (const s of diagram.statements) {
    if (s.kind === 'end') depth = Math.max(1, depth - 1);
    const indent = '    '.repeat(s.kind === 'middle' ? Math.max(1, depth - 1) : depth);
    // A name that needed a safe id is declared before its first use, with its name as the label.
    for (const name of namesOf(s)) {
      if (!ids.has(name) || declared.has(name) || s.kind === 'participant') continue;
      declared.add(name);
      out.push(`${indent}participant ${id(name)} as ${escapeText(name)}`);
    }
    if (s.kind === 'participant') declared.add(s.id);
    out.push(indent + statement(s, id));
    if (s.kind === 'open') depth++;
  }
  return out.join('\n');
}

function statement(s: SequenceStatement, id: (name: string) => string): string {
  switch (s.kind) {
    case 'participant': {
      const label = s.label ?? (id(s.id) !== s.id ? s.id : null);
      return `${s.keyword} ${id(s.id)}${label === null ? '' : ` as ${escapeText(label)}`}`;
    }
    case 'message':
      return `${id(s.from)}${s.arrow}${s.mark}${id(s.to)}: ${escapeText(s.text)}`.trimEnd();
    case 'note':
      return `Note ${s.place} ${s.who.map(id).join(',')}: ${escapeText(s.text)}`.trimEnd();
    case 'activation':
      return `${s.on ? 'activate' : 'deactivate'} ${id(s.who)}`;
    case 'open':
    case 'middle':
      return `${s.keyword} ${escapeText(s.text)}`.trimEnd();
    case 'end':
      return 'end';
    case 'verbatim':
      return s.text;
    case 'comment':
      return `%% ${s.text}`;
  }
}

function namesOf(s: SequenceStatement): string[] {
  if (s.kind === 'message') return [s.from, s.to];
  if (s.kind === 'note') return s.who;
  if (s.kind === 'activation') return [s.who];
  if (s.kind === 'participant') return [s.id];
  return [];
}

/** Names Mermaid cannot take as ids get `P1`, `P2`… (drawn with the name as label). */
function safeIds(statements: readonly SequenceStatement[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set(statements.flatMap(namesOf));
  let n = 0;
  for (const name of statements.flatMap(namesOf)) {
    if (ids.has(name) || !UNSAFE_ID.test(name)) continue;
    let next = `P${++n}`;
    while (taken.has(next)) next = `P${++n}`;
    ids.set(name, next);
  }
  return ids;
}
