/** Prints the model of model.ts as canonical Mermaid: one statement a line, bodies and namespaces indented. */
import { escapeText, slug as makeSlug, typographic } from '../lines.ts';
import type { ClassDiagram, ClassStatement } from './model.ts';

const PLAIN_ID = /^[\p{L}\p{N}_]+$/u;

const slug = (name: string) => makeSlug(name, 'Class');

export function printClass(diagram: ClassDiagram): string {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const s of diagram.statements) for (const n of namesOf(s)) if (PLAIN_ID.test(n)) taken.add(n);
  const labels = new Map<string, string>();
  const id = (name: string): string => {
    if (PLAIN_ID.test(name)) return name;
    let next = ids.get(name);
    if (next) return next;
    next = slug(name);
    while (taken.has(next)) next += '_';
    taken.add(next);
    ids.set(name, next);
    labels.set(next, name);
    return next;
  };
  const out = ['classDiagram'];
  const declared = new Set<string>();
  let depth = 1;
  for (const s of diagram.statements) {
    if (s.kind === 'close') depth = Math.max(1, depth - 1);
    const indent = '    '.repeat(depth);
    // A name that needed an id is declared with its name as the label before its first use.
    for (const n of namesOf(s)) {
      const cid = id(n);
      if (!labels.has(cid) || declared.has(cid) || (s.kind === 'class' && s.name === n)) continue;
      declared.add(cid);
      out.push(`${indent}class ${cid}["${typographic(labels.get(cid)!)}"]`);
    }
    if (s.kind === 'class') {
      const cid = id(s.name);
      const label = s.label ?? labels.get(cid) ?? null;
      const head = `class ${cid}${s.generic === '' ? '' : `~${s.generic}~`}${label === null ? '' : `["${typographic(label)}"]`}${s.rest}`;
      if (s.members === null) {
        if (declared.has(cid) && s.label === null) continue;
        out.push(indent + head);
      } else {
        out.push(`${indent}${head} {`, ...s.members.map((m) => `${indent}    ${m}`), `${indent}}`);
      }
      declared.add(cid);
      continue;
    }
    out.push(indent + statement(s, id));
    if (s.kind === 'namespace') depth++;
  }
  return out.join('\n');
}

function statement(s: Exclude<ClassStatement, { kind: 'class' }>, id: (n: string) => string): string {
  switch (s.kind) {
    case 'member':
      return `${id(s.name)} : ${s.text}`;
    case 'relation': {
      const left = `${id(s.left)}${s.leftCard === '' ? '' : ` "${s.leftCard}"`}`;
      const right = `${s.rightCard === '' ? '' : `"${s.rightCard}" `}${id(s.right)}`;
      return `${left} ${s.arrow} ${right}${s.label === '' ? '' : ` : ${escapeText(s.label, ':')}`}`;
    }
    case 'annotation':
      return `${s.text} ${id(s.name)}`;
    case 'note':
      return `note ${s.name === null ? '' : `for ${id(s.name)} `}"${typographic(s.text)}"`;
    case 'namespace':
      return `namespace ${s.name} {`;
    case 'close':
      return '}';
    case 'verbatim':
      return s.text;
  }
}

function namesOf(s: ClassStatement): string[] {
  if (s.kind === 'relation') return [s.left, s.right];
  if (s.kind === 'class' || s.kind === 'member' || s.kind === 'annotation') return [s.name];
  if (s.kind === 'note' && s.name !== null) return [s.name];
  return [];
}
