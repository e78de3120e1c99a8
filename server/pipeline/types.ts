/**
 * What the prompt tells the model about each diagram type: the header line,
 * the few rules a small model gets wrong, and one tiny example that Mermaid's
 * parser accepts (a test checks every example with the real validator).
 */
import type { DiagramType, Direction } from '../../common/limits.ts';

export type ConcreteType = Exclude<DiagramType, 'auto'>;

export interface TypeSpec {
  /** Human name for the prompt. */
  name: string;
  /** Header line; `{dir}` is replaced by the direction for flowcharts. */
  header: string;
  /** Syntax reminders, one per line. */
  rules: string[];
  /** A short valid example; its first line is the header (with TD for flowcharts). */
  example: string;
}

export const TYPE_SPECS: Record<ConcreteType, TypeSpec> = {
  flowchart: {
    name: 'flowchart',
    header: 'flowchart {dir}',
    rules: [
      'One node or edge per line. Nodes: id["Label"] for a step, id{"Question?"} for a decision, id(["Label"]) for start and end.',
      'Edges: a --> b, with a label: a -->|"yes"| b. Define each node once with its label, then refer to it by id.',
      'Subgraphs, if any: subgraph id["Title"] ... end, each closed by its own end line.',
    ],
    example: [
      'flowchart TD',
      '    start(["Order received"]) --> check{"In stock?"}',
      '    check -->|"yes"| ship["Ship the order"]',
      '    check -->|"no"| refund["Refund the customer"]',
      '    ship --> done(["Done"])',
      '    refund --> done',
    ].join('\n'),
  },
  sequence: {
    name: 'sequence diagram',
    header: 'sequenceDiagram',
    rules: [
      'Declare each participant first: participant id as Label (or actor id as Label).',
      'Messages: a->>b: text, always with the colon (reply: b-->>a: text). Blocks: alt condition / else / end, loop text / end, opt text / end; close each block with a line holding only end.',
      'No semicolons, no # characters, no quotes in message text.',
    ],
    example: [
      'sequenceDiagram',
      '    actor C as Customer',
      '    participant S as Shop',
      '    C->>S: Place order',
      '    alt in stock',
      '        S-->>C: Confirmation',
      '    else out of stock',
      '        S-->>C: Apology',
      '    end',
    ].join('\n'),
  },
  state: {
    name: 'state diagram',
    header: 'stateDiagram-v2',
    rules: [
      'State ids are one word. For a name with spaces: state "Waiting for payment" as waiting, then use waiting. Start and end: [*].',
      'Transitions: a --> b : event. Never name a state end. No semicolons.',
    ],
    example: [
      'stateDiagram-v2',
      '    state "Waiting for payment" as waiting',
      '    state "Shipped" as shipped',
      '    [*] --> waiting',
      '    waiting --> shipped : paid',
      '    shipped --> [*]',
    ].join('\n'),
  },
  class: {
    name: 'class diagram',
    header: 'classDiagram',
    rules: [
      'Classes: class Name { on its own line, one member per line (+type attribute, +method()), then } on its own line. Generics as List~Item~, never <>.',
      'Relations: A <|-- B (inheritance), A *-- B (composition), A --> B (association), with an optional : label.',
    ],
    example: [
      'classDiagram',
      '    class Order {',
      '        +date created',
      '        +submit()',
      '    }',
      '    class Customer',
      '    Customer "1" --> "*" Order : places',
    ].join('\n'),
  },
  er: {
    name: 'entity-relationship diagram',
    header: 'erDiagram',
    rules: [
      'Relations: A ||--o{ B : "label", always with : "label". Left side one of ||, |o, }|, }o; right side one of ||, o|, |{, o{. Entity names: letters, digits, underscores.',
      'Attributes: ENTITY { type name } with one attribute per line; names in one word (first_name); keys as PK, FK, UK after the name.',
    ],
    example: [
      'erDiagram',
      '    CUSTOMER ||--o{ ORDER : "places"',
      '    ORDER {',
      '        string id',
      '        date created',
      '    }',
    ].join('\n'),
  },
  gantt: {
    name: 'Gantt chart',
    header: 'gantt',
    rules: [
      'Lines: title Text, dateFormat YYYY-MM-DD, section Name, then tasks as Task name :id, start date or after id, duration (3d, 2w, 4h).',
      'Dates exactly as dateFormat says; ids one word; no colon after title, section or dateFormat, none inside task names.',
    ],
    example: [
      'gantt',
      '    title Launch',
      '    dateFormat YYYY-MM-DD',
      '    section Build',
      '    Write code :a1, 2024-01-01, 5d',
      '    Test :a2, after a1, 2d',
    ].join('\n'),
  },
  mindmap: {
    name: 'mind map',
    header: 'mindmap',
    rules: [
      'One root, then children indented deeper than their parent (spaces only). Root as root(("Topic")); children as plain text or id["Label"].',
      'No ( ) [ ] { } in plain text, no - bullets.',
    ],
    example: ['mindmap', '    root(("Trip"))', '        Budget', '        Route', '            Stops'].join('\n'),
  },
  timeline: {
    name: 'timeline',
    header: 'timeline',
    rules: ['Lines: title Text, optional section Name, then period : event (more events: period : event : event).', 'No colons inside periods or events (write 9h30, not 9:30).'],
    example: ['timeline', '    title Project', '    January : Kick-off', '    February : Design : Review'].join('\n'),
  },
  journey: {
    name: 'user journey',
    header: 'journey',
    rules: ['Lines: title Text, section Name, then Task name: score from 1 to 5: Actor, Actor. Every task has a score.', 'No colons inside task names.'],
    example: ['journey', '    title Buying shoes', '    section Shop', '        Find shoes: 4: Customer', '        Pay: 2: Customer, Cashier'].join('\n'),
  },
};

/** The header line for a type (direction only matters for flowcharts). */
export function headerFor(type: ConcreteType, direction: Direction = 'TD'): string {
  return TYPE_SPECS[type].header.replace('{dir}', direction);
}

/** Which of our types a Mermaid header line names, or null. */
export function typeOfHeader(code: string): ConcreteType | null {
  const lines = code.split('\n').map((line) => line.trim());
  let index = 0;
  // Skip blank lines, comments/directives and a YAML front matter block.
  while (index < lines.length && (lines[index] === '' || lines[index]!.startsWith('%%'))) index++;
  if (lines[index] === '---') {
    index++;
    while (index < lines.length && lines[index] !== '---') index++;
    index++;
  }
  while (index < lines.length && (lines[index] === '' || lines[index]!.startsWith('%%'))) index++;
  const first = lines[index];
  if (!first) return null;
  const keyword = first.split(/\s+/)[0]!.toLowerCase();
  if (keyword === 'flowchart' || keyword === 'graph') return 'flowchart';
  if (keyword === 'sequencediagram') return 'sequence';
  if (keyword === 'statediagram' || keyword === 'statediagram-v2') return 'state';
  if (keyword === 'classdiagram') return 'class';
  if (keyword === 'erdiagram') return 'er';
  if (keyword === 'gantt' || keyword === 'mindmap' || keyword === 'timeline' || keyword === 'journey') return keyword;
  return null;
}
