/**
 * Table test of the flowchart reader + printer: what small models write (each
 * mistake kind of issue 12, in English, German, French, Korean, Japanese,
 * Chinese, Hebrew and Arabic) → the canonical Mermaid printed, the content
 * changes reported, and Mermaid's own parser accepting the output.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeValidator, validate } from '../../validate.ts';
import { flowchartFormat } from './index.ts';

afterAll(closeValidator);

interface Case {
  name: string;
  input: string;
  code: string;
  changes: string[];
}

const CASES: Case[] = [
  {
    name: "semicolon before an arrow",
    input: "flowchart TD\n  A[Start]; --> B[End]",
    code: "flowchart TD\n    A[\"Start\"] --> B[\"End\"]",
    changes: [],
  },
  {
    name: "text link with a pipe label",
    input: "flowchart TD\n  A -- yes -->|really| B",
    code: "flowchart TD\n    A -->|\"yes really\"| B",
    changes: [],
  },
  {
    name: "unclosed pipe label",
    input: "flowchart LR\n  A -->|no B[Retry]",
    code: "flowchart LR\n    A -->|\"no\"| B[\"Retry\"]",
    changes: [],
  },
  {
    name: "mixed thick text link",
    input: "flowchart TD\n  B == 승인 --> C[부서장 결재]",
    code: "flowchart TD\n    B -->|\"승인\"| C[\"부서장 결재\"]",
    changes: [],
  },
  {
    name: "dash space head",
    input: "flowchart TD\n  A -- > B",
    code: "flowchart TD\n    A --> B",
    changes: [],
  },
  {
    name: "odd header TB-LR",
    input: "graph TB-LR\n  A --> B",
    code: "graph TB\n    A --> B",
    changes: [],
  },
  {
    name: "odd header top-down",
    input: "flowchart top-down\n  A --> B",
    code: "flowchart TD\n    A --> B",
    changes: [],
  },
  {
    name: "trailing comments",
    input: "flowchart TD\n  A --> B %% note\n  B --> C // later",
    code: "flowchart TD\n    %% note\n    A --> B\n    %% later\n    B --> C",
    changes: [],
  },
  {
    name: "markdown bullets",
    input: "flowchart TD\n- A[Start] --> B[Next]\n1. B --> C[Done]",
    code: "flowchart TD\n    A[\"Start\"] --> B[\"Next\"]\n    B --> C[\"Done\"]",
    changes: [],
  },
  {
    name: "quoted ids",
    input: "flowchart TD\n  \"Début\" --> \"Vérifier l'e-mail\"",
    code: "flowchart TD\n    Début --> Vérifier_l_e_mail[\"Vérifier l'e-mail\"]",
    changes: [],
  },
  {
    name: "stray end",
    input: "flowchart TD\n  A --> B\n  end",
    code: "flowchart TD\n    A --> B",
    changes: [],
  },
  {
    name: "end as id and class name",
    input: "flowchart TD\n  A --> end\n  class A end\n  classDef end fill:#f00",
    code: "flowchart TD\n    A --> end_[\"end\"]\n    class A end_\n    classDef end_ fill:#f00",
    changes: [],
  },
  {
    name: "styling forms",
    input: "flowchart TD\n  A --> B --> C\n  class B, C done;;\n  style A fill=#f00\n  style B {fill:#0f0; stroke:#333}\n  classDef done fill:#9f9\n  linkStyle 7 stroke:red",
    code: "flowchart TD\n    A --> B --> C\n    class B,C done\n    style A fill:#f00\n    style B fill:#0f0,stroke:#333\n    classDef done fill:#9f9",
    changes: ["dropped-style"],
  },
  {
    name: "duplicate id with two labels",
    input: "flowchart TD\n  A[Check] --> B[Pay]\n  B --> A[Ship]\n  A --> C",
    code: "flowchart TD\n    A[\"Check\"] --> B[\"Pay\"]\n    B --> A_2[\"Ship\"]\n    A_2 --> C",
    changes: ["split-duplicate-id"],
  },
  {
    name: "cut last line",
    input: "flowchart TD\n  A[Antrag] --> B{Vollständig?}\n  B -->|Ja| C[Bescheid verschi",
    code: "flowchart TD\n    A[\"Antrag\"] --> B{\"Vollständig?\"}",
    changes: ["dropped-cut-line"],
  },
  {
    name: "quotes and entity codes in labels",
    input: "flowchart TD\n  A[\"say \"hi\"\"] --> B[\"Heart #9829; #quot;q#quot;\"]",
    code: "flowchart TD\n    A[\"say “hi”\"] --> B[\"Heart ♥ “q”\"]",
    changes: [],
  },
  {
    name: "Korean ids and labels",
    input: "flowchart TD\n  시작([시작]) --> 검토{검토?}\n  검토 -->|예| 승인[승인됨]",
    code: "flowchart TD\n    시작([\"시작\"]) --> 검토{\"검토?\"}\n    검토 -->|\"예\"| 승인[\"승인됨\"]",
    changes: [],
  },
  {
    name: "Hebrew (RTL) ids",
    input: "graph LR\n  א[התחלה] --> ב[סיום]\n  ב -.-> ג((בדיקה))",
    code: "graph LR\n    א[\"התחלה\"] --> ב[\"סיום\"]\n    ב -.-> ג((\"בדיקה\"))",
    changes: [],
  },
  {
    name: "Arabic labels, prose after",
    input: "flowchart LR\n  A[تعبئة النموذج] --> B[دفع الرسوم]\nهذا هو المخطط.",
    code: "flowchart LR\n    A[\"تعبئة النموذج\"] --> B[\"دفع الرسوم\"]",
    changes: [],
  },
  {
    name: "Japanese full-width brackets",
    input: "flowchart TD\n  A［申請書を提出］ --> B［書類審査］\n  B -->｜合格｜ C［面接］",
    code: "flowchart TD\n    A[\"申請書を提出\"] --> B[\"書類審査\"]\n    B -->|\"合格\"| C[\"面接\"]",
    changes: [],
  },
  {
    name: "Chinese, subgraph with title",
    input: "flowchart TD\n  subgraph 支付 [支付流程]\n    A[下单] --> B[付款]\n  end\n  B --> C[发货]",
    code: "flowchart TD\n    subgraph 支付 [\"支付流程\"]\n        A[\"下单\"] --> B[\"付款\"]\n    end\n    B --> C[\"发货\"]",
    changes: [],
  },
  {
    name: "spaced ids",
    input: "flowchart TD\n  Check stock --> Ship order",
    code: "flowchart TD\n    Check_stock[\"Check stock\"] --> Ship_order[\"Ship order\"]",
    changes: [],
  },
  {
    name: "sequence message in a flowchart",
    input: "flowchart LR\n  A[Customer] --> B[Cashier]\n  B->>C: Scan items\n  C[POS]",
    code: "flowchart LR\n    A[\"Customer\"] --> B[\"Cashier\"]\n    B -->|\"Scan items\"| C[\"POS\"]\n    C",
    changes: [],
  },
  {
    name: "reversed arrow",
    input: "flowchart LR\n  A <-- B",
    code: "flowchart LR\n    B --> A",
    changes: [],
  },
  {
    name: "ampersand groups and chains",
    input: "flowchart LR\n  A & B --> C & D --> E",
    code: "flowchart LR\n    A & B --> C & D --> E",
    changes: [],
  },
  {
    name: "JSON string answer",
    input: "\"flowchart TD\\n  A --> B\"",
    code: "flowchart TD\n    A --> B",
    changes: [],
  },
  {
    name: "dangling edge text mid-diagram",
    input: "flowchart TD\n  A --> D\n  D -- \"text\"\n  D --> E",
    code: "flowchart TD\n    A --> D\n    D --> n1[\"text\"]\n    D --> E",
    changes: ["edge-text-as-node"],
  },
  {
    name: "dangling pipe label on the cut last line (ja), dotted arrow kept",
    input: "flowchart LR\n  A[受付] -.->|確認待ち|",
    code: "flowchart LR\n    A[\"受付\"] -.-> n1[\"確認待ち\"]",
    changes: ["edge-text-as-node"],
  },
  {
    name: "dangling text after a thick link, in a subgraph (ar), two of them",
    input: "flowchart TD\n  subgraph S[المراجعة]\n    A == \"موافقة\"\n    B -- رفض\n  end",
    code: "flowchart TD\n    subgraph S [\"المراجعة\"]\n        A ==> n1[\"موافقة\"]\n        B --> n2[\"رفض\"]\n    end",
    changes: ["edge-text-as-node", "edge-text-as-node"],
  },
  {
    name: "the target on the next line, alone (fr): joined, not a placeholder",
    input: "flowchart TD\n  A[Commande] --> D{Stock ?}\n  D -->|oui|\n      E[Expédier]\n  E --> F[Fin]",
    code: "flowchart TD\n    A[\"Commande\"] --> D{\"Stock ?\"}\n    D -->|\"oui\"| E[\"Expédier\"]\n    E --> F[\"Fin\"]",
    changes: [],
  },
  {
    name: "a text, then the arrow with a label of its own on the next line: one link, both texts (de)",
    input: "flowchart LR\n  A --> D\n  D -- \"bei Fehler\"\n  -->|erneut| E",
    code: "flowchart LR\n    A --> D\n    D -->|\"bei Fehler erneut\"| E",
    changes: [],
  },
  {
    name: "an open link with no text on the cut last line is still a cut line",
    input: "flowchart TD\n  A --> B\n  B -->",
    code: "flowchart TD\n    A --> B",
    changes: ["dropped-cut-line"],
  },
  {
    name: "arrow forms Mermaid accepts are kept; `<--` (rejected) is drawn the same way round",
    input: "flowchart LR\n  A <--> B\n  A o--o C\n  A x--x D\n  A <==> E\n  A <-.->|ok| F\n  A <-- G\n  A[x",
    code: "flowchart LR\n    A <--> B\n    A o--o C\n    A x--x D\n    A <==> E\n    A <-.->|\"ok\"| F\n    G --> A",
    changes: ["dropped-cut-line"],
  },
  {
    name: "comment lines kept as %%",
    input: "flowchart TD\n  // step 1\n  A --> B\n  # step 2\n  B --> C",
    code: "flowchart TD\n    %% step 1\n    A --> B\n    %% step 2\n    B --> C",
    changes: [],
  },
];

describe('flowchart lenient reader + printer', () => {
  it.each(CASES)('$name', async ({ input, code, changes }) => {
    const out = flowchartFormat.rewrite(input);
    expect(out?.code).toBe(code);
    expect(out?.changes.map((c) => c.kind)).toEqual(changes);
    expect(await validate(code)).toMatchObject({ ok: true });
  });

  it('prints its own output unchanged (a fixed point)', () => {
    for (const c of CASES) expect(flowchartFormat.rewrite(c.code)?.code, c.name).toBe(c.code);
  });

  it('reads no flowchart in prose or another type', () => {
    expect(flowchartFormat.rewrite('This is how the process works.')).toBeNull();
    expect(flowchartFormat.rewrite('sequenceDiagram\n  A->>B: hi')).toBeNull();
    expect(flowchartFormat.rewrite('flowchart TD\nThe process starts here and ends there.')).toBeNull();
  });

  it('says which lines were not diagram (header, prose after it) for the content check', () => {
    const out = flowchartFormat.rewrite('flowchart TD\n  A --> B\nThat is all.');
    expect(out?.notDiagram).toEqual([1, 3]);
  });

  it('misread: flags valid code Mermaid draws differently (two labels, full-width syntax, mixed link), never a good diagram', () => {
    expect(flowchartFormat.misread?.('flowchart TD\n  A[Check] --> B\n  B --> A[Ship]')).toBe(true);
    expect(flowchartFormat.misread?.('flowchart TD\n  A［申請］ --> B')).toBe(true);
    expect(flowchartFormat.misread?.('flowchart TD\n  B == ok --> C')).toBe(true);
    // Mermaid accepts `<---`/`<-.-` and draws no head; a `-- text` line links to the next line's first node.
    expect(flowchartFormat.misread?.('flowchart TD\n  A <--- B')).toBe(true);
    expect(flowchartFormat.misread?.('flowchart TD\n  A <-.- B')).toBe(true);
    expect(flowchartFormat.misread?.('flowchart TD\n  A -- "yes"\n  C --> D')).toBe(true);
    expect(flowchartFormat.misread?.('flowchart TD\n  A <--> B\n  A o--o C\n  A x--x D\n  A <==> E\n  A <-.-> F')).toBe(false);
    expect(flowchartFormat.misread?.('flowchart TD\n  A[Check] --> B{Ok?}\n  B -->|yes| A\n  A[Check] --> C[「引用」]')).toBe(false);
  });

  it('reads a 20,000-character line of & groups in linear time', () => {
    const line = `flowchart LR\n  ${Array.from({ length: 1000 }, (_, i) => `a${i}`).join(' & ')} --> b`;
    const out = flowchartFormat.rewrite(line);
    expect(out?.code.split('\n')[1]).toContain('a999 --> b');
  });
});
