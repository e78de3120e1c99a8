import { entity, mapBody } from '../body.ts';
import type { Repair } from './types.ts';

/**
 * Journey tasks whose score Mermaid cannot read: score and actors swapped,
 * `Schuhe finden: Kunde: 4` → `Schuhe finden: 4: Kunde`; a colon in the
 * task name, `Pay: card: 4: Me` → `Pay#58; card: 4: Me`; a score out of 5,
 * `4/5` → `4`; a score in words, `high` → `4` (five-point scale, several
 * languages). A task with no score at all is left for the model: a score
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

/** Scores written as words, on the usual five-point scale (the model's own rating, as a number). */
const SCORE_WORDS: Record<string, string> = {};
const words = (score: string, list: string) => list.split('|').forEach((w) => (SCORE_WORDS[w] = score));
words('1', 'very low|very bad|terrible|awful|très bas|sehr niedrig|muy bajo|매우 낮음|非常に低い|很低');
words('2', 'low|bad|poor|bas|faible|niedrig|schlecht|bajo|baja|mala|낮음|나쁨|低|低い|悪い|差|נמוך|منخفض');
words('3', 'medium|neutral|ok|okay|average|moyen|mittel|neutral|medio|media|보통|中|普通|一般|בינוני|متوسط');
words('4', 'high|good|haut|élevé|bon|hoch|gut|alto|alta|bueno|buena|높음|좋음|高|高い|良い|好|גבוה|טוב|مرتفع|جيد');
words('5', 'very high|very good|excellent|great|très haut|excellent|sehr hoch|sehr gut|muy alto|excelente|매우 높음|최고|非常に高い|很高|מצוין|ممتاز');
const OUT_OF_FIVE = /^(\d)\s*\/\s*5$/;

export function fixTask(line: string): string {
  if (/^\s*(?:title|section)\b/.test(line) || !line.includes(':')) return line;
  const indent = /^[ \t]*/.exec(line)![0];
  const parts = line.slice(indent.length).split(':');
  const trimmed = parts.map((p) => p.trim());
  // `Fill in form: high: Parent` → `Fill in form: 4: Parent`.
  const word = parts.length >= 2 ? SCORE_WORDS[trimmed[1]!.toLowerCase()] : undefined;
  if (word !== undefined && trimmed[0] !== '') {
    return `${indent}${trimmed[0]}: ${word}${parts.length > 2 ? `: ${parts.slice(2).join(':').trim()}` : ''}`;
  }
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
    const name = parts.slice(0, scoreAt).join(':').trimEnd();
    if (name.trim() === '') return line;
    const tail = line.slice(indent.length + parts.slice(0, scoreAt).join(':').length);
    const spaces = parts.slice(0, scoreAt).join(':').slice(name.length);
    return `${indent}${name.replace(/:/g, entity)}${spaces}${tail}`;
  }
  return line;
}

/** The neutral middle of the five-point scale: what a task without a score is drawn with. */
const NEUTRAL = '3';

/**
 * A task written without a score, `待合室で待つ: 患者` or `Wait` (an error:
 * Mermaid needs `Task: score: actors`), gets the neutral score 3 so it is
 * drawn with its actors; every task so filled is named in `changes`
 * (`added-value`), since the score is not the model's. Runs after
 * journeyScores, so a score in words or out of 5 is read first.
 */
export const journeyMissingScores: Repair = {
  name: 'journey-missing-scores',
  apply(code) {
    return mapBody(code, 'journey', addScore);
  },
  changes(before, after) {
    const was = new Set(before.split('\n'));
    return after.split('\n').flatMap((line, k) => {
      if (was.has(line) || !line.includes(`: ${NEUTRAL}`)) return [];
      const name = line.trim().split(':')[0]!.trim();
      return [{ kind: 'added-value' as const, message: `The task “${name}” had no score: drawn with ${NEUTRAL} (neutral), not the model's.`, line: k + 1 }];
    });
  },
};

export function addScore(line: string): string {
  const t = line.trim();
  if (t === '' || /^(?:title|section|accTitle|accDescr)\b/i.test(t) || t.startsWith('%%')) return line;
  const indent = /^[ \t]*/.exec(line)![0];
  const parts = t.split(':');
  if (parts.length === 1) return `${indent}${t}: ${NEUTRAL}`;
  const trimmed = parts.map((p) => p.trim());
  // `Task: actors` (no number anywhere): the score goes between the name and the actors.
  if (parts.length === 2 && trimmed[0] !== '' && !/\d/.test(trimmed[1]!) && !(trimmed[1]!.toLowerCase() in SCORE_WORDS)) {
    return trimmed[1] === '' ? `${indent}${trimmed[0]}: ${NEUTRAL}` : `${indent}${trimmed[0]}: ${NEUTRAL}: ${trimmed[1]}`;
  }
  return line;
}
