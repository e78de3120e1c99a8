/** Table tests for the sequence-diagram repairs; every changed row is checked with Mermaid's parser. */
import { table } from './table.ts';
import { sequenceActivations, sequenceArrows, sequenceBlocks, sequenceMessages, sequenceNotes, sequenceParticipants } from './sequence.ts';

const S = (body: string) => `sequenceDiagram\n${body}`;

table(sequenceArrows, [
  ['fat arrow (en)', S('    Client=>Server: Send order'), S('    Client->>Server: Send order')],
  ['double fat arrow', S('    A ==> B: hi'), S('    A->>B: hi')],
  ['three heads', S('    A->>>B: hi\n    B-->>>A: ok'), S('    A->>B: hi\n    B-->>A: ok')],
  ['unicode arrow (fr)', S('    Client → Serveur: Requête'), S('    Client->>Serveur: Requête')],
  ['reply written backwards (de)', S('    Kunde <-- Shop: Bestätigung'), S('    Shop-->>Kunde: Bestätigung')],
  ['backwards, solid', S('    A <- B: hi'), S('    B->>A: hi')],
  ['both ways', S('    A <-> B: sync'), S('    A<<->>B: sync')],
  ['arrows inside the text are text', S('    A->>B: x => y'), S('    A->>B: x => y')],
  ['valid arrows untouched', S('    A->>B: a\n    B-->>A: b\n    A-)B: c\n    A-xB: d\n    A<<->>B: e\n    A->B: f'), S('    A->>B: a\n    B-->>A: b\n    A-)B: c\n    A-xB: d\n    A<<->>B: e\n    A->B: f')],
  ['not a sequence diagram: untouched', 'flowchart TD\n  A => B', 'flowchart TD\n  A => B'],
]);

table(sequenceMessages, [
  ['text without colon after a known participant (de)', S('    participant Kunde\n    participant Shop\n    Kunde->>Shop Bestellung senden'), S('    participant Kunde\n    participant Shop\n    Kunde->>Shop: Bestellung senden')],
  ['known from another message', S('    A->>Server: hi\n    A->>Server ping again'), S('    A->>Server: hi\n    A->>Server: ping again')],
  ['no text at all', S('    A->>B'), S('    A->>B:')],
  ['unknown target with words: left for the model', S('    A->>Le serveur répond'), S('    A->>Le serveur répond')],
  ['messages with colons untouched', S('    A->>B: hi'), S('    A->>B: hi')],
]);

table(sequenceNotes, [
  ['missing "of" (en)', S('    A->>B: hi\n    Note right A: remember'), S('    A->>B: hi\n    Note right of A: remember')],
  ['"on" for over (fr)', S('    A->>B: hi\n    note on B: à vérifier'), S('    A->>B: hi\n    note over B: à vérifier')],
  ['over two participants without comma (draws a participant "A B")', S('    A->>B: hi\n    Note over A B: both'), S('    A->>B: hi\n    Note over A,B: both')],
  ['over two with "and"', S('    A->>B: hi\n    Note over A and B: both'), S('    A->>B: hi\n    Note over A,B: both')],
  ['missing colon after a known participant (de)', S('    Kunde->>Shop: hi\n    Note left of Kunde wartet'), S('    Kunde->>Shop: hi\n    Note left of Kunde: wartet')],
  ['a participant with a space is not split', S('    participant Le client\n    Le client->>B: hi\n    Note over Le client: ok'), S('    participant Le client\n    Le client->>B: hi\n    Note over Le client: ok')],
  ['valid notes untouched', S('    A->>B: hi\n    Note right of A: x\n    Note over A,B: y\n    note left of B : z'), S('    A->>B: hi\n    Note right of A: x\n    Note over A,B: y\n    note left of B : z')],
]);

table(sequenceParticipants, [
  ['name and alias swapped (draws "Service Client as SC")', S('    participant Service Client as SC\n    SC->>B: hi'), S('    participant SC as Service Client\n    SC->>B: hi')],
  ['actor too (fr)', S('    actor Le client as C\n    C->>S: Bonjour'), S('    actor C as Le client\n    C->>S: Bonjour')],
  ['several on one line', S('    participant A, B\n    A->>B: hi'), S('    participant A\n    participant B\n    A->>B: hi')],
  ['alias with spaces is the right way round', S('    participant SC as Service Client\n    SC->>B: hi'), S('    participant SC as Service Client\n    SC->>B: hi')],
  ['a name with spaces used as written is kept', S('    participant Service Client\n    Service Client->>B: hi'), S('    participant Service Client\n    Service Client->>B: hi')],
]);

table(sequenceActivations, [
  ['deactivate without activate', S('    A->>B: hi\n    deactivate B\n    B-->>A: ok'), S('    A->>B: hi\n    B-->>A: ok')],
  ['one deactivate too many', S('    A->>B: hi\n    activate B\n    deactivate B\n    deactivate B'), S('    A->>B: hi\n    activate B\n    deactivate B')],
  ['shorthand without activation', S('    A->>B: hi\n    B-->>-A: bye'), S('    A->>B: hi\n    B-->>A: bye')],
  ['matched shorthands untouched', S('    A->>+B: hi\n    B-->>-A: bye'), S('    A->>+B: hi\n    B-->>-A: bye')],
]);

table(sequenceBlocks, [
  ['alt left open at the end (ko)', S('    A->>B: 주문\n    alt 재고 있음\n        B-->>A: 확인\n    else 재고 없음\n        B-->>A: 취소'), S('    A->>B: 주문\n    alt 재고 있음\n        B-->>A: 확인\n    else 재고 없음\n        B-->>A: 취소\n    end')],
  ['alt left open before the next outer message', S('    alt ok\n        B-->>A: yes\n    else ko\n        B-->>A: no\n    A->>C: next'), S('    alt ok\n        B-->>A: yes\n    else ko\n        B-->>A: no\n    end\n    A->>C: next')],
  ['nested loop and opt', S('    loop every day\n        A->>B: ping\n        opt late\n            B-->>A: pong'), S('    loop every day\n        A->>B: ping\n        opt late\n            B-->>A: pong\n        end\n    end')],
  ['flat body: closed at the end', S('alt ok\nA->>B: x\nelse\nA->>C: y'), S('alt ok\nA->>B: x\nelse\nA->>C: y\nend')],
  ['end alt / endloop (de)', S('    alt ok\n        A->>B: ja\n    end alt\n    loop immer\n        A->>B: x\n    endloop'), S('    alt ok\n        A->>B: ja\n    end\n    loop immer\n        A->>B: x\n    end')],
  ['an end that closes nothing', S('    alt ok\n        A->>B: x\n    end\n    end'), S('    alt ok\n        A->>B: x\n    end')],
  ['end loop (parses, as an end and a new empty loop taking the next end) (de)', S('    loop Artikel\n        S->>S: Preis\n    end loop\n    opt Gutschein\n        K->>S: Code\n    end\n    end'), S('    loop Artikel\n        S->>S: Preis\n    end\n    opt Gutschein\n        K->>S: Code\n    end')],
  ['balanced but unevenly indented: nothing moves', S('    loop x\n        A->>B: y\n    A->>C: z\n    end'), S('    loop x\n        A->>B: y\n    A->>C: z\n    end')],
  ['balanced blocks untouched', S('    par a\n        A->>B: x\n    and b\n        A->>C: y\n    end\n    critical c\n        A->>B: z\n    option t\n        A->>C: w\n    end'), S('    par a\n        A->>B: x\n    and b\n        A->>C: y\n    end\n    critical c\n        A->>B: z\n    option t\n        A->>C: w\n    end')],
]);
