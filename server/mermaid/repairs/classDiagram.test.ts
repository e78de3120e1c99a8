/** Table tests for the class-diagram repairs; every changed row is checked with Mermaid's parser. */
import { classBodies, classGenerics, classRelations } from './classDiagram.ts';
import { table } from './table.ts';

const C = (body: string) => `classDiagram\n${body}`;

table(classRelations, [
  ['flowchart arrows (fr)', C('    Client -> Commande\n    Commande ==> Produit\n    Produit -->> Stock'), C('    Client --> Commande\n    Commande --> Produit\n    Produit --> Stock')],
  ['extends / implements (draw nothing at all)', C('    Admin extends User\n    Order implements Payable'), C('    User <|-- Admin\n    Payable <|.. Order')],
  ['unquoted multiplicities (de)', C('    Kunde 1 --> * Bestellung : gibt auf'), C('    Kunde "1" --> "*" Bestellung : gibt auf')],
  ['unquoted range on one side', C('    Customer --> 0..* Order'), C('    Customer --> "0..*" Order')],
  ['colon inside the label', C('    Customer --> Order : places: online'), C('    Customer --> Order : places#58; online')],
  ['trailing semicolons', C('    class A;\n    A --> B;'), C('    class A\n    A --> B')],
  ['members with arrows are not relations', C('    class A {\n        +map(x -> y)\n    }'), C('    class A {\n        +map(x -> y)\n    }')],
  ['valid relations untouched', C('    A <|-- B\n    A *-- C : has\n    A "1" --> "*" D\n    A ..|> E\n    A <-- F\n    A -- G'), C('    A <|-- B\n    A *-- C : has\n    A "1" --> "*" D\n    A ..|> E\n    A <-- F\n    A -- G')],
]);

table(classGenerics, [
  ['class name <T> (an error)', C('    class Repository<T>\n    Repository<T> <|-- OrderRepository'), C('    class Repository~T~\n    Repository~T~ <|-- OrderRepository')],
  ['member generics (drawn as "+List items")', C('    class Order {\n        +List<Item> items\n        +Map<String, int> counts\n    }'), C('    class Order {\n        +List~Item~ items\n        +Map~String, int~ counts\n    }')],
  ['annotations, notes and <br> untouched', C('    class Shape {\n        <<interface>>\n    }\n    note for Shape "a<br>b"'), C('    class Shape {\n        <<interface>>\n    }\n    note for Shape "a<br>b"')],
]);

table(classBodies, [
  ['body on one line (drawn with no members) (en)', C('    class Order { +int id; +submit() }'), C('    class Order {\n        +int id\n        +submit()\n    }')],
  ['brace on its own line (ko)', C('    class 주문\n    {\n        +int 번호\n    }'), C('    class 주문 {\n        +int 번호\n    }')],
  ['unquoted note', C('    class Order\n    note for Order an order placed online'), C('    class Order\n    note for Order "an order placed online"')],
  ['valid bodies and notes untouched', C('    class Order {\n        +int id\n    }\n    class B { +x }\n    note for Order "ok"'), C('    class Order {\n        +int id\n    }\n    class B { +x }\n    note for Order "ok"')],
]);
