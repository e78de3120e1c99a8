/**
 * drawnContent() with the real Mermaid: one diagram per type, and the units
 * and texts its database says are drawn.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeDrawn, drawnContent } from './drawn.ts';
import { mermaidStats } from './mermaid-worker.ts';
import { validate } from './validate.ts';

afterAll(closeDrawn);

const CASES: [string, string, string[], string[]][] = [
  ['flowchart TD\n  A[Start here] -->|yes ok| B(Next)\n  subgraph S [Group one]\n    B --> C{Done?}\n  end', 'flowchart-v2', ['A', 'B', 'C', 'S'], ['Start here', 'yes ok', 'Group one', 'Done?']],
  ['sequenceDiagram\n  participant A as Alice Smith\n  A->>B: Hello there\n  Note over A: a note\n  loop Every min\n    B-->>A: hi\n  end', 'sequence', ['A', 'B'], ['Alice Smith', 'Hello there', 'a note', 'Every min', 'hi']],
  ['stateDiagram-v2\n  [*] --> Idle\n  Idle --> Busy: start job\n  state Busy {\n    a --> b\n  }\n  note right of Idle: waits', 'stateDiagram', ['Idle', 'Busy', 'a', 'b'], ['start job', 'waits']],
  ['classDiagram\n  class Animal{\n    +String name\n    +eat()\n  }\n  Animal <|-- Dog : extends\n  note for Dog "a note"', 'classDiagram', ['Animal', 'Dog'], ['+String name', '+eat()', 'extends', 'a note']],
  ['erDiagram\n  CUSTOMER ||--o{ ORDER : places\n  ORDER { string id PK "the id" }', 'er', ['CUSTOMER', 'ORDER'], ['places', 'id', 'the id']],
  ['gantt\n  title Plan\n  dateFormat YYYY-MM-DD\n  section Dev\n  Code it :a1, 2024-01-01, 3d\n  Test it :after a1, 2d', 'gantt', ['Code it', 'Test it'], ['Plan', 'Dev']],
  ['mindmap\n  root((Main topic))\n    Child one\n      Grand\n    Child two', 'mindmap', ['root', 'Child one', 'Grand', 'Child two'], ['Main topic']],
  ['timeline\n  title History\n  section S1\n    2020 : Start : Launch\n    2021 : Growth', 'timeline', ['2020', '2021'], ['History', 'S1', 'Start', 'Launch', 'Growth']],
  ['journey\n  title Trip\n  section Go\n    Pack bags: 3: Me, You', 'journey', ['Pack bags'], ['Trip', 'Go', 'Me', 'You']],
  ['pie title Pets\n  "Dogs" : 40\n  "Cats" : 60', 'pie', ['Dogs', 'Cats'], ['Pets']],
  ['quadrantChart\n  title Reach\n  x-axis Low --> High\n  y-axis Few --> Many\n  quadrant-1 Expand\n  Campaign A: [0.3, 0.6]', 'quadrantChart', ['Campaign A'], ['Reach', 'Low', 'High', 'Few', 'Many', 'Expand']],
  ['xychart-beta\n  title "Sales"\n  x-axis [jan, feb]\n  y-axis "Revenue" 0 --> 100\n  bar [10, 20]', 'xychart', ['jan', 'feb'], ['Sales', 'Revenue']],
  ['sankey-beta\nA,B,10\nB,C,5', 'sankey', ['A', 'B', 'C'], []],
  ['block-beta\n  columns 2\n  a["Alpha"] b["Beta"]\n  a -- "go" --> b', 'block', ['a', 'b'], ['Alpha', 'Beta', 'go']],
  ['gitGraph\n  commit id: "init"\n  branch dev\n  commit\n  checkout main\n  merge dev', 'gitGraph', ['init', 'main', 'dev'], []],
  ['requirementDiagram\n  requirement login_req {\n    id: 1\n    text: users log in.\n    risk: high\n    verifymethod: test\n  }\n  element login_page {\n    type: web page\n  }\n  login_page - satisfies -> login_req', 'requirement', ['login_req', 'login_page'], ['users log in.', 'satisfies']],
];

describe('drawnContent', () => {
  it.each(CASES)('%s', async (code, type, units, texts) => {
    const drawn = await drawnContent(code);
    expect(drawn.ok).toBe(true);
    if (!drawn.ok) return;
    expect(drawn.diagramType).toBe(type);
    const ids = drawn.units.flatMap((u) => [u.id, u.label]);
    for (const u of units) expect(ids).toContain(u);
    for (const t of texts) expect(drawn.texts).toContain(t);
  });

  it('says what Mermaid rejects, without units', async () => {
    const drawn = await drawnContent('flowchart TD\n  A --> end');
    expect(drawn.ok).toBe(false);
  });

  it('does not count the commits gitGraph numbers itself as units', async () => {
    const drawn = await drawnContent('gitGraph\n  commit\n  commit');
    expect(drawn.ok && drawn.units.map((u) => u.id)).toEqual(['main']);
  });
});

describe('one Mermaid for validate and drawnContent', () => {
  it('both ask the same worker: no second Mermaid starts', async () => {
    expect((await drawnContent('flowchart TD\n  A --> B')).ok).toBe(true);
    const before = mermaidStats();
    expect(await validate('flowchart TD\n  A --> C')).toMatchObject({ ok: true });
    expect((await drawnContent('pie\n  "a" : 1')).ok).toBe(true);
    const after = mermaidStats();
    expect(after.starts).toBe(before.starts);
    expect(after.requests).toBe(before.requests + 2);
  }, 120_000);
});
