/** Table tests for the repairs shared by several types; every changed row is checked with Mermaid's parser. */
import { closeBraces } from './closeBraces.ts';
import { escapeText } from './escapeText.ts';
import { fixComments } from './fixComments.ts';
import { journeyScores } from './journey.ts';
import { keywordColons } from './keywordColons.ts';
import { spacedIds } from './spacedIds.ts';
import { table } from './table.ts';

table(fixComments, [
  ['// in a flowchart (fr)', 'flowchart TD\n    // étape 1\n    A --> B', 'flowchart TD\n    %% étape 1\n    A --> B'],
  ['# in an ER diagram', 'erDiagram\n    # relations\n    A ||--o{ B : has', 'erDiagram\n    %% relations\n    A ||--o{ B : has'],
  ['// in a state diagram (parses as states "//" and "start")', 'stateDiagram-v2\n    // start\n    [*] --> A', 'stateDiagram-v2\n    %% start\n    [*] --> A'],
  ['// in a class diagram', 'classDiagram\n    // classes\n    class A', 'classDiagram\n    %% classes\n    class A'],
  ['# in a class body is a protected member: untouched', 'classDiagram\n    class A {\n        # int id\n    }', 'classDiagram\n    class A {\n        # int id\n    }'],
  ['mindmap text untouched', 'mindmap\n    root\n        // not a comment', 'mindmap\n    root\n        // not a comment'],
]);

table(keywordColons, [
  ['gantt (de): the chart cannot be drawn', 'gantt\n    title: Projektplan\n    dateFormat: YYYY-MM-DD\n    section: Planung\n    Entwurf :a1, 2024-01-01, 3d', 'gantt\n    title Projektplan\n    dateFormat YYYY-MM-DD\n    section Planung\n    Entwurf :a1, 2024-01-01, 3d'],
  ['timeline (draws a period "title")', 'timeline\n    title: Histoire\n    section: Débuts\n    2020 : Lancement', 'timeline\n    title Histoire\n    section Débuts\n    2020 : Lancement'],
  ['journey', 'journey\n    title: Buying shoes\n    section: Shop\n        Pay: 3: Me', 'journey\n    title Buying shoes\n    section Shop\n        Pay: 3: Me'],
  ['quadrant chart (ar)', 'quadrantChart\n    title: تقييم\n    x-axis: منخفض --> مرتفع\n    quadrant-1: نجوم\n    أحمد: [0.8, 0.9]', 'quadrantChart\n    title تقييم\n    x-axis منخفض --> مرتفع\n    quadrant-1 نجوم\n    أحمد: [0.8, 0.9]'],
  ['a journey task named "title" untouched', 'journey\n    section Shop\n        title: 3: Me', 'journey\n    section Shop\n        title: 3: Me'],
]);

table(escapeText, [
  ['sequence: ; and # in a message (fr)', 'sequenceDiagram\n    C->>S: Commande #123 payée; expédier', 'sequenceDiagram\n    C->>S: Commande #35;123 payée#59; expédier'],
  ['sequence: note, entity codes kept', 'sequenceDiagram\n    A->>B: I #9829; you\n    Note over A: wait; retry', 'sequenceDiagram\n    A->>B: I #9829; you\n    Note over A: wait#59; retry'],
  ['sequence: a ; ending the line is a terminator: untouched', 'sequenceDiagram\n    A->>B: hi;', 'sequenceDiagram\n    A->>B: hi;'],
  ['state: ; in a label and at line end (ko)', 'stateDiagram-v2\n    [*] --> 주문;\n    주문 --> 결제 : 확인; 승인', 'stateDiagram-v2\n    [*] --> 주문\n    주문 --> 결제 : 확인#59; 승인'],
  ['journey: ; and # in a task name', 'journey\n    section Shop\n        Pay order #1 ; leave: 4: Me', 'journey\n    section Shop\n        Pay order #35;1 #59; leave: 4: Me'],
  ['#12; reads as an entity code: kept', 'sequenceDiagram\n    A->>B: I #9829; you', 'sequenceDiagram\n    A->>B: I #9829; you'],
  ['timeline: times', 'timeline\n    09:00 : Standup\n    Monday : Call at 10:30', 'timeline\n    09#58;00 : Standup\n    Monday : Call at 10#58;30'],
  ['gantt: colon in a task name (ko)', 'gantt\n    dateFormat YYYY-MM-DD\n    section 개발\n    1단계: 설계 :a1, 2024-01-01, 3d', 'gantt\n    dateFormat YYYY-MM-DD\n    section 개발\n    1단계#58; 설계 :a1, 2024-01-01, 3d'],
  ['gantt: a task name starting with a keyword (en)', 'gantt\n    dateFormat YYYY-MM-DD\n    section S\n    Call supplier :a1, 2024-01-01, 1d\n    click test :a2, after a1, 1d', 'gantt\n    dateFormat YYYY-MM-DD\n    section S\n    #67;all supplier :a1, 2024-01-01, 1d\n    #99;lick test :a2, after a1, 1d'],
  ['gantt: times in the data untouched', 'gantt\n    dateFormat HH:mm\n    section S\n    Meeting : a1, 17:49, 10m', 'gantt\n    dateFormat HH:mm\n    section S\n    Meeting : a1, 17:49, 10m'],
]);

table(journeyScores, [
  ['score and actor swapped (de)', 'journey\n    section Laden\n        Schuhe finden: Kunde: 4', 'journey\n    section Laden\n        Schuhe finden: 4: Kunde'],
  ['colon in the task name', 'journey\n    section Shop\n        Pay: card: 4: Me', 'journey\n    section Shop\n        Pay#58; card: 4: Me'],
  ['score out of five', 'journey\n    section Shop\n        Pay: 4/5: Me', 'journey\n    section Shop\n        Pay: 4: Me'],
  ['long runs of spaces around the colons (was 110 s)', `journey\n    section Shop\n        Find${' '.repeat(400)}:${' '.repeat(400)}Me${' '.repeat(100)}:   5`, 'journey\n    section Shop\n        Find: 5: Me'],
  ['score in words (he, en)', 'journey\n    section הרשמה\n        מילוי טופס: high: הורה\n        Pay: low: Me', 'journey\n    section הרשמה\n        מילוי טופס: 4: הורה\n        Pay: 2: Me'],
  ['Hebrew, swapped', 'journey\n    section חנות\n        מציאת נעליים: לקוח: 4', 'journey\n    section חנות\n        מציאת נעליים: 4: לקוח'],
  ['valid tasks untouched', 'journey\n    section Shop\n        Pay: 4: Me, You\n        Leave: 5', 'journey\n    section Shop\n        Pay: 4: Me, You\n        Leave: 5'],
  ['missing score: left for the model', 'journey\n    section Shop\n        Pay: Me', 'journey\n    section Shop\n        Pay: Me'],
]);

table(spacedIds, [
  ['words as ids (en)', 'flowchart TD\n    Check Stock --> Ship Order\n    Ship Order --> Done', 'flowchart TD\n    Check_Stock["Check Stock"] --> Ship_Order["Ship Order"]\n    Ship_Order --> Done'],
  ['a labelled one keeps its label (fr)', 'flowchart LR\n    Vérifier stock{Stock ?} -->|oui| Expédier colis', 'flowchart LR\n    Vérifier_stock{Stock ?} -->|oui| Expédier_colis["Expédier colis"]'],
  ['single-word ids untouched', 'flowchart TD\n    A[Check stock] --> B', 'flowchart TD\n    A[Check stock] --> B'],
]);

table(closeBraces, [
  ['class body left open before the next class', 'classDiagram\n    class Order {\n        +int id\n    class Customer', 'classDiagram\n    class Order {\n        +int id\n    }\n    class Customer'],
  ['entity left open at the end (de)', 'erDiagram\n    KUNDE {\n        string name', 'erDiagram\n    KUNDE {\n        string name\n    }'],
  ['composite state closed with end', 'stateDiagram-v2\n    state Aktiv {\n        [*] --> Läuft\n    end', 'stateDiagram-v2\n    state Aktiv {\n        [*] --> Läuft\n    }'],
  ['nested composites left open', 'stateDiagram-v2\n    state A {\n        state B {\n            [*] --> C', 'stateDiagram-v2\n    state A {\n        state B {\n            [*] --> C\n        }\n    }'],
  ['a } closing nothing', 'classDiagram\n    class A {\n        +x\n    }\n    }', 'classDiagram\n    class A {\n        +x\n    }'],
]);
