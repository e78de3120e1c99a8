import { entity, kindOf, mapBody } from '../body.ts';
import { formatMessage, parseMessage } from '../sequence.ts';
import { formatTask, ganttTask } from './gantt.ts';
import { parseTransition } from './state.ts';
import type { Repair } from './types.ts';
import { trimEndSemicolon } from '../../../common/text.ts';

/**
 * Characters that are syntax where the model put text become Mermaid entity
 * codes, drawn as the same characters (`;` → `#59;`, `#` → `#35;`, `:` → `#58;`).
 * Text that already reads as an entity code (`#9829;`, and so `#12;`) is kept:
 * Mermaid draws it as that character.
 * - sequence: `;` and `#` in messages and notes (`;` ends the statement, an
 *   error; `#` starts a comment, so `Order #12` is drawn as "Order");
 * - state: `;` in a transition label (read as a state named `;`…), and a
 *   trailing `;` goes;
 * - journey: `;` and `#` in a task name (errors);
 * - timeline: a colon inside a time (`09:00 : Standup`, an error; an event
 *   `Call at 10:30` is split in two);
 * - gantt: a colon inside a task name (`Phase 1: Design :a1, …` draws a task
 *   "Phase 1" with data "Design :a1, …"), and a name starting with the
 *   keyword `call` or `click` (`Call supplier :a1, …`, an error): its first
 *   letter becomes `#67;`.
 */
export const escapeText: Repair = {
  name: 'escape-text',
  whenValid: true,
  apply(code) {
    switch (kindOf(code)) {
      case 'sequence':
        return mapBody(code, 'sequence', escapeSequence);
      case 'state':
        return mapBody(code, 'state', escapeState);
      case 'journey':
        return mapBody(code, 'journey', (line) => {
          if (/^\s*(?:title|section)\b/.test(line)) return line;
          const m = atFirstColon(line);
          return m && needsEscape(m.text) ? `${m.indent}${escape(m.text)}${m.rest}` : line;
        });
      case 'timeline':
        return mapBody(code, 'timeline', (line) => (/^\s*(?:title|section)\b/.test(line) ? line : line.replace(/(\d):(?=\d)/g, `$1${entity(':')}`)));
      case 'gantt':
        return mapBody(code, 'gantt', (line) => {
          // `Call supplier :a1, …` / `Click test :…`: the task name starts with a keyword.
          const keyword = /^(\s*)(c)(all|lick)(\s[^]*:[^]*)$/i.exec(line);
          if (keyword && !/^\s*click\s+\S+\s+(?:href|call)\b/i.test(line)) return `${keyword[1]}${entity(keyword[2]!)}${keyword[3]}${keyword[4]}`;
          // `Section headings :p1, after v2, 2d`, `Title page :t1, 3d`: read as a section or the title; the task is lost.
          const word = /^(\s*)([a-z])([a-z]+)(\s[^]*)$/i.exec(line);
          if (word && LEXER_WORDS.has(`${word[2]}${word[3]}`.toLowerCase()) && hasTaskData(line)) return `${word[1]}${entity(word[2]!)}${word[3]}${word[4]}`;
          const task = ganttTask(line);
          return task && task.name.includes(':') ? formatTask({ ...task, name: task.name.replace(/:/g, entity) }) : line;
        });
      default:
        return code;
    }
  },
};

/** Words the gantt lexer reads as a statement at the start of a line, whatever follows (case-insensitive). */
const LEXER_WORDS = new Set(['title', 'section', 'dateformat', 'axisformat', 'tickinterval', 'includes', 'excludes', 'todaymarker', 'accdescription']);

/**
 * After the last colon, task data: items that are all dates, durations,
 * `after x`, tags or ids, at least one not an id (`section Phase 1: Design`
 * is a section). The colon between two digits (`10:30`) is not it.
 */
function hasTaskData(line: string): boolean {
  let at = -1;
  for (let i = line.length - 1; i >= 0 && at === -1; i--) if (line[i] === ':' && !(/\d/.test(line[i - 1] ?? '') && /\d/.test(line[i + 1] ?? ''))) at = i;
  if (at === -1) return false;
  const items = line.slice(at + 1).split(',').map((x) => x.trim());
  return items.every((x) => TASK_ITEM.test(x) || /^[\p{L}\p{N}_-]+$/u.test(x)) && items.some((x) => TASK_ITEM.test(x) && !TAG.test(x));
}

/** A date, a duration as Mermaid reads it (`3d`, `12h`), `after a1`/`until b2`, or a tag. */
const TASK_ITEM = /^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d+(?:\.\d+)?(?:ms|[smhdwMy])|(?:after|until) [\p{L}\p{N}_ -]+|done|active|crit|milestone)$/u;
const TAG = /^(?:done|active|crit|milestone)$/;

/** `;` and `#` → entity codes; entity codes already there (`#9829;`) are kept. */
const escape = (text: string) => text.replace(/(#[A-Za-z0-9]+;)|[;#]/g, (m, code: string | undefined) => code ?? entity(m));

/** `;` or `#` inside the text; a `;` ending it is a statement terminator, valid as it is. */
const needsEscape = (text: string) => /[;#]/.test(trimEndSemicolon(text.replace(/#[A-Za-z0-9]+;/g, '')));

/**
 * `^(\s*)([^:]+)(:.*)$` by hand (as a pattern it is quadratic on spaces):
 * the indentation, the text before the first colon (at least one character),
 * and the rest from the colon.
 */
function atFirstColon(line: string): { indent: string; text: string; rest: string } | null {
  const colon = line.indexOf(':');
  if (colon < 1) return null;
  const before = line.slice(0, colon);
  const indent = Math.min(before.length - before.trimStart().length, colon - 1);
  return { indent: line.slice(0, indent), text: line.slice(indent, colon), rest: line.slice(colon) };
}

function escapeSequence(line: string): string {
  const note = /^(\s*note\s[^:]+:)([^]*)$/i.exec(line);
  if (note) return needsEscape(note[2]!) ? note[1] + escape(trimEndSemicolon(note[2]!)) : line;
  const m = parseMessage(line);
  if (m && m.text !== null && needsEscape(m.text)) return formatMessage({ ...m, text: escape(trimEndSemicolon(m.text)) });
  return line;
}

function escapeState(line: string): string {
  if (!line.includes(';') || /^\s*(?:classDef|class|style|click|state\s)\b/.test(line) || line.includes('%%')) return line;
  const trimmed = trimEndSemicolon(line);
  const t = parseTransition(trimmed);
  const semicolons = (text: string) => text.replace(/(#[A-Za-z0-9]+;)|;/g, (m, code: string | undefined) => code ?? entity(m));
  if (t && t.label) return `${trimmed.slice(0, trimmed.length - t.label.length)}${semicolons(t.label)}`;
  const described = /^(\s*[^\s:]+\s*:)(.*)$/.exec(trimmed);
  if (described && !t) return described[1] + semicolons(described[2]!);
  return trimmed;
}
