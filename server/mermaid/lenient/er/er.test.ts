/** The ER reader and printer on what small models write; every output is checked with Mermaid's parser. */
import { formatTable } from '../formatTable.ts';
import { erFormat } from './index.ts';

const E = (...lines: string[]) => ['erDiagram', ...lines].join('\n');
const I = (...lines: string[]) => lines.map((l) => `    ${l}`);

formatTable(erFormat, [
  ['cardinality typos (en)', E('    CUSTOMER ||--0{ ORDER : places', '    ORDER ||--|< LINE : has', '    LINE >o--|| PRODUCT : lists'), E(...I('CUSTOMER ||--o{ ORDER : places', 'ORDER ||--|{ LINE : has', 'LINE }o--|| PRODUCT : lists'))],
  ['UML multiplicities (fr)', E('    CLIENT 1--* COMMANDE : passe', '    COMMANDE 1--1..* LIGNE : contient', '    CLIENT 0..1--1 ADRESSE : habite'), E(...I('CLIENT ||--o{ COMMANDE : passe', 'COMMANDE ||--|{ LIGNE : contient', 'CLIENT |o--|| ADRESSE : habite'))],
  ['plain arrows: zero or more on both sides (fr)', E('    AUTEUR --> LIVRE : écrit'), E(...I('AUTEUR }o--o{ LIVRE : écrit'))],
  ['labels: missing, multi-word, single-quoted (zh, de)', E('    学生 ||--o{ 选课', '    KUNDE ||--o{ BESTELLUNG : gibt auf', "    BESTELLUNG ||--|{ POSTEN : 'enthält'"), E(...I('学生 ||--o{ 选课 : ""', 'KUNDE ||--o{ BESTELLUNG : "gibt auf"', 'BESTELLUNG ||--|{ POSTEN : enthält'))],
  ['entity names with spaces or quotes (en)', E('    ORDER ITEM }o--|| PRODUCT : lists', '    "ORDER ITEM" {', '        int qty', '    }'), E(...I('"ORDER ITEM" }o--|| PRODUCT : lists', '"ORDER ITEM" {', '    int qty', '}'))],
  ['attributes: name: type, spaces, primary key, no type, name first (en)', E('    EMPLOYEE {', '        id: int primary key', '        string first name', '        full_name', '        hired_on date', '    }'), E(...I('EMPLOYEE {', '    int id PK', '    string first_name', '    _ full_name', '    date hired_on', '}'))],
  ['trailing comments, a block left open (de)', E('    FILIALE ||--o{ LAGER : betreibt %% jede Filiale', '    ARTIKEL {', '        string sku PK // Nummer', '    LAGER ||--|{ ARTIKEL : lagert'), E(...I('FILIALE ||--o{ LAGER : betreibt', 'ARTIKEL {', '    string sku PK', '}', 'LAGER ||--|{ ARTIKEL : lagert'))],
  ['Korean attributes and comments kept (ko)', E('    사원 {', '        string 이름 "성과 이름"', '    }', '    사원 }o--|| 부서 : 소속'), E(...I('사원 {', '    string 이름 "성과 이름"', '}', '사원 }o--|| 부서 : 소속'))],
  ['prose and a cut last line (he)', E('    לקוח ||--o{ הזמנה : מבצע', 'הערה: כל לקוח יכול לבצע הרבה הזמנות בכל יום.', '    הזמנה ||--|{ פריט : "כול'), E(...I('לקוח ||--o{ הזמנה : מבצע')), ['dropped-line', 'dropped-cut-line']],
  ['a side it cannot read (zero or one?): left for the model', E('    AUTHOR ||--{ BOOK : writes'), null],
  ['not ER syntax: not ours', E('    A[Start] --> B{OK?}', '    B -->|yes| C'), null],
]);
