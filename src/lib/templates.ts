/**
 * Starting points, one per diagram type, as mermaid.live offers them: a small
 * diagram that shows the type's main constructs, to edit by hand or refine.
 * Each parses with Mermaid (tests/templates.test.ts checks every one).
 */
import type { DiagramType } from '../../common/limits.ts';

export interface Template {
  type: Exclude<DiagramType, 'auto'>;
  title: string;
  code: string;
}

export const TEMPLATES: readonly Template[] = [
  {
    type: 'flowchart',
    title: 'Flowchart',
    code: `flowchart TD
  A[Order received] --> B{In stock?}
  B -->|Yes| C[Pack the parcel]
  B -->|No| D[Order from supplier]
  D --> C
  C --> E([Ship to the customer])`,
  },
  {
    type: 'sequence',
    title: 'Sequence',
    code: `sequenceDiagram
  actor U as User
  participant W as Web app
  participant A as Auth service
  U->>W: Log in (name, password)
  W->>A: Check credentials
  alt valid
    A-->>W: Session token
    W-->>U: Welcome page
  else invalid
    A-->>W: Refused
    W-->>U: Try again
  end`,
  },
  {
    type: 'state',
    title: 'State',
    code: `stateDiagram-v2
  [*] --> Draft
  Draft --> Submitted: submit
  Submitted --> Approved: approve
  Submitted --> Draft: send back
  Approved --> Paid: pay
  Paid --> [*]`,
  },
  {
    type: 'class',
    title: 'Class',
    code: `classDiagram
  class Order {
    +String id
    +Date placedAt
    +total() Money
  }
  class Customer {
    +String name
    +String email
  }
  class LineItem {
    +int quantity
  }
  Customer "1" --> "*" Order : places
  Order "1" *-- "*" LineItem : contains`,
  },
  {
    type: 'er',
    title: 'Entity–relationship',
    code: `erDiagram
  CUSTOMER ||--o{ ORDER : places
  ORDER ||--|{ LINE_ITEM : contains
  PRODUCT ||--o{ LINE_ITEM : "ordered as"
  CUSTOMER {
    string name
    string email
  }
  ORDER {
    string id
    date placed_at
  }`,
  },
  {
    type: 'gantt',
    title: 'Gantt',
    code: `gantt
  title Website launch
  dateFormat YYYY-MM-DD
  section Design
    Wireframes      :a1, 2025-01-06, 5d
    Visual design   :a2, after a1, 7d
  section Build
    Front end       :b1, after a2, 10d
    Back end        :b2, after a2, 12d
  section Launch
    Go live         :milestone, after b2, 0d`,
  },
  {
    type: 'mindmap',
    title: 'Mind map',
    code: `mindmap
  root((Product launch))
    Marketing
      Blog post
      Newsletter
    Engineering
      Release checklist
      Monitoring
    Support
      FAQ`,
  },
  {
    type: 'timeline',
    title: 'Timeline',
    code: `timeline
  title Order lifecycle
  Day 1 : Order placed : Payment taken
  Day 2 : Packed
  Day 3 : Shipped
  Day 5 : Delivered`,
  },
  {
    type: 'journey',
    title: 'User journey',
    code: `journey
  title Buying a coffee online
  section Order
    Open the app: 4: Customer
    Choose a drink: 5: Customer
    Pay: 3: Customer
  section Pick up
    Wait at the counter: 2: Customer, Barista
    Get the coffee: 5: Customer`,
  },
];
