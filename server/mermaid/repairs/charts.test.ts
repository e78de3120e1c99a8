/** Table tests for the chart repairs (pie, quadrant, xychart, sankey, block); every changed row is checked with Mermaid's parser. */
import { describe, expect, it } from 'vitest';
import { blockSyntax } from './block.ts';
import { pieSlices } from './pie.ts';
import { quadrantPoints } from './quadrant.ts';
import { sankeyFlows } from './sankey.ts';
import { table } from './table.ts';
import { xychartLabels } from './xychart.ts';

const Q = (body: string) => `quadrantChart\n    title Priorities\n    x-axis Low --> High\n    y-axis Low --> High\n${body}`;

table(pieSlices, [
  ['percent sign (en)', 'pie title Budget\n    "Rent" : 45%\n    "Food" : 30', 'pie title Budget\n    "Rent" : 45\n    "Food" : 30'],
  ['decimal comma, unquoted label (fr)', 'pie title Dépenses\n    Loyer : 45,5\n    "Courses" : 30', 'pie title Dépenses\n    "Loyer" : 45.5\n    "Courses" : 30'],
  ['quotes inside a label become typographic', 'pie\n    Le "bio" : 10\n    "Autre" : 5', 'pie\n    "Le “bio”" : 10\n    "Autre" : 5'],
  ['Korean, percent', 'pie title 예산\n    "월세" : 45 %\n    "식비" : 30', 'pie title 예산\n    "월세" : 45\n    "식비" : 30'],
  ['Arabic labels unquoted', 'pie title الميزانية\n    الإيجار : 45\n    "الطعام" : 30', 'pie title الميزانية\n    "الإيجار" : 45\n    "الطعام" : 30'],
  ['values with units (en)', 'pie\n    "Phone" : 40 hours\n    "Chat" : 35 hours', 'pie\n    "Phone" : 40\n    "Chat" : 35'],
  ['title with a colon on its own line', 'pie\n    title: Budget\n    "Rent" : 45', 'pie\n    title Budget\n    "Rent" : 45'],
  ['valid pie untouched', 'pie showData\n    title Pets\n    "Dogs" : 386\n    "Cats" : 85.5', 'pie showData\n    title Pets\n    "Dogs" : 386\n    "Cats" : 85.5'],
  ['not a pie: untouched', 'flowchart TD\n    A : 45%', 'flowchart TD\n    A : 45%'],
]);

table(quadrantPoints, [
  ['0–100 coordinates (en)', Q('    Task A: [30, 60]\n    Task B: [80, 10]'), Q('    Task A: [0.3, 0.6]\n    Task B: [0.8, 0.1]')],
  ['parentheses in a name (de)', Q('    Aufgabe A (dringend): [0.3, 0.6]'), Q('    "Aufgabe A (dringend)": [0.3, 0.6]')],
  ['percentages (ja)', Q('    タスクA: [30%, 60%]'), Q('    タスクA: [0.3, 0.6]')],
  ['valid points untouched (ko)', Q('    작업 A: [0.3, 0.6]\n    "작업 (B)": [0.5, 0.5]'), Q('    작업 A: [0.3, 0.6]\n    "작업 (B)": [0.5, 0.5]')],
]);

table(xychartLabels, [
  ['non-ASCII categories and title (ko)', 'xychart-beta\n    title 매출\n    x-axis [1월, 2월]\n    bar [10, 20]', 'xychart-beta\n    title "매출"\n    x-axis ["1월", "2월"]\n    bar [10, 20]'],
  ['accented categories, axis title with punctuation (fr)', 'xychart-beta\n    x-axis [janv, févr]\n    y-axis Chiffre (€) 0 --> 100\n    bar [10, 20]', 'xychart-beta\n    x-axis [janv, "févr"]\n    y-axis "Chiffre (€)" 0 --> 100\n    bar [10, 20]'],
  ['Hebrew axis title', 'xychart-beta\n    x-axis חודש [a, b]\n    bar [1, 2]', 'xychart-beta\n    x-axis "חודש" [a, b]\n    bar [1, 2]'],
  ['units in the series values (es)', 'xychart-beta\n    x-axis [Ene, Feb]\n    bar [320 kWh, 280 kWh]\n    line [45%, 30%]', 'xychart-beta\n    x-axis [Ene, Feb]\n    bar [320, 280]\n    line [45, 30]'],
  ['valid chart untouched', 'xychart-beta\n    title "Sales Revenue"\n    x-axis [jan, feb, mar]\n    y-axis "Revenue (in $)" 4000 --> 11000\n    bar [5000, 6000, 7500]', 'xychart-beta\n    title "Sales Revenue"\n    x-axis [jan, feb, mar]\n    y-axis "Revenue (in $)" 4000 --> 11000\n    bar [5000, 6000, 7500]'],
]);

table(sankeyFlows, [
  ['comma inside a name used elsewhere (en)', 'sankey-beta\nSolar,Grid,10\nGrid,Homes, Offices,5\nHomes, Offices,Lights,2', 'sankey-beta\nSolar,Grid,10\nGrid,"Homes, Offices",5\n"Homes, Offices",Lights,2'],
  ['the one comma without a space splits (de)', 'sankey-beta\nStrom,Haushalte, Betriebe,5', 'sankey-beta\nStrom,"Haushalte, Betriebe",5'],
  ['names outside ASCII cannot be drawn by Mermaid (even quoted): untouched (ko)', 'sankey-beta\n전기,가정,5', 'sankey-beta\n전기,가정,5'],
  ['ambiguous: left for the model', 'sankey-beta\nA, B, C, 5', 'sankey-beta\nA, B, C, 5'],
  ['valid flows untouched', 'sankey-beta\nSolar, Grid, 10\n"Grid","Homes, Offices",5', 'sankey-beta\nSolar, Grid, 10\n"Grid","Homes, Offices",5'],
]);

table(blockSyntax, [
  ['subgraph … end (en)', 'block-beta\n  subgraph Backend\n  A B\n  end', 'block-beta\n  block:Backend\n  A B\n  end'],
  ['subgraph with a title in another script (ko)', 'block-beta\n  subgraph "사용자 영역"\n  A B\n  end', 'block-beta\n  block:사용자_영역["사용자 영역"]\n  A B\n  end'],
  ['edge label after a colon (fr)', 'block-beta\n  A --> B: oui', 'block-beta\n  A -- "oui" --> B'],
  ['unquoted edge label (de)', 'block-beta\n  A -- ja --> B', 'block-beta\n  A -- "ja" --> B'],
  ['single arrows (de)', 'block-beta\n  columns 2\n  sensor["Sensor"] gateway["Gateway"]\n  sensor -> gateway', 'block-beta\n  columns 2\n  sensor["Sensor"] gateway["Gateway"]\n  sensor --> gateway'],
  ['labels outside ASCII quoted (zh)', 'block-beta\n  columns 2\n  A[用户请求] B(网关鉴权)\n  A --> B', 'block-beta\n  columns 2\n  A["用户请求"] B("网关鉴权")\n  A --> B'],
  ['circle and round labels, any script, quoted; quoted text left as it is (ja, ar, en)', 'block-beta\n  columns 4\n  a((受付窓口)) b(مراجعة) c[Ship] d["see e[x]"]', 'block-beta\n  columns 4\n  a(("受付窓口")) b("مراجعة") c["Ship"] d["see e[x]"]'],
  ['two-character shapes (de)', 'block-beta\n  columns 3\n  db[(Datenbank)] q{{Warteschlange}} s([Start])', 'block-beta\n  columns 3\n  db[("Datenbank")] q{{"Warteschlange"}} s(["Start"])'],
  ['valid block untouched', 'block-beta\n  columns 2\n  block:X\n  A["Start: here"] B\n  end\n  A -- "X" --> B', 'block-beta\n  columns 2\n  block:X\n  A["Start: here"] B\n  end\n  A -- "X" --> B'],
]);

describe('block labels: linear on the ReDoS checker\'s attack string', () => {
  it('quotes nothing in 20,000 characters of `0(` quickly', () => {
    const line = `block-beta\n  ${'0('.repeat(10_000)}0(]]`;
    const started = performance.now();
    expect(blockSyntax.apply(line)).toBe(line);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('leaves a shape with no closer as written', () => {
    expect(blockSyntax.apply('block-beta\n  a(معلق b[x')).toBe('block-beta\n  a(معلق b[x');
  });
});
