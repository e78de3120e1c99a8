/**
 * Generated model answers for the other diagram types, about 50 statements
 * each, valid and broken the ways small models break them (see
 * tests/fixtures/model-outputs). `run` varies the texts so no two runs parse
 * the same code (nothing can be served from a cache).
 */
import type { Variant } from './flowchart.ts';

const fence = (lines: string[]) => 'Voici le diagramme :\n\n```mermaid\n' + lines.join('\n') + '\n```\n';
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function sequence(run: number, broken: boolean): string[] {
  const lines = ['sequenceDiagram', '    participant C as Client', '    participant S as Serveur', '    participant P as Paiement'];
  for (const i of range(12)) {
    lines.push(`    C${broken && i % 4 === 0 ? '=>' : '->>'}S: Commande ${i}.${run}${broken && i % 3 === 0 ? '; livraison' : ''}`);
    lines.push(`    alt stock ${i}`, `        S-->>C: Confirmation ${i}`, `    else rupture`, `        S-->>C: Excuses ${i}`);
    if (!broken || i % 5 !== 0) lines.push('    end');
  }
  return lines;
}

function state(run: number, broken: boolean): string[] {
  const name = (i: number) => (broken ? `Step ${i} of ${run}` : `S${i}_${run}`);
  return ['stateDiagram-v2', `    [*] --> ${name(0)}`, ...range(48).map((i) => `    ${name(i)} --> ${name(i + 1)} : event ${i}`), `    ${name(48)} --> [*]`];
}

function er(run: number, broken: boolean): string[] {
  const lines = ['erDiagram'];
  for (const i of range(25)) {
    lines.push(`    ENTITY_${i} ${broken && i % 2 ? '||--0{' : '||--o{'} ENTITY_${i + 1}${broken && i % 3 === 0 ? '' : ` : "has ${run}"`}`);
    lines.push(`    ENTITY_${i} {`, `        int id PK`, `        string ${broken && i % 4 === 0 ? 'full name' : 'name'}`, '    }');
  }
  return lines;
}

function gantt(run: number, broken: boolean): string[] {
  const lines = ['gantt', `    title Plan ${run}`, '    dateFormat YYYY-MM-DD'];
  for (const i of range(48)) {
    if (i % 8 === 0) lines.push(`    section Phase ${i / 8}`);
    const start = i === 0 ? (broken ? '15/01/2024' : '2024-01-15') : `after t${i - 1}`;
    lines.push(`    Task ${i} :t${i}, ${start}, ${broken && i % 3 === 0 ? `${(i % 5) + 1} days` : `${(i % 5) + 1}d`}`);
  }
  return lines;
}

function mindmap(run: number, broken: boolean): string[] {
  const lines = ['mindmap', `    root((Projet ${run}))`];
  for (const i of range(8)) {
    lines.push(`${broken && i % 2 ? '\t\t' : '        '}Branche ${i}${broken ? ' (EUR)' : ''}`);
    for (const j of range(5)) lines.push(`            Feuille ${i}.${j}`);
  }
  return lines;
}

export function otherVariants(run: number): Variant[] {
  return [
    { name: 'sequence, valid', text: fence(sequence(run, false)) },
    { name: 'sequence: => arrows, ; in text, alt without end', text: fence(sequence(run, true)) },
    { name: 'state, valid', text: fence(state(run, false)) },
    { name: 'state: names with spaces (parses, drawn wrong)', text: fence(state(run, true)) },
    { name: 'ER, valid', text: fence(er(run, false)) },
    { name: 'ER: 0{, missing labels, attribute names with spaces', text: fence(er(run, true)) },
    { name: 'gantt, valid', text: fence(gantt(run, false)) },
    { name: 'gantt: DD/MM/YYYY dates, durations in words', text: fence(gantt(run, true)) },
    { name: 'mindmap, valid', text: fence(mindmap(run, false)) },
    { name: 'mindmap: tabs among spaces, parentheses in text', text: fence(mindmap(run, true)) },
  ];
}
