/** Table tests for the ER-diagram repairs; every changed row is checked with Mermaid's parser. */
import { erAttributes, erCardinality, erEntityNames, erLabels } from './er.ts';
import { table } from './table.ts';

const E = (body: string) => `erDiagram\n${body}`;

table(erCardinality, [
  ['zero for o (en)', E('    CUSTOMER ||--0{ ORDER : places'), E('    CUSTOMER ||--o{ ORDER : places')],
  ['< and > for crow\'s feet', E('    CUSTOMER ||--|< ORDER : places\n    ITEM >o--|| ORDER : in'), E('    CUSTOMER ||--|{ ORDER : places\n    ITEM }o--|| ORDER : in')],
  ['one dash, three dashes', E('    A ||-o{ B : x\n    C |o---|| D : y'), E('    A ||--o{ B : x\n    C |o--|| D : y')],
  ['UML multiplicities (fr)', E('    CLIENT 1--* COMMANDE : passe\n    COMMANDE 1..*--0..1 FACTURE : a'), E('    CLIENT ||--o{ COMMANDE : passe\n    COMMANDE }|--o| FACTURE : a')],
  ['dotted kept dotted', E('    A ||...0{ B : x'), E('    A ||..o{ B : x')],
  ['"--{": zero or one? left for the model', E('    A ||--{ B : x'), E('    A ||--{ B : x')],
  ['valid cardinalities untouched', E('    A ||--o{ B : x\n    A }|..|{ C : y\n    A |o--o| D : z'), E('    A ||--o{ B : x\n    A }|..|{ C : y\n    A |o--o| D : z')],
]);

table(erLabels, [
  ['missing labels (de)', E('    KUNDE ||--o{ BESTELLUNG\n    BESTELLUNG ||--|{ POSITION'), E('    KUNDE ||--o{ BESTELLUNG : ""\n    BESTELLUNG ||--|{ POSITION : ""')],
  ['label with spaces', E('    CUSTOMER ||--o{ ORDER : places many'), E('    CUSTOMER ||--o{ ORDER : "places many"')],
  ['label with parentheses and # (ko)', E('    고객 ||--o{ 주문 : 주문 (온라인) #1'), E('    고객 ||--o{ 주문 : "주문 (온라인) #1"')],
  ['single quotes', E("    A ||--o{ B : 'has'"), E('    A ||--o{ B : "has"')],
  ['trailing semicolon', E('    A ||--o{ B : has;'), E('    A ||--o{ B : has')],
  ['one-word and quoted labels untouched', E('    A ||--o{ B : passe\n    A ||--o{ C : "a b"'), E('    A ||--o{ B : passe\n    A ||--o{ C : "a b"')],
]);

table(erAttributes, [
  ['name: type (fr)', E('    CLIENT {\n        nom: string\n        age: int PK\n    }'), E('    CLIENT {\n        string nom\n        int age PK\n    }')],
  ['attribute name with spaces', E('    CUSTOMER {\n        string first name\n        date date of birth "DOB"\n    }'), E('    CUSTOMER {\n        string first_name\n        date date_of_birth "DOB"\n    }')],
  ['primary key in words (parses as a second attribute)', E('    CUSTOMER {\n        int id primary key\n        int address_id foreign key\n    }'), E('    CUSTOMER {\n        int id PK\n        int address_id FK\n    }')],
  ['a relation after a block left open is not an attribute', E('    A {\n        string x\n    B ||--o{ C : has'), E('    A {\n        string x\n    B ||--o{ C : has')],
  ['valid attributes untouched', E('    A {\n        int id PK, FK\n        string name "the name"\n        varchar(255) email UK\n    }'), E('    A {\n        int id PK, FK\n        string name "the name"\n        varchar(255) email UK\n    }')],
]);

table(erEntityNames, [
  ['spaces (draws ORDER and ITEM)', E('    ORDER ITEM ||--o{ PRODUCT : contains\n    ORDER ITEM {\n        int qty\n    }'), E('    "ORDER ITEM" ||--o{ PRODUCT : contains\n    "ORDER ITEM" {\n        int qty\n    }')],
  ['both sides (de)', E('    Kunde Konto ||--o{ Offene Rechnung : hat'), E('    "Kunde Konto" ||--o{ "Offene Rechnung" : hat')],
  ['hyphens, accents and quoted names untouched', E('    LINE-ITEM }o--|| ÉLÈVE : in\n    "A B" ||--o{ C : x'), E('    LINE-ITEM }o--|| ÉLÈVE : in\n    "A B" ||--o{ C : x')],
]);
