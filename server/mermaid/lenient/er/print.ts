/** Prints the model of model.ts as canonical Mermaid. */
import { escapeText, typographic } from '../lines.ts';
import type { Attribute, ErDiagram, ErStatement } from './model.ts';

/** Entity names Mermaid reads unquoted; others are quoted. */
const PLAIN = /^[\p{L}\p{N}_-]+$/u;
const name = (n: string) => (PLAIN.test(n) ? n : `"${n.replace(/"/g, '')}"`);

export function printEr(diagram: ErDiagram): string {
  const out = ['erDiagram'];
  for (const s of diagram.statements) out.push(...statement(s).map((l) => `    ${l}`));
  return out.join('\n');
}

function statement(s: ErStatement): string[] {
  switch (s.kind) {
    case 'relation': {
      const label = /^[\p{L}\p{N}_]+$/u.test(s.label) ? s.label : `"${typographic(escapeText(s.label))}"`;
      return [`${name(s.left)} ${s.card} ${name(s.right)} : ${label}`];
    }
    case 'entity': {
      const head = `${name(s.name)}${s.alias === null ? '' : `["${typographic(s.alias)}"]`}`;
      if (s.attributes === null) return [head];
      return [`${head} {`, ...s.attributes.map((a) => `    ${attribute(a)}`), '}'];
    }
    case 'verbatim':
      return [s.text];
  }
}

function attribute(a: Attribute): string {
  const keys = a.keys.length === 0 ? '' : ` ${a.keys.join(', ')}`;
  const comment = a.comment === null ? '' : ` "${typographic(a.comment)}"`;
  return `${a.type} ${a.name}${keys}${comment}`;
}
