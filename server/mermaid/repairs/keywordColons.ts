import { kindOf, mapBody } from '../body.ts';
import type { Repair } from './types.ts';

/**
 * `title: Plan`, `section: Phase 1`, `dateFormat: YYYY-MM-DD`: keywords take
 * no colon in gantt charts, timelines, user journeys, quadrant charts and xycharts. With one, a timeline
 * or journey draws a period or task named "title"; a gantt chart cannot be
 * drawn at all. The colon goes; the text stays.
 */
const KEYWORDS = {
  gantt: /^(\s*)(title|section|dateFormat|axisFormat|tickInterval|excludes|includes|todayMarker|weekday)\s*:\s*(\S.*)$/,
  timeline: /^(\s*)(title|section)\s*:\s*(\S.*)$/,
  journey: /^(\s*)(title|section)\s*:\s*(\S.*)$/,
  quadrant: /^(\s*)(title|x-axis|y-axis|quadrant-[1-4])\s*:\s*(\S.*)$/,
  xychart: /^(\s*)(title|x-axis|y-axis)\s*:\s*(\S.*)$/,
} as const;

export const keywordColons: Repair = {
  name: 'keyword-colons',
  whenValid: true,
  apply(code) {
    const kind = kindOf(code);
    if (kind !== 'gantt' && kind !== 'timeline' && kind !== 'journey' && kind !== 'quadrant' && kind !== 'xychart') return code;
    const re = KEYWORDS[kind];
    return mapBody(code, kind, (line) => {
      const m = re.exec(line);
      // A journey task named "title" has a score: `title: 3: Me` is left alone.
      if (!m || (kind === 'journey' && /^\d+\s*(?::|$)/.test(m[3]!))) return line;
      return `${m[1]}${m[2]} ${m[3]}`;
    });
  },
};
