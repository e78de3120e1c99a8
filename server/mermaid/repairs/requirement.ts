import { bodyOf } from '../body.ts';
import { quoted, unquote } from './text.ts';
import type { Repair } from './types.ts';

const RISKS: Record<string, string> = {};
const risk = (to: string, words: string) => words.split('|').forEach((w) => (RISKS[w] = to));
risk('High', 'high|élevé|elevé|haut|hoch|alto|alta|높음|高|גבוה|مرتفع|عالي');
risk('Medium', 'medium|moyen|moyenne|mittel|medio|media|보통|中|בינוני|متوسط');
risk('Low', 'low|faible|bas|niedrig|bajo|baja|낮음|低|נמוך|منخفض');

const RELATIONS = new Set(['contains', 'copies', 'derives', 'satisfies', 'verifies', 'refines', 'traces']);
const PLAIN = /^[A-Za-z0-9_]+$/;
const name = (n: string) => (PLAIN.test(unquote(n)) ? unquote(n) : quoted(n));

/**
 * Requirement diagrams: names with spaces or outside ASCII are quoted
 * (`requirement Datenschutz Anforderung {`); a `text:` or `type:` with
 * punctuation is quoted (its own quotes typographic); risk in words of
 * another language (`risk: élevé`) → `High`; a relation written as an
 * arrow, `A --> B : satisfies` → `A - satisfies -> B`.
 */
export const requirementSyntax: Repair = {
  name: 'requirement-syntax',
  apply(code) {
    const body = bodyOf(code, 'requirement');
    if (!body) return code;
    const { lines, header } = body;
    let changed = false;
    for (let i = header + 1; i < lines.length; i++) {
      const line = lines[i]!;
      const indent = /^[ \t]*/.exec(line)![0];
      const text = line.trim();
      let next = text;
      const block = /^(requirement|functionalRequirement|interfaceRequirement|performanceRequirement|physicalRequirement|designConstraint|element)\s/.exec(text);
      const field = /^(id|text|risk|verifymethod|type|docref):\s?(.*)$/i.exec(text);
      const arrow = arrowRelation(text);
      const relation = spacedRelation(text);
      if (block && text.endsWith('{')) next = `${block[1]} ${name(text.slice(block[0].length, -1).trim())} {`;
      else if (field) {
        const key = field[1]!.toLowerCase();
        const value = field[2]!.trim();
        if (key === 'risk') next = /^(?:low|medium|high)$/i.test(value) ? text : `risk: ${RISKS[value.toLowerCase()] ?? value}`;
        else if ((key === 'text' || key === 'type' || key === 'docref') && !/^"[^"]*"$/.test(value) && /[^\p{L}\p{N} _.,-]/u.test(value)) next = `${field[1]}: ${quoted(value)}`;
      } else if (arrow) next = `${name(arrow[0])} - ${arrow[2]} -> ${name(arrow[1])}`;
      else if (relation) next = `${name(relation[0])} - ${relation[1]} -> ${name(relation[2])}`;
      if (next !== text) {
        lines[i] = indent + next;
        changed = true;
      }
    }
    return changed ? lines.join('\n') : code;
  },
};

/** `A --> B : satisfies` → [A, B, satisfies] (index scans: no backtracking over long lines). */
function arrowRelation(text: string): [string, string, string] | null {
  const colon = text.lastIndexOf(':');
  if (colon === -1) return null;
  const kind = text.slice(colon + 1).trim();
  if (!RELATIONS.has(kind)) return null;
  const head = text.slice(0, colon);
  for (const arrow of [' --> ', ' -> ', ' => ']) {
    const at = head.indexOf(arrow);
    if (at > 0) return [head.slice(0, at).trim(), head.slice(at + arrow.length).trim(), kind];
  }
  return null;
}

/** `A - satisfies -> B` → [A, satisfies, B]. */
function spacedRelation(text: string): [string, string, string] | null {
  const dash = text.indexOf(' - ');
  const arrow = text.indexOf(' -> ', dash + 1);
  if (dash <= 0 || arrow === -1) return null;
  const kind = text.slice(dash + 3, arrow).trim();
  return RELATIONS.has(kind) ? [text.slice(0, dash).trim(), kind, text.slice(arrow + 4).trim()] : null;
}
