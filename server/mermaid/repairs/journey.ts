import { entity, mapBody } from '../body.ts';
import type { Repair } from './types.ts';

/**
 * Journey tasks whose score Mermaid cannot read: score and actors swapped,
 * `Schuhe finden: Kunde: 4` → `Schuhe finden: 4: Kunde`; a colon in the
 * task name, `Pay: card: 4: Me` → `Pay#58; card: 4: Me`; a score out of 5,
 * `4/5` → `4`. A task with no score at all is left for the model: a score
 * would be invented.
 *
 * The line is split at its colons and the parts compared, instead of one
 * pattern with `\s*` around each colon: such a pattern backtracks
 * quadratically or worse over runs of spaces (a 1 KB line took 110 s).
 */
export const journeyScores: Repair = {
  name: 'journey-scores',
  apply(code) {
    return mapBody(code, 'journey', fixTask);
  },
};

const SCORE = /^\d+$/;
const OUT_OF_FIVE = /^(\d)\s*\/\s*5$/;

export function fixTask(line: string): string {
  if (/^\s*(?:title|section)\b/.test(line) || !line.includes(':')) return line;
  const indent = /^[ \t]*/.exec(line)![0];
  const parts = line.slice(indent.length).split(':');
  const trimmed = parts.map((p) => p.trim());
  // `Task: Actor: 4` → `Task: 4: Actor` (the middle part is words, not a score).
  if (parts.length === 3 && trimmed[0] !== '' && SCORE.test(trimmed[2]!) && /[^\s\d]/.test(trimmed[1]!)) {
    return `${indent}${trimmed[0]}: ${trimmed[2]}: ${trimmed[1]}`;
  }
  // `Task: 4/5: Actor` → `Task: 4: Actor`.
  const outOf = parts.length >= 2 ? OUT_OF_FIVE.exec(trimmed[1]!) : null;
  if (outOf && trimmed[0] !== '') {
    const lead = /^\s*/.exec(parts[1]!)![0];
    return `${indent}${parts[0]}:${lead}${outOf[1]}${parts.length > 2 ? `:${parts.slice(2).join(':')}` : ''}`;
  }
  // A colon in the task name: the score is the last (or next to last, before the actors) part.
  let scoreAt = -1;
  if (parts.length >= 3 && SCORE.test(trimmed[parts.length - 1]!)) scoreAt = parts.length - 1;
  else if (parts.length >= 4 && SCORE.test(trimmed[parts.length - 2]!)) scoreAt = parts.length - 2;
  if (scoreAt >= 2) {
    const name = parts.slice(0, scoreAt).join(':').replace(/\s+$/, '');
    if (name.trim() === '') return line;
    const tail = line.slice(indent.length + parts.slice(0, scoreAt).join(':').length);
    const spaces = parts.slice(0, scoreAt).join(':').slice(name.length);
    return `${indent}${name.replace(/:/g, entity)}${spaces}${tail}`;
  }
  return line;
}
