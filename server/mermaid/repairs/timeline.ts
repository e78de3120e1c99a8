import { bodyOf } from '../body.ts';
import type { Repair } from './types.ts';

/** A period as models write them: a year, a date, `Q1`, `2024-03`, `Week 3`… */
const PERIOD = /^(?:\d{1,4}(?:[-/.年]\d{1,2}(?:[-/.月]\d{1,2})?)?[年]?|Q[1-4](?:\s\d{4})?|H[12]|\p{L}{1,12}\s\d{1,4})$/u;

/**
 * Timeline events written without their colon (`1872 Opening of the
 * line`, read as a period named with the whole line) or with an arrow
 * (`Q1 --> Beta release`): the period and its event are split with ` : `,
 * when the line starts with something that reads as a period and the
 * other events of the chart use colons.
 */
export const timelineEvents: Repair = {
  name: 'timeline-events',
  whenValid: true,
  apply(code) {
    const body = bodyOf(code, 'timeline');
    if (!body) return code;
    const { lines, header } = body;
    let changed = false;
    for (let i = header + 1; i < lines.length; i++) {
      const line = lines[i]!;
      const indent = /^[ \t]*/.exec(line)![0];
      const text = line.trim();
      if (text === '' || /^(?:%%|title\b|section\b|accTitle|accDescr)/.test(text)) continue;
      const arrow = text.search(/\s?(?:-->|->|=>|→)\s?/);
      if (arrow > 0 && !text.includes(':')) {
        const event = text.slice(arrow).replace(/^\s?(?:-->|->|=>|→)\s?/, '').trim();
        if (event !== '') {
          lines[i] = `${indent}${text.slice(0, arrow).trim()} : ${event}`;
          changed = true;
        }
        continue;
      }
      // A period whose events follow on `: …` lines is written without a colon on purpose.
      const next = lines.slice(i + 1).find((l) => l.trim() !== '');
      if (text.includes(':') || next?.trim().startsWith(':')) continue;
      const words = text.split(/\s+/);
      for (const take of [2, 1]) {
        if (words.length <= take || !PERIOD.test(words.slice(0, take).join(' '))) continue;
        lines[i] = `${indent}${words.slice(0, take).join(' ')} : ${words.slice(take).join(' ')}`;
        changed = true;
        break;
      }
    }
    return changed ? lines.join('\n') : code;
  },
};
