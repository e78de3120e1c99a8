import { bodyOf, mapBody } from '../body.ts';
import type { Repair } from './types.ts';

const KEYWORD = /^\s*(?:title|dateFormat|axisFormat|tickInterval|excludes|includes|todayMarker|weekday|section|displayMode|topAxis|inclusiveEndDates|click|accTitle|accDescr)\b/;

export interface GanttTask {
  /** The task's name, up to the colon that starts its data. */
  name: string;
  /** The comma-separated data: tags, id, start, end or duration. */
  items: string[];
  /** A `%%` comment after the data, with the spaces before it, or ''. */
  comment: string;
}

export function formatTask(task: GanttTask): string {
  return `${task.name}:${task.items.join(',')}${task.comment}`;
}

/**
 * Splits a task line at the colon that starts its data: the last colon not
 * between two digits (times such as `17:49` belong to the data). Null for
 * keyword lines and lines without such a colon.
 */
export function ganttTask(line: string): GanttTask | null {
  if (KEYWORD.test(line) || /^\s*%%/.test(line)) return null;
  const at = line.indexOf('%%');
  const text = at === -1 ? line : line.slice(0, at).trimEnd();
  const comment = line.slice(text.length);
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] !== ':' || (/\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? ''))) continue;
    return { name: text.slice(0, i), items: text.slice(i + 1).split(','), comment };
  }
  return null;
}

const UNITS: Record<string, string> = {};
const unit = (to: string, words: string) => words.split(' ').forEach((w) => (UNITS[w] = to));
unit('d', 'day days jour jours j tag tage tagen 일 日 día días dia dias giorno giorni dag dagen');
unit('w', 'week weeks wk wks semaine semaines woche wochen 주 週 semana semanas settimana settimane');
unit('h', 'hr hrs hour hours heure heures stunde stunden std 시간 時間 hora horas');
unit('m', 'min mins minute minutes minuten 분 分');
unit('M', 'month months mois monat monate monaten 개월 달 mes meses mese mesi');
unit('y', 'year years an ans année années jahr jahre jahren 년 年 año años');

/**
 * Durations in words: `3 days`, `3days`, `3 jours`, `2 Wochen`, `3일` →
 * `3d`, `2w`. Mermaid only reads `3d` (and h, m, w, M, y); anything else
 * draws a task of no length.
 */
export const ganttDurations: Repair = {
  name: 'gantt-durations',
  whenValid: true,
  apply(code) {
    return mapBody(code, 'gantt', (line) => {
      const task = ganttTask(line);
      if (!task) return line;
      const last = task.items[task.items.length - 1]!;
      const m = /^(\s*)(\d+(?:\.\d+)?)\s*(\p{L}+)\.?(\s*)$/u.exec(last);
      if (!m) return line;
      const to = UNITS[m[3]!.toLowerCase()];
      if (!to || `${m[2]}${to}` === `${m[2]}${m[3]}`) return line;
      return formatTask({ ...task, items: [...task.items.slice(0, -1), `${m[1]}${m[2]}${to}${m[4]}`] });
    });
  },
};

const DATE = /^\s*(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})\s*$/;

/**
 * Dates written in another format than `dateFormat` says (`15/01/2024`
 * under `YYYY-MM-DD`: the chart cannot be drawn): `dateFormat` is set to
 * the format every date of the chart is written in, or added when missing.
 * The dates stay as written. Day and month are told apart by a value over
 * 12, or by the separator (`15.01.2024` is day first); `01/02/2024` alone
 * could be either, and is left for the model.
 */
export const ganttDateFormat: Repair = {
  name: 'gantt-date-format',
  apply(code) {
    const body = bodyOf(code, 'gantt');
    if (!body) return code;
    const { lines, header } = body;
    const dates: RegExpExecArray[] = [];
    let formatLine = -1;
    for (let i = header + 1; i < lines.length; i++) {
      if (/^\s*dateFormat\b/.test(lines[i]!)) formatLine = i;
      const task = ganttTask(lines[i]!);
      for (const item of task?.items ?? []) {
        const d = DATE.exec(item);
        if (d) dates.push(d);
      }
    }
    const format = formatOf(dates);
    if (!format) return code;
    const declared = formatLine === -1 ? 'YYYY-MM-DD' : lines[formatLine]!.replace(/^\s*dateFormat\s+/, '').trim();
    if (declared === format) return code;
    if (formatLine === -1) lines.splice(header + 1, 0, `${/^\s*/.exec(lines[header + 1] ?? '')![0] || '    '}dateFormat ${format}`);
    else {
      const line = lines[formatLine]!;
      const at = line.search(/dateFormat\s/);
      if (at !== -1) lines[formatLine] = `${line.slice(0, at)}dateFormat ${format}`;
    }
    return lines.join('\n');
  },
};

function formatOf(dates: RegExpExecArray[]): string | null {
  if (dates.length === 0) return null;
  const sep = dates[0]![2]!;
  if (!dates.every((d) => d[2] === sep)) return null;
  if (dates.every((d) => d[1]!.length === 4)) return `YYYY${sep}MM${sep}DD`;
  if (!dates.every((d) => d[4]!.length === 4)) return null;
  const dayFirst = dates.some((d) => Number(d[1]) > 12);
  const monthFirst = dates.some((d) => Number(d[3]) > 12);
  if (dayFirst && monthFirst) return null;
  if (dayFirst || (!monthFirst && sep !== '/')) return `DD${sep}MM${sep}YYYY`;
  if (monthFirst) return `MM${sep}DD${sep}YYYY`;
  return null;
}

const TAG = /^\s*(?:done|active|crit|milestone|vert)\s*$/;

/**
 * Task ids with spaces (`:design phase, 2024-01-01, 3d`, then `after design
 * phase`): Mermaid reads `after design phase` as two ids it does not know
 * and starts the task today. The id's words are joined with `_`, in its
 * definition and in every `after`/`until` that names it.
 */
export const ganttTaskIds: Repair = {
  name: 'gantt-task-ids',
  whenValid: true,
  apply(code) {
    const body = bodyOf(code, 'gantt');
    if (!body) return code;
    const ids = new Map<string, string>();
    for (const line of body.lines) {
      const task = ganttTask(line);
      const data = task?.items.filter((item) => !TAG.test(item)) ?? [];
      const id = data.length === 3 ? data[0]!.trim() : '';
      if (/\s/.test(id) && !/^(?:after|until)\s/.test(id)) ids.set(id, id.split(/\s+/).join('_'));
    }
    if (ids.size === 0) return code;
    return mapBody(code, 'gantt', (line) => {
      const task = ganttTask(line);
      if (!task) return line;
      const items = task.items.map((item) => {
        const t = item.trim();
        if (ids.has(t)) return item.replace(t, ids.get(t)!);
        const ref = /^(after|until)\s([^]+)$/.exec(t);
        if (ref && ids.has(ref[2]!.trim())) return item.replace(ref[2]!.trim(), ids.get(ref[2]!.trim())!);
        return item;
      });
      const next = formatTask({ ...task, items });
      return next === line ? line : next;
    });
  },
};

/** One item of a task's data: a date, a duration, `after x`/`until x`, a tag. */
const DATA_ITEM = /^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d+(?:\.\d+)?\s?\p{L}{1,10}\.?|(?:after|until)\s\S+(?:\s\S+)*|done|active|crit|milestone)$/u;

/**
 * A task written without the colon that starts its data:
 * `Design 2024-01-01, 3d` (a parse error), `Review 2 days`, `Test after
 * build, 2d`. The colon goes before the first word that starts a date, a
 * duration, `after`/`until` or a tag; every word before it stays the name.
 * A last word that another task names (`after a1`) is the task's id.
 * A line with no such word is left alone (where would the name end?).
 */
export const ganttColons: Repair = {
  name: 'gantt-colons',
  apply(code) {
    // Ids other tasks name (`after a1`): a last word that is one of them is the task's id, not its name.
    const referenced = new Set<string>();
    for (const m of code.matchAll(/\b(?:after|until) ([\p{L}\p{N}_-]+)/gu)) referenced.add(m[1]!);
    return mapBody(code, 'gantt', (line) => {
      if (KEYWORD.test(line) || line.trim() === '' || line.includes(':')) return line;
      const indent = /^[ \t]*/.exec(line)![0];
      const [first, ...rest] = line.trim().split(',');
      if (rest.some((item) => !DATA_ITEM.test(item.trim()) && !/^[\p{L}\p{N}_]+$/u.test(item.trim()))) return line;
      const words = first!.trim().split(/\s+/);
      for (let j = 1; j < words.length; j++) {
        if (!DATA_ITEM.test(words.slice(j).join(' '))) continue;
        const data = [words.slice(j).join(' '), ...rest.map((r) => r.trim())];
        return `${indent}${words.slice(0, j).join(' ')} :${data.join(', ')}`;
      }
      // `Design, 2024-01-01, 3d`: the name, then data items only; `Build a1, 2024-01-01, 3d` when `after a1` is used.
      if (rest.length === 0 || !rest.every((item) => DATA_ITEM.test(item.trim()))) return line;
      const data = rest.map((r) => r.trim());
      const id = words[words.length - 1]!;
      if (words.length > 1 && referenced.has(id)) return `${indent}${words.slice(0, -1).join(' ')} :${[id, ...data].join(', ')}`;
      return `${indent}${first!.trim()} :${data.join(', ')}`;
      return line;
    });
  },
};
