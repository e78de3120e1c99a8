import { entity, mapBody } from '../body.ts';
import type { Repair } from './types.ts';

/**
 * Journey tasks whose score Mermaid cannot read: score and actors swapped,
 * `Schuhe finden: Kunde: 4` → `Schuhe finden: 4: Kunde`; a colon in the
 * task name, `Pay: card: 4: Me` → `Pay#58; card: 4: Me`; a score out of 5,
 * `4/5` → `4`. A task with no score at all is left for the model: a score
 * would be invented.
 */
export const journeyScores: Repair = {
  name: 'journey-scores',
  apply(code) {
    return mapBody(code, 'journey', (line) => {
      if (/^\s*(?:title|section)\b/.test(line)) return line;
      const swapped = /^(\s*)([^:]+?)\s*:\s*([^:]*?[^\s\d:][^:]*?)\s*:\s*(\d+)\s*$/.exec(line);
      if (swapped) return `${swapped[1]}${swapped[2]}: ${swapped[4]}: ${swapped[3]}`;
      const outOf = /^(\s*[^:]+:\s*)(\d)\s*\/\s*5(\s*(?::.*)?)$/.exec(line);
      if (outOf) return `${outOf[1]}${outOf[2]}${outOf[3]}`;
      const named = /^(\s*)(.+?)(\s*:\s*\d+\s*(?::[^:]*)?)$/.exec(line);
      if (named && named[2]!.includes(':')) return `${named[1]}${named[2]!.replace(/:/g, entity)}${named[3]}`;
      return line;
    });
  },
};
