import { bodyOf, kindOf } from '../body.ts';
import type { Repair } from './types.ts';

const MARKER = /^([ \t]*)(?:[-*+•]|\d{1,3}[.)])[ \t]+(?=\S)/;

/**
 * Markdown list markers before statements (`- participant Shopper`,
 * `1. Kunde->>Shop: …`, `- 시장 조사 :a1, …`): in a sequence or state
 * diagram they read as prose and the lines are dropped; in a gantt chart or
 * a pie they become part of the name. When most statement lines carry one,
 * every marker goes; the statements stay. Not for flowcharts (their own
 * repair) nor mind maps (`mindmap-bullets`: there a marker is a level).
 * Runs first, before the prose around the diagram is cut.
 */
export const listMarkers: Repair = {
  name: 'list-markers',
  whenValid: true,
  apply(code) {
    const kind = kindOf(code);
    if (kind === null || kind === 'flowchart' || kind === 'mindmap') return code;
    const body = bodyOf(code, kind);
    if (!body) return code;
    const { lines, header } = body;
    const statements = lines.slice(header + 1).filter((l) => l.trim() !== '' && !/^\s*%%/.test(l));
    const marked = statements.filter((l) => MARKER.test(l)).length;
    if (marked === 0 || marked * 2 < statements.length) return code;
    for (let i = header + 1; i < lines.length; i++) lines[i] = lines[i]!.replace(MARKER, '$1');
    return lines.join('\n');
  },
};
