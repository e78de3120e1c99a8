import { describe, expect, it } from 'vitest';
import { describeChanges, diffUnits, unitsOf } from './units.ts';

describe('unitsOf', () => {
  it.each([
    ['flowchart TD\n  A[Start] --> B{Paid?}\n  B -->|yes| C(Ship)\n  B -- no --> D', { A: 'Start', B: 'Paid?', C: 'Ship', D: 'D' }, 3],
    ['graph LR\n  a["Quoted, label"] --> b', { a: 'Quoted, label', b: 'b' }, 1],
    ['sequenceDiagram\n  participant C as Customer\n  C->>S: order\n  S-->>C: ok', { C: 'Customer', S: 'S' }, 2],
    ['stateDiagram-v2\n  state "Waiting for pay" as W\n  [*] --> W\n  W --> Done', { W: 'Waiting for pay', Done: 'Done' }, 2],
    ['erDiagram\n  CUSTOMER ||--o{ ORDER : places', { CUSTOMER: 'CUSTOMER', ORDER: 'ORDER' }, 1],
    ['pie title Pets\n  "Dogs" : 3\n  "Cats" : 2', { '"Dogs" : 3': '"Dogs" : 3', '"Cats" : 2': '"Cats" : 2' }, 0],
  ])('%s', (code, nodes, links) => {
    const u = unitsOf(code);
    expect(Object.fromEntries(u.nodes)).toEqual(nodes);
    expect(u.links).toHaveLength(links);
  });
});

describe('diffUnits', () => {
  it('added, removed, renamed and links', () => {
    const before = 'flowchart TD\n  A[Submit] --> B[Pay]\n  B --> C[Done]';
    const after = 'flowchart TD\n  A[Submit] --> M[Manager approval]\n  M --> B[Pay invoice]\n  B --> E[Email]';
    const c = diffUnits(before, after);
    expect(c.added).toEqual(['Manager approval', 'Email']);
    expect(c.removed).toEqual(['Done']);
    expect(c.renamed).toEqual([{ from: 'Pay', to: 'Pay invoice' }]);
    expect(c.linksAdded).toBe(3);
    expect(c.linksRemoved).toBe(2);
    expect(describeChanges(c)).toBe(
      '2 added (Manager approval, Email), 1 removed (Done), 1 renamed (Pay → Pay invoice), 3 links added, 2 links removed',
    );
  });

  it('no change', () => {
    expect(describeChanges(diffUnits('flowchart TD\n  A --> B', 'flowchart TD\n  A --> B'))).toBe('no change');
  });
});
