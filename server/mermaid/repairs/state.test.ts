/** Table tests for the state-diagram repairs; every changed row is checked with Mermaid's parser. */
import { table } from './table.ts';
import { stateAlias, stateArrows, stateIds } from './state.ts';

const S = (body: string) => `stateDiagram-v2\n${body}`;

table(stateArrows, [
  ['single dash (en)', S('    Idle -> Running'), S('    Idle --> Running')],
  ['fat arrow (parses as a state named "==>")', S('    A ==> B'), S('    A --> B')],
  ['double head (parses as a state named ">")', S('    A -->> B'), S('    A --> B')],
  ['flowchart edge label (fr)', S('    Créée -->|paiement reçu| Payée'), S('    Créée --> Payée : paiement reçu')],
  ['backwards', S('    A <-- B : retour'), S('    B --> A : retour')],
  ['(*) and * for start and end', S('    (*) --> A\n    A --> *'), S('    [*] --> A\n    A --> [*]')],
  ['spaced star', S('    [ * ] --> A'), S('    [*] --> A')],
  ['label with colons kept whole', S('    A -> B : at 10:00: paid'), S('    A --> B : at 10:00: paid')],
  ['valid transitions untouched', S('    [*] --> A\n    A --> B : ok\n    B-->C\n    C --> [*]'), S('    [*] --> A\n    A --> B : ok\n    B-->C\n    C --> [*]')],
]);

table(stateIds, [
  ['names with spaces (draws "Waiting", "for", "payment")', S('    [*] --> Waiting for payment\n    Waiting for payment --> Paid\n    Paid --> [*]'), S('    state "Waiting for payment" as Waiting_for_payment\n    [*] --> Waiting_for_payment\n    Waiting_for_payment --> Paid\n    Paid --> [*]')],
  ['hyphenated name (de)', S('    [*] --> In-Bearbeitung\n    In-Bearbeitung --> Erledigt'), S('    state "In-Bearbeitung" as In_Bearbeitung\n    [*] --> In_Bearbeitung\n    In_Bearbeitung --> Erledigt')],
  ['declared, then used by its name', S('    state "Waiting for payment" as waiting\n    [*] --> Waiting for payment'), S('    state "Waiting for payment" as waiting\n    [*] --> waiting')],
  ['quoted name in a transition', S('    [*] --> "En attente"'), S('    state "En attente" as En_attente\n    [*] --> En_attente')],
  ['flowchart shapes', S('    A[Waiting] --> B(Paid)'), S('    state "Waiting" as A\n    state "Paid" as B\n    A --> B')],
  ['state "X" without as', S('    state "Waiting for payment"\n    [*] --> A'), S('    state "Waiting for payment" as Waiting_for_payment\n    [*] --> A')],
  ['composite with a spaced name', S('    state In Progress {\n        [*] --> Running\n    }'), S('    state "In Progress" as In_Progress {\n        [*] --> Running\n    }')],
  ['declaration inside a composite at its indent', S('    state Active {\n        [*] --> Sub task\n    }'), S('    state Active {\n        state "Sub task" as Sub_task\n        [*] --> Sub_task\n    }')],
  ['a slug already taken gets an underscore', S('    In_Progress --> In Progress'), S('    state "In Progress" as In_Progress_\n    In_Progress --> In_Progress_')],
  ['Korean names with spaces', S('    [*] --> 주문 접수\n    주문 접수 --> 배송'), S('    state "주문 접수" as 주문_접수\n    [*] --> 주문_접수\n    주문_접수 --> 배송')],
  ['valid ids untouched (accents, dots, apostrophes, end)', S('    [*] --> Créée\n    Créée --> v1.0\n    v1.0 --> l\'attente\n    l\'attente --> end\n    state Active {\n        [*] --> x\n    }'), S('    [*] --> Créée\n    Créée --> v1.0\n    v1.0 --> l\'attente\n    l\'attente --> end\n    state Active {\n        [*] --> x\n    }')],
]);

table(stateAlias, [
  ['id and name swapped (fr)', S('    state Attente as "En attente de paiement"\n    [*] --> Attente'), S('    state "En attente de paiement" as Attente\n    [*] --> Attente')],
  ['the right way round untouched', S('    state "En attente" as Attente\n    [*] --> Attente'), S('    state "En attente" as Attente\n    [*] --> Attente')],
]);
