/**
 * `npx tsx bench/mermaid/worst-case.ts [--runs N]`: adversarial answers at
 * the size limit (MAX_DIAGRAM_CHARS, 20,000 characters) for each diagram
 * type — long runs of spaces around colons and arrows, a 1,000-node `&`
 * flowchart, front matter followed by 20,000 newlines, deep nesting —
 * each sent through extractDiagram → repair() as the pipeline does. Reports
 * per input the p50/p99/max repair time and the longest event-loop block
 * seen while it ran (a 1 ms setInterval probe plus monitorEventLoopDelay),
 * as Markdown, with the machine. Issue 12's targets: p99 < 250 ms, no block
 * over 20 ms.
 */
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { MAX_DIAGRAM_CHARS } from '../../common/limits.ts';
import { extractDiagram } from '../../server/mermaid/extract.ts';
import { repair } from '../../server/mermaid/repair.ts';
import { closeValidator, warmUp } from '../../server/mermaid/validate.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);

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

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/** Runs `fn` while probing the event loop; returns its time and the longest block seen. */
export async function probe<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number; blockMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  histogram.enable();
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  worst = Math.max(worst, performance.now() - last);
  clearInterval(timer);
  histogram.disable();
  return { result, ms, blockMs: Math.max(worst, histogram.max / 1e6) };
}

async function main(): Promise<void> {
  await warmUp();
  console.log(`Machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node ${process.version}, load ${loadavg()[0]!.toFixed(1)}; ${RUNS} runs per input\n`);
  console.log('| input (20,000 chars) | valid | p50 ms | p99 ms | max ms | max event-loop block ms |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const { name, text } of WORST_CASES) {
    const times: number[] = [];
    let block = 0;
    let valid = false;
    for (let r = 0; r < RUNS; r++) {
      const run = await probe(async () => {
        const found = extractDiagram(text);
        return found ? repair(found.code) : null;
      });
      times.push(run.ms);
      block = Math.max(block, run.blockMs);
      valid = run.result?.valid ?? false;
    }
    times.sort((a, b) => a - b);
    console.log(`| ${name} | ${valid ? 'yes' : 'no'} | ${percentile(times, 50).toFixed(0)} | ${percentile(times, 99).toFixed(0)} | ${times.at(-1)!.toFixed(0)} | ${block.toFixed(0)} |`);
  }
  await closeValidator();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
