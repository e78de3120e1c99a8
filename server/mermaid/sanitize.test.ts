import { describe, expect, it } from 'vitest';
import { sanitize } from './sanitize.ts';

describe('sanitize: model output never configures Mermaid', () => {
  it.each([
    ['init directive', '%%{init: {"securityLevel": "loose"}}%%\nflowchart TD\n  A --> B', 'flowchart TD\n  A --> B'],
    ['multi-line init directive', '%%{\n  init: {"theme": "dark"}\n}%%\nflowchart TD\n  A --> B', 'flowchart TD\n  A --> B'],
    ['directive mid-diagram', 'flowchart TD\n  %%{init: {"theme": "dark"}}%%\n  A --> B', 'flowchart TD\n  A --> B'],
    ['click after ;', 'flowchart TD\n  A-->B; click A href "https://evil.example/x"', 'flowchart TD\n  A-->B'],
    ['click between statements', 'flowchart TD\n  A-->B; click A call alert(1); B-->C', 'flowchart TD\n  A-->B; B-->C'],
    ['upper-case sequence LINK', 'sequenceDiagram\n  participant A\n  LINK A: Evil @ https://evil.example\n  A->>A: hi', 'sequenceDiagram\n  participant A\n  A->>A: hi'],
    ['sequence link after ;', 'sequenceDiagram\n  A->>B: hi; links A: {"x": "https://evil.example"}', 'sequenceDiagram\n  A->>B: hi'],
    ['state click', 'stateDiagram-v2\n  [*] --> S\n  click S href "https://evil.example"', 'stateDiagram-v2\n  [*] --> S'],
    ['gantt click', 'gantt\n  section A\n  Task :t1, 2024-01-01, 1d\n  Click t1 call alert(1)', 'gantt\n  section A\n  Task :t1, 2024-01-01, 1d'],
    ['front matter displayMode goes too', '---\ntitle: Plan\ndisplayMode: compact\n---\ngantt\n  section A\n  Task :t1, 2024-01-01, 1d', '---\ntitle: Plan\n---\ngantt\n  section A\n  Task :t1, 2024-01-01, 1d'],
    ['unclosed directive', '%%{init: {"securityLevel": "loose"\nflowchart TD\n  A --> B', 'flowchart TD\n  A --> B'],
    ['front matter config, title kept', '---\ntitle: Checkout\nconfig:\n  securityLevel: loose\n---\nflowchart LR\n  A --> B', '---\ntitle: Checkout\n---\nflowchart LR\n  A --> B'],
    ['front matter config only', '---\nconfig:\n  theme: forest\n---\nflowchart LR\n  A --> B', 'flowchart LR\n  A --> B'],
    ['click call', 'flowchart TD\n  A --> B\n  click A call alert("x")', 'flowchart TD\n  A --> B'],
    ['click href', 'flowchart TD\n  A --> B\n  click B href "https://evil.example" _blank', 'flowchart TD\n  A --> B'],
    ['click with URL shorthand', 'flowchart TD\n  A --> B\n  click A "https://evil.example"', 'flowchart TD\n  A --> B'],
    ['class diagram callback and link', 'classDiagram\n  class Shape\n  callback Shape "fn"\n  link Shape "https://x"', 'classDiagram\n  class Shape'],
    ['sequence links', 'sequenceDiagram\n  participant A\n  link A: Docs @ https://x\n  links A: {"a": "https://x"}\n  A->>A: hi', 'sequenceDiagram\n  participant A\n  A->>A: hi'],
    ['script element with content', 'flowchart TD\n  C --> D["<script>alert(1)</script>"]', 'flowchart TD\n  C --> D[""]'],
    ['unclosed script tag', 'flowchart TD\n  C --> D["<script src=x>"]', 'flowchart TD\n  C --> D[""]'],
    ['iframe and event handler', 'flowchart TD\n  A["<img src=x onerror=alert(1)>"] --> B["<iframe src=x>"]', 'flowchart TD\n  A["<img src=x>"] --> B[""]'],
    ['javascript URL', 'flowchart TD\n  A["javascript:alert(1)"]', 'flowchart TD\n  A["alert(1)"]'],
  ])('%s', (_name, input, expected) => {
    const result = sanitize(input);
    expect(result.code).toBe(expected);
    expect(result.removed.length).toBeGreaterThan(0);
  });

  it.each([
    ['a plain flowchart', 'flowchart TD\n  A[Start] --> B{Ok?}'],
    ['a title-only front matter', '---\ntitle: Commande\n---\nflowchart TD\n  A --> B'],
    ['comments', 'flowchart TD\n  %% a comment\n  A --> B'],
    ['style and classDef', 'flowchart TD\n  A --> B\n  style A fill:#f9f\n  classDef x stroke:#333'],
    ['a node called clickable', 'flowchart TD\n  clickable --> B'],
    ['edges from a node called click', 'flowchart TD\n  a[Send mail] --> click[User clicks link]\n  click --> active[Account active]\n  click & a --> done\n  click -.-> b\n  click ==> c'],
    ['a state called callback', 'stateDiagram-v2\n  callback --> Done'],
    ['<br> in labels', 'flowchart TD\n  A[one<br>two]'],
    ['a ; inside a label', 'flowchart TD\n  A["wait; click here"] --> B'],
    ['a mindmap line that reads like a keyword', 'mindmap\n  root((Shop))\n    Click and collect\n    Link to partners'],
    ['a sequence message about clicking', 'sequenceDiagram\n  User->>App: click the link\n  Click ->> App: hi'],
    ['linkStyle', 'flowchart TD\n  A --> B\n  linkStyle 0 stroke:#f00'],
  ])('leaves alone: %s', (_name, input) => {
    expect(sanitize(input)).toEqual({ code: input, removed: [] });
  });
});
