/** Sankey answers Mermaid cannot draw as a sankey (names outside ASCII) are redrawn as flowcharts; ASCII ones are not this format's. */
import { formatTable } from '../formatTable.ts';
import { sankeyFormat } from './index.ts';

formatTable(sankeyFormat, [
  ['Korean names', 'sankey-beta\n매출,인건비,400\n매출,재료비,300', 'flowchart LR\n    n1["매출"] -->|400| n2["인건비"]\n    n1 -->|300| n3["재료비"]', ['converted-type']],
  ['French, arrows and a colon before the value', 'sankey-beta\nImpôts -> Écoles : 40\nSubventions -> Écoles : 15', 'flowchart LR\n    n1["Impôts"] -->|40| n2["Écoles"]\n    n3["Subventions"] -->|15| n2', ['converted-type']],
  ['Hebrew with prose after, a quoted name with a comma (ar)', 'sankey-beta\nתרומות,חינוך,500\n"מענקים, קרנות",חינוך,200\nרוב הכסף מופנה לחינוך ולבריאות כל שנה.', 'flowchart LR\n    n1["תרומות"] -->|500| n2["חינוך"]\n    n3["מענקים, קרנות"] -->|200| n2', ['dropped-line', 'converted-type']],
  ['a header row and a percent value (zh)', 'sankey-beta\nsource,target,value\n收入,工资,60%', 'flowchart LR\n    n1["收入"] -->|60| n2["工资"]', ['converted-type']],
  ['ASCII names: the sankey repairs are enough, not ours', 'sankey-beta\nSolar,Grid,10', null],
]);
