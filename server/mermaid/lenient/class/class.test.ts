/** The class reader and printer on what small models write; every output is checked with Mermaid's parser. */
import { formatTable } from '../formatTable.ts';
import { classFormat } from './index.ts';

const C = (...lines: string[]) => ['classDiagram', ...lines].join('\n');
const I = (...lines: string[]) => lines.map((l) => `    ${l}`);

formatTable(classFormat, [
  ['arrows of other types, extends (fr)', C('    Animal -> Chien', '    Chat ==> Animal', '    Chien extends Animal'), C(...I('Animal --> Chien', 'Chat --> Animal', 'Animal <|-- Chien'))],
  ['unquoted multiplicities, in words too (es)', C('    Cliente 1 --> * Factura : emite', '    Cliente one --> many Pedido'), C(...I('Cliente "1" --> "*" Factura : emite', 'Cliente "one" --> "many" Pedido'))],
  ['colon and ; in a label (ja)', C('    顧客 --> 予約 : 予約する: 1回以上; 毎月'), C(...I('顧客 --> 予約 : 予約する#58; 1回以上#59; 毎月'))],
  ['generics in angle brackets (en)', C('    class Repository<T> {', '        +List<Item> items', '        +find(id) Optional<T>', '    }'), C(...I('class Repository~T~ {', '    +List~Item~ items', '    +find(id) Optional~T~', '}'))],
  ['a body on one line (ko)', C('    class 주문 { +int 번호; +취소() }'), C(...I('class 주문 {', '    +int 번호', '    +취소()', '}'))],
  ['{ on the next line, a body left open (de)', C('    class Fahrzeug', '    {', '        +String kennzeichen', '    Fahrzeug <|-- Auto'), C(...I('class Fahrzeug {', '    +String kennzeichen', '}', 'Fahrzeug <|-- Auto'))],
  ['quoted class names (he)', C('    class "משתמש" {', '        +שם', '    }', '    "משתמש" --> "הזמנה" : מבצע'), C(...I('class משתמש {', '    +שם', '}', 'משתמש --> הזמנה : מבצע'))],
  ['a flowchart body: shapes become class labels (en)', C('    User[User account] --> Profile[Profile page]', '    User --> Settings'), C(...I('class User["User account"]', 'class Profile["Profile page"]', 'User --> Profile', 'User --> Settings'))],
  ['a name with spaces gets an id and keeps the name (fr)', C('    class "Bon de commande" {', '        +date', '    }', '    "Bon de commande" --> Client'), C(...I('class Bon_de_commande["Bon de commande"] {', '    +date', '}', 'Bon_de_commande --> Client'))],
  ['unquoted note, bullets, comments (zh)', C('- class 学生', '- note for 学生 每学期注册 %% note', '- 学生 --> 课程 : 选修 // many'), C(...I('class 学生', 'note for 学生 "每学期注册"', '学生 --> 课程 : 选修'))],
  ['prose and a cut last line (ar)', C('    class عميل', '    عميل --> طلب : يضع', 'هذا المخطط يوضح العلاقة بين العميل والطلب في النظام.', '    طلب --> منتج : يحتوي', '    منتج --> مخزن[مستو'), C(...I('class عميل', 'عميل --> طلب : يضع', 'طلب --> منتج : يحتوي')), ['dropped-line', 'dropped-cut-line']],
  ['namespace, annotation, members kept', C('    namespace Shop {', '        class Cart', '    }', '    <<interface>> Cart', '    Cart : +add(item)'), C(...I('namespace Shop {', '    class Cart', '}', '<<interface>> Cart', 'Cart : +add(item)'))],
  ['not class syntax: not ours', C('    participant A', '    A->>B: hi there'), null],
]);
