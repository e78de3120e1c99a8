/** Table tests for the gantt repairs; every changed row is checked with Mermaid's parser and render check. */
import { ganttColons, ganttDateFormat, ganttDurations, ganttTaskIds } from './gantt.ts';
import { table } from './table.ts';

const G = (body: string) => `gantt\n    dateFormat YYYY-MM-DD\n    section S\n${body}`;

table(ganttDurations, [
  ['days in words (en)', G('    Design :a1, 2024-01-01, 3 days\n    Build :a2, after a1, 1 week'), G('    Design :a1, 2024-01-01, 3d\n    Build :a2, after a1, 1w')],
  ['French and German', G('    Concevoir :a1, 2024-01-01, 3 jours\n    Bauen :a2, after a1, 2 Wochen'), G('    Concevoir :a1, 2024-01-01, 3d\n    Bauen :a2, after a1, 2w')],
  ['Korean, glued', G('    설계 :a1, 2024-01-01, 3일\n    개발 :a2, after a1, 5days'), G('    설계 :a1, 2024-01-01, 3d\n    개발 :a2, after a1, 5d')],
  ['hours with a comment after', G('    Meeting :a1, 2024-01-01, 2 hours %% short'), G('    Meeting :a1, 2024-01-01, 2h %% short')],
  ['valid durations and end dates untouched', G('    A :a1, 2024-01-01, 3d\n    B :a2, after a1, 2024-01-09\n    C :1w'), G('    A :a1, 2024-01-01, 3d\n    B :a2, after a1, 2024-01-09\n    C :1w')],
]);

table(ganttDateFormat, [
  ['day first, told by a day over 12 (fr)', G('    Conception :a1, 15/01/2024, 3d\n    Test :a2, 02/02/2024, 2d'), 'gantt\n    dateFormat DD/MM/YYYY\n    section S\n    Conception :a1, 15/01/2024, 3d\n    Test :a2, 02/02/2024, 2d'],
  ['month first, told by a day over 12 (en)', G('    Design :a1, 01/15/2024, 3d'), 'gantt\n    dateFormat MM/DD/YYYY\n    section S\n    Design :a1, 01/15/2024, 3d'],
  ['dots are day first (de)', G('    Planung :a1, 01.02.2024, 3d'), 'gantt\n    dateFormat DD.MM.YYYY\n    section S\n    Planung :a1, 01.02.2024, 3d'],
  ['missing dateFormat is added', 'gantt\n    section S\n    Planung :a1, 15.01.2024, 3d', 'gantt\n    dateFormat DD.MM.YYYY\n    section S\n    Planung :a1, 15.01.2024, 3d'],
  ['01/02/2024 could be either: left for the model', G('    Design :a1, 01/02/2024, 3d'), G('    Design :a1, 01/02/2024, 3d')],
  ['dates matching dateFormat untouched', G('    Design :a1, 2024-01-15, 3d'), G('    Design :a1, 2024-01-15, 3d')],
]);

table(ganttTaskIds, [
  ['id with spaces and its after (en)', G('    Design :design phase, 2024-01-01, 3d\n    Build :build, after design phase, 2d'), G('    Design :design_phase, 2024-01-01, 3d\n    Build :build, after design_phase, 2d')],
  ['with a tag in front', G('    Design :crit, design phase, 2024-01-01, 3d\n    Ship :after design phase, 1d'), G('    Design :crit, design_phase, 2024-01-01, 3d\n    Ship :after design_phase, 1d')],
  ['valid ids untouched', G('    A :a1, 2024-01-01, 3d\n    B :after a1, 2d'), G('    A :a1, 2024-01-01, 3d\n    B :after a1, 2d')],
]);

table(ganttColons, [
  ['date right after the name (en)', G('    Design phase 2024-01-01, 3d'), G('    Design phase :2024-01-01, 3d')],
  ['date then duration (fr)', G('    Revue du code 2024-01-01, 2d'), G('    Revue du code :2024-01-01, 2d')],
  ['after, with a comma (de)', G('    Entwurf :e1, 2024-01-01, 3d\n    Test after e1, 2d'), G('    Entwurf :e1, 2024-01-01, 3d\n    Test :after e1, 2d')],
  ['the last word is an id another task names (de)', G('    Backend bauen a1, 2024-04-01, 10d\n    Frontend bauen :a2, after a1, 8d'), G('    Backend bauen :a1, 2024-04-01, 10d\n    Frontend bauen :a2, after a1, 8d')],
  ['name then a comma (ja)', G('    設計, 2024-01-01, 3d'), G('    設計 :2024-01-01, 3d')],
  ['no data word: left alone', G('    Design the thing'), G('    Design the thing')],
]);
