/** Table tests for the flowchart repairs and the shared ones, as pure functions (no mermaid); the other types' tables are in *.test.ts beside this file. */
import { describe, expect, it } from 'vitest';
import { closeSubgraphs } from './closeSubgraphs.ts';
import { dropBrokenTail } from './dropBrokenTail.ts';
import { dropTrailingProse } from './dropTrailingProse.ts';
import { escapeQuotes } from './escapeQuotes.ts';
import { fixArrows } from './fixArrows.ts';
import { fixDirection } from './fixDirection.ts';
import { REPAIRS } from './index.ts';
import { quoteLabels } from './quoteLabels.ts';
import { removeHtml } from './removeHtml.ts';
import { renameReservedIds } from './renameReservedIds.ts';
import type { Repair } from './types.ts';

const F = (body: string) => `flowchart TD\n${body}`;

function table(repair: Repair, rows: Array<[string, string, string]>) {
  describe(repair.name, () => {
    it.each(rows)('%s', (_name, input, expected) => {
      expect(repair.apply(input)).toBe(expected);
    });
    it('is idempotent on every row', () => {
      for (const [, input] of rows) {
        const once = repair.apply(input);
        expect(repair.apply(once)).toBe(once);
      }
    });
  });
}

table(quoteLabels, [
  ['parentheses (en)', F('  A[Check payment (card)] --> B'), F('  A["Check payment (card)"] --> B')],
  ['colon (fr)', F('  A[Statut : validé] --> B'), F('  A["Statut : validé"] --> B')],
  ['semicolon and hash', F('  A[Apply 10%; notify #sales]'), F('  A["Apply 10%; notify #sales"]')],
  ['ampersand', F('  A[Q&A] --> B'), F('  A["Q&A"] --> B')],
  ['brackets inside a label', F('  A[Read items[0]] --> B'), F('  A["Read items[0]"] --> B')],
  ['diamond with > and ?', F('  D{Amount > 100?}'), F('  D{"Amount > 100?"}')],
  ['round node with parentheses (ko)', F('  A(회원가입 (이메일)) --> B'), F('  A("회원가입 (이메일)") --> B')],
  ['circle node', F('  S((Start: here)) --> B'), F('  S(("Start: here")) --> B')],
  ['stadium node', F('  S([Ende; fertig])'), F('  S(["Ende; fertig"])')],
  ['edge label with parentheses', F('  A -->|Yes (VIP)| B'), F('  A -->|"Yes (VIP)"| B')],
  ['edge text form', F('  A -- ok (fast) --> B'), F('  A -- "ok (fast)" --> B')],
  ['quotes inside a label are escaped', F('  A[Say "hi" (loud)]'), F('  A["Say #quot;hi#quot; (loud)"]')],
  ['non-ASCII alone needs nothing', F('  A[Größe prüfen] --> B[주문 확인]'), F('  A[Größe prüfen] --> B[주문 확인]')],
  ['already quoted is left alone', F('  A["Pay (card)"] --> B'), F('  A["Pay (card)"] --> B')],
  ['at sign (de)', F('  A[Mail an info@firma.de] --> B'), F('  A["Mail an info@firma.de"] --> B')],
  ['leading slash is a path, not a parallelogram', F('  A[/api/orders] --> B'), F('  A["/api/orders"] --> B')],
  ['a real parallelogram untouched', F('  A[/Input/] --> B'), F('  A[/Input/] --> B')],
  ['<br> alone needs nothing', F('  A[Line one<br>line two]'), F('  A[Line one<br>line two]')],
  ['several nodes on one line', F('  A[a (1)] --> B[b] --> C[c: 3]'), F('  A["a (1)"] --> B[b] --> C["c: 3"]')],
  ['subgraph title with parentheses', F('  subgraph Phase 1 (Intake)\n    A --> B\n  end'), F('  subgraph "Phase 1 (Intake)"\n    A --> B\n  end')],
  ['subgraph id with bracketed title', F('  subgraph P1 [Étape 1 : accueil]\n    A\n  end'), F('  subgraph P1 ["Étape 1 : accueil"]\n    A\n  end')],
  ['plain subgraph title untouched', F('  subgraph Lager und Versand\n    A\n  end'), F('  subgraph Lager und Versand\n    A\n  end')],
  ['style lines are untouched', F('  A --> B\n  style A fill:#f9f'), F('  A --> B\n  style A fill:#f9f')],
  ['not a flowchart: untouched', 'sequenceDiagram\n  A->>B: Pay (card)', 'sequenceDiagram\n  A->>B: Pay (card)'],
]);

table(escapeQuotes, [
  ['quotes inside a quoted label (de)', F('  A["Kunde sagt "Hallo""] --> B'), F('  A["Kunde sagt #quot;Hallo#quot;"] --> B')],
  ['quotes in an unquoted label', F('  B[Send "thank you" email]'), F('  B["Send #quot;thank you#quot; email"]')],
  ['quotes in an edge label', F('  A -->|say "yes"| B'), F('  A -->|"say #quot;yes#quot;"| B')],
  ['clean quoted label untouched', F('  A["ok"] --> B'), F('  A["ok"] --> B')],
  ['no quotes untouched', F('  A[ok] --> B'), F('  A[ok] --> B')],
]);

table(renameReservedIds, [
  ['end as target, labelled elsewhere', F('  home --> end\n  end[Log out]'), F('  home --> end_\n  end_[Log out]')],
  ['end never labelled gets its word as label', F('  A --> end\n  B --> end'), F('  A --> end_[end]\n  B --> end_')],
  ['end as source', F('  end --> A'), F('  end_[end] --> A')],
  ['style / class / subgraph as ids (fr)', F('  A[Choisir] --> style\n  style --> class'), F('  A[Choisir] --> style_[style]\n  style_ --> class_[class]')],
  ['graph and click as ids', F('  A --> graph & click'), F('  A --> graph_[graph] & click_[click]')],
  ['end closing a subgraph is kept', F('  subgraph S\n    A --> B\n  end\n  B --> end'), F('  subgraph S\n    A --> B\n  end\n  B --> end_[end]')],
  ['"end" inside a label is not an id', F('  A[Send to end user] --> B'), F('  A[Send to end user] --> B')],
  ['style statement is kept', F('  A --> B\n  style A fill:#f9f'), F('  A --> B\n  style A fill:#f9f')],
  ['End (capitalised) is valid: untouched', F('  A --> End'), F('  A --> End')],
  ['default and direction are valid ids in mermaid 11: untouched', F('  A --> default\n  B --> direction'), F('  A --> default\n  B --> direction')],
  ['a taken name gets another underscore', F('  end_ --> A\n  A --> end'), F('  end_ --> A\n  A --> end__[end]')],
]);

table(fixArrows, [
  ['single-dash arrow', F('  A[Client] -> B[Panier]'), F('  A[Client] --> B[Panier]')],
  ['fat arrow typo', F('  E => F'), F('  E ==> F')],
  ['label then >', F('  C -->|Refusé|> D'), F('  C -->|Refusé| D')],
  ['space before label', F('  B --> |Valider| C'), F('  B -->|Valider| C')],
  ['double head', F('  A -->> B'), F('  A --> B')],
  ['sequence arrow in a flowchart (ko)', F('  A[주문] ->> B[결제]'), F('  A[주문] --> B[결제]')],
  ['label between dashes and arrow', F('  A --|ja|--> B'), F('  A -->|ja| B')],
  ['text form with short head', F('  A -- ok -> B'), F('  A -- ok --> B')],
  ['sequence-style label after target', F('  A --> B: bestätigt'), F('  A -->|bestätigt| B')],
  ['arrows inside labels are text', F('  A[x -> y] --> B'), F('  A[x -> y] --> B')],
  ['arrow characters', F('  A → B\n  B ⇒ C'), F('  A --> B\n  B ==> C')],
  ['valid arrows untouched', F('  A --> B\n  B ==> C\n  C -.-> D\n  D --- E\n  E <--> F\n  F --x G\n  G -- ok --> H'), F('  A --> B\n  B ==> C\n  C -.-> D\n  D --- E\n  E <--> F\n  F --x G\n  G -- ok --> H')],
  ['not a flowchart: untouched', 'sequenceDiagram\n  A->B: hi', 'sequenceDiagram\n  A->B: hi'],
]);

table(fixDirection, [
  ['graph down', 'graph down\n  A --> B', 'graph TD\n  A --> B'],
  ['lower-case td (fr)', 'flowchart td\n  A --> B', 'flowchart TD\n  A --> B'],
  ['lr', 'flowchart lr\n  A --> B', 'flowchart LR\n  A --> B'],
  ['TopDown', 'flowchart TopDown\n  A --> B', 'flowchart TD\n  A --> B'],
  ['horizontal', 'graph horizontal\n  A --> B', 'graph LR\n  A --> B'],
  ['unknown word dropped', 'flowchart XY\n  A --> B', 'flowchart\n  A --> B'],
  ['keeps a trailing semicolon', 'graph td;\n  A --> B', 'graph TD;\n  A --> B'],
  ['valid directions untouched', 'flowchart BT\n  A --> B', 'flowchart BT\n  A --> B'],
  ['no direction untouched', 'flowchart\n  A --> B', 'flowchart\n  A --> B'],
]);

table(closeSubgraphs, [
  ['one open (de)', F('  subgraph Kunde\n    A --> B'), F('  subgraph Kunde\n    A --> B\n  end')],
  ['nested, both open', F('  subgraph A1\n    subgraph B1\n      X --> Y'), F('  subgraph A1\n    subgraph B1\n      X --> Y\n    end\n  end')],
  ['second of two open', F('  subgraph S1\n    A\n  end\n  subgraph S2\n    B'), F('  subgraph S1\n    A\n  end\n  subgraph S2\n    B\n  end')],
  ['all closed untouched', F('  subgraph S\n    A\n  end'), F('  subgraph S\n    A\n  end')],
]);

table(dropBrokenTail, [
  ['cut inside a label (de)', F('  A --> B\n  B -->|Ja| F[Bescheid verschi'), F('  A --> B')],
  ['cut after an arrow', F('  A --> B\n  B -->'), F('  A --> B')],
  ['cut inside an edge label', F('  A --> B\n  B -->|Nei'), F('  A --> B')],
  ['cut inside a quote', F('  A --> B\n  B --> C["Réserv'), F('  A --> B')],
  ['cut line above appended ends', F('  subgraph S\n    A --> B\n    B --> C[Che\n  end'), F('  subgraph S\n    A --> B\n  end')],
  ['sequence message cut after the arrow', 'sequenceDiagram\n  A->>B: hi\n  B->>', 'sequenceDiagram\n  A->>B: hi'],
  ['sequence message cut before its colon (the others have text)', 'sequenceDiagram\n  A->>B: hi\n  B->>A: ok\n  A->>B', 'sequenceDiagram\n  A->>B: hi\n  B->>A: ok'],
  ['messages that never have text: not a cut', 'sequenceDiagram\n  A->>B\n  B->>A', 'sequenceDiagram\n  A->>B\n  B->>A'],
  ['ER relation cut before its label', 'erDiagram\n  A ||--o{ B : has\n  B ||--|{ POSI', 'erDiagram\n  A ||--o{ B : has'],
  ['ER cardinality braces are not open brackets', 'erDiagram\n  A {\n    string x\n  B ||--o{ C : has', 'erDiagram\n  A {\n    string x\n  B ||--o{ C : has'],
  ['a class body opened last is closed, not dropped', 'classDiagram\n  class A\n  class B {', 'classDiagram\n  class A\n  class B {'],
  ['gantt task cut after a comma', 'gantt\n  section S\n  A :a1, 2024-01-01, 3d\n  B :a2,', 'gantt\n  section S\n  A :a1, 2024-01-01, 3d'],
  ['cut line above appended braces', 'classDiagram\n  class A {\n    +x\n    +get(\n  }', 'classDiagram\n  class A {\n    +x\n  }'],
  ['gantt task cut before its colon (the others have one)', 'gantt\n  section S\n  A :a1, 2024-01-01, 3d\n  Te', 'gantt\n  section S\n  A :a1, 2024-01-01, 3d'],
  ['gantt task with data but no colon: not a cut (gantt-colons)', 'gantt\n  section S\n  A :a1, 2024-01-01, 3d\n  Test 2024-01-05, 2d', 'gantt\n  section S\n  A :a1, 2024-01-01, 3d\n  Test 2024-01-05, 2d'],
  ['journey task cut before its score (de)', 'journey\n  section Laden\n    Suchen: 5: Kunde\n    Bezah', 'journey\n  section Laden\n    Suchen: 5: Kunde'],
  ['timeline keeps the period of a cut event', 'timeline\n  2024 : Plan\n  2025 : Launch : Beta (te', 'timeline\n  2024 : Plan\n  2025 : Launch'],
  ['timeline period written, event cut after its colon (ko)', 'timeline\n  2024 : 계획\n  2025 :', 'timeline\n  2024 : 계획\n  2025'],
  ['xychart series keeps its finished values', 'xychart-beta\n  x-axis [a, b, c]\n  bar [10, 20, 3', 'xychart-beta\n  x-axis [a, b, c]\n  bar [10, 20]'],
  ['pie slice cut before its value', 'pie\n  "A" : 1\n  "B', 'pie\n  "A" : 1'],
  ['sankey flow cut before its value', 'sankey-beta\nA,B,1\nB,C', 'sankey-beta\nA,B,1'],
  ['quadrant point cut in its coordinates', 'quadrantChart\n  x-axis L --> H\n  A: [0.1, 0.2]\n  B: [0.3', 'quadrantChart\n  x-axis L --> H\n  A: [0.1, 0.2]'],
  ['never cut down to the header', F('  A[/api/ord'), F('  A[/api/ord')],
  ['complete last line untouched', F('  A --> B\n  B -->|ok| C'), F('  A --> B\n  B -->|ok| C')],
  ['header alone untouched', 'flowchart TD', 'flowchart TD'],
]);

table(dropTrailingProse, [
  ['an English sentence', F('  A --> B\nThis flowchart shows the process.'), F('  A --> B')],
  ['French, after a blank line', F('  A --> B\n\nCe diagramme montre le processus.'), F('  A --> B')],
  ['Korean', F('  A --> B\n이 다이어그램은 주문 처리의 주요 단계를 보여줍니다.'), F('  A --> B')],
  ['Markdown note', F('  A --> B\n**Note:** the end node is optional'), F('  A --> B')],
  ['several lines', F('  A --> B\n\nExplanation:\n- A starts\n- B ends'), F('  A --> B')],
  ['diagram lines untouched', F('  A --> B\n  B --> C'), F('  A --> B\n  B --> C')],
  ['indented mindmap text untouched', 'mindmap\n  root\n    Long idea with several words here.', 'mindmap\n  root\n    Long idea with several words here.'],
]);

table(removeHtml, [
  ['bold and italics dropped', F('  B[<b>Check</b> <i>stock</i>]'), F('  B[Check stock]')],
  ['br variants become <br>', F('  A[Receive<br/>order] --> C[Ship<br />now]'), F('  A[Receive<br>order] --> C[Ship<br>now]')],
  ['links dropped, text kept', F('  A[<a href="x">Docs</a>]'), F('  A[Docs]')],
  ['a label emptied by sanitize loses its brackets', F('  C --> D[]'), F('  C --> D')],
  ['no HTML untouched', F('  A[a < b] --> B'), F('  A[a < b] --> B')],
]);

describe('REPAIRS order', () => {
  it('each repair that also runs on valid diagrams says so', () => {
    expect(REPAIRS.filter((r) => r.whenValid).map((r) => r.name).sort()).toEqual(
      [
        'fix-comments', 'keyword-colons', 'state-arrows', 'class-relations', 'escape-text', 'mindmap-text', 'mindmap-bullets',
        'sequence-notes', 'sequence-participants', 'sequence-blocks', 'state-ids', 'class-generics', 'class-bodies', 'er-attributes', 'er-entity-names',
        'gantt-durations', 'gantt-task-ids', 'mindmap-indent', 'list-markers', 'timeline-events', 'prose-after', 'block-misreads',
      ].sort(),
    );
  });

  it('lists every repair once, in the documented order', () => {
    expect(REPAIRS.map((r) => r.name)).toEqual([
      'list-markers',
      'drop-trailing-prose',
      'prose-after',
      'drop-broken-tail',
      'fix-comments',
      'fix-direction',
      'keyword-colons',
      'fix-arrows',
      'sequence-arrows',
      'state-arrows',
      'class-relations',
      'er-cardinality',
      'remove-html',
      'escape-quotes',
      'quote-labels',
      'escape-text',
      'er-labels',
      'mindmap-text',
      'mindmap-bullets',
      'pie-slices',
      'quadrant-points',
      'xychart-labels',
      'sankey-flows',
      'block-syntax',
      'block-misreads',
      'gitgraph-syntax',
      'requirement-syntax',
      'rename-reserved-ids',
      'spaced-ids',
      'sequence-messages',
      'sequence-notes',
      'sequence-participants',
      'sequence-activations',
      'state-alias',
      'state-ids',
      'class-generics',
      'class-bodies',
      'er-attributes',
      'er-entity-names',
      'gantt-colons',
      'gantt-durations',
      'gantt-date-format',
      'gantt-task-ids',
      'journey-scores',
      'journey-missing-scores',
      'timeline-events',
      'mindmap-indent',
      'mindmap-roots',
      'close-subgraphs',
      'sequence-blocks',
      'close-braces',
    ]);
  });
});
