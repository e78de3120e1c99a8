/**
 * Adversarial answers at the size limit (MAX_DIAGRAM_CHARS, 20,000
 * characters), one or more per diagram type: long runs of spaces around
 * colons and arrows, a 1,000-node `&` flowchart, front matter followed by
 * 20,000 newlines, deep nesting. Shared by the worst-case bench and the
 * event-loop test (server/mermaid/repair-thread.test.ts).
 */
import { MAX_DIAGRAM_CHARS } from '../../common/limits.ts';

/** Fills `line(i)` until the text is at the size limit. */
function fill(header: string, line: (i: number) => string): string {
  let text = header;
  for (let i = 0; text.length < MAX_DIAGRAM_CHARS; i++) text += '\n' + line(i);
  return text.slice(0, MAX_DIAGRAM_CHARS);
}
const spaces = (n: number) => ' '.repeat(n);

export const WORST_CASES: Array<{ name: string; text: string }> = [
  { name: 'journey: spaces around colons', text: `journey\n  title T\n  section S\n    Task${spaces(9_000)}:${spaces(9_000)}5${spaces(1_900)}:` },
  { name: 'journey: many tasks', text: fill('journey\n  title T\n  section S', (i) => `    Task ${i}  :  ${1 + (i % 5)}  :  Me`) },
  { name: 'flowchart: 1,000-node & chain', text: `flowchart TD\n  ${Array.from({ length: 1_000 }, (_, i) => `a${i}`).join(' & ')} --> ${Array.from({ length: 1_000 }, (_, i) => `b${i}`).join(' & ')}`.slice(0, MAX_DIAGRAM_CHARS) },
  { name: 'flowchart: front matter + 20,000 newlines', text: ('---\n' + '\n'.repeat(MAX_DIAGRAM_CHARS - 30) + 'flowchart TD\n  A --> B').slice(0, MAX_DIAGRAM_CHARS) },
  { name: 'flowchart: spaces in one line', text: `flowchart TD\n  A${spaces(6_000)}--${spaces(6_000)}text${spaces(6_000)}-->B` },
  { name: 'flowchart: 600 edges, broken labels', text: fill('flowchart TD', (i) => `  N${i}[Step (${i})] -- "go ${i}" --> N${i + 1}{Check ${i}?}`) },
  { name: 'flowchart: deep subgraphs, unclosed', text: fill('flowchart TD', (i) => `${spaces(i % 40)}subgraph S${i} [Group ${i}]\n${spaces(i % 40)}  X${i} --> Y${i}`) },
  { name: 'sequence: arrows and spaces', text: fill('sequenceDiagram', (i) => `    Alice${spaces(20)}->>${spaces(20)}Bob${spaces(10)}:${spaces(10)}Hello ${i};`) },
  { name: 'sequence: one line of spaces', text: `sequenceDiagram\n  participant ${spaces(19_000)} as X` },
  { name: 'state: 2 KB valid ×10', text: fill('stateDiagram-v2', (i) => `    S${i} --> S${i + 1} : go ${i}`) },
  { name: 'state: spaces around arrows', text: `stateDiagram-v2\n  A${spaces(9_000)}-->${spaces(9_000)}B` },
  { name: 'class: bodies', text: fill('classDiagram', (i) => `    class C${i} {\n      +String name${i}\n      +run() void\n    }\n    C${i} <|-- C${i + 1}`) },
  { name: 'class: one-line body of spaces', text: `classDiagram\n  class A {${spaces(9_000)};${spaces(9_000)}}` },
  { name: 'er: entities', text: fill('erDiagram', (i) => `    E${i} ||--o{ E${i + 1} : has\n    E${i} {\n      string name${i} PK\n    }`) },
  { name: 'gantt: tasks', text: fill('gantt\n  dateFormat YYYY-MM-DD\n  section S', (i) => `    Task ${i} :t${i}, after t${Math.max(0, i - 1)}, 1d`) },
  { name: 'mindmap: deep indentation', text: fill('mindmap\n  root((R))', (i) => `${spaces(2 + (i % 60))}node ${i}`) },
  { name: 'timeline: periods', text: fill('timeline\n  title T', (i) => `    ${2000 + i} : event ${i} : other ${i}`) },
  { name: 'pie: slices with %', text: fill('pie title P', (i) => `    "Slice ${i}" : ${i % 100}%`) },
  { name: 'quadrant: points', text: fill('quadrantChart\n  x-axis Low --> High\n  y-axis Low --> High', (i) => `    Point (${i}) : [${(i % 100) / 100}, 0.5]`) },
  { name: 'xychart: labels', text: `xychart-beta\n  x-axis [${Array.from({ length: 2_000 }, (_, i) => `é${i}`).join(', ')}]\n  bar [1, 2]`.slice(0, MAX_DIAGRAM_CHARS) },
  { name: 'sankey: rows', text: fill('sankey-beta', (i) => `A${i},B${i},${i}`) },
  { name: 'block: nested', text: fill('block-beta\n  columns 3', (i) => `  block:g${i}\n    a${i} b${i}\n  end`) },
  { name: 'prose with fences and <think>', text: ('<think>'.repeat(1_000) + '```mermaid\n' + '~'.repeat(5_000) + '\nflowchart TD\n  A --> B\n```\n').padEnd(MAX_DIAGRAM_CHARS, ' ') },
];

