/** The state reader and printer on what small models write; every output is checked with Mermaid's parser. */
import { formatTable } from '../formatTable.ts';
import { stateFormat } from './index.ts';

const S = (...lines: string[]) => ['stateDiagram-v2', ...lines].join('\n');
const I = (...lines: string[]) => lines.map((l) => `    ${l}`);

formatTable(stateFormat, [
  ['arrows of other types, (*) (ko)', S('    (*) -> 대기', '    대기 ==> 주행 : 출발', '    주행 <-- 정차 : 신호 변경', '    주행 -->|신호 대기| 정차'), S(...I('[*] --> 대기', '대기 --> 주행 : 출발', '정차 --> 주행 : 신호 변경', '주행 --> 정차 : 신호 대기'))],
  ['two-way arrows, which state diagrams cannot draw: one transition each way (ar, es)', S('    متصل <--> منقطع : إشارة', '    state Red {', '        Activo <-> Inactivo', '    }'), S(...I('متصل --> منقطع : إشارة', 'منقطع --> متصل : إشارة', 'state Red {', '    Activo --> Inactivo', '    Inactivo --> Activo', '}'))],
  ['names with spaces and hyphens get ids and keep their names (de)', S('    [*] --> Neu', '    Neu --> In-Prüfung : eingereicht', '    In-Prüfung --> Warten auf Kunde'), S(...I('[*] --> Neu', 'state "In-Prüfung" as In_Prüfung', 'Neu --> In_Prüfung : eingereicht', 'state "Warten auf Kunde" as Warten_auf_Kunde', 'In_Prüfung --> Warten_auf_Kunde'))],
  ['flowchart shapes carry the names (fr)', S('    [*] --> A[Ouvert]', '    A[Ouvert] --> B[En attente du client]', '    B --> [*]'), S(...I('state "Ouvert" as A', '[*] --> A', 'state "En attente du client" as B', 'A --> B', 'B --> [*]'))],
  ['quoted states (en)', S('    [*] --> "Idle"', '    "Idle" --> "Heating": temperature below 20°C'), S(...I('[*] --> Idle', 'Idle --> Heating : temperature below 20°C'))],
  ['id and name swapped in a declaration (fr)', S('    state Attente as "En attente de validation"', '    [*] --> Attente'), S(...I('state "En attente de validation" as Attente', '[*] --> Attente'))],
  ['; and # in labels (zh)', S('    草稿 --> 审核中 : 提交; 等待', '    审核中 --> 已发布 : 通过 #1;'), S(...I('草稿 --> 审核中 : 提交#59; 等待', '审核中 --> 已发布 : 通过 #35;1'))],
  ['composite left open, closed by end (de)', S('    [*] --> Bereit', '    state Waschen {', '        [*] --> Vorwäsche', '        Vorwäsche --> Spülen', '    end', '    Waschen --> Fertig'), S(...I('[*] --> Bereit', 'state Waschen {', '    [*] --> Vorwäsche', '    Vorwäsche --> Spülen', '}', 'Waschen --> Fertig'))],
  ['composite left open, indentation returns (ja)', S('    state 運転 {', '        [*] --> 冷房', '        冷房 --> 送風', '    運転 --> 停止'), S(...I('state 運転 {', '    [*] --> 冷房', '    冷房 --> 送風', '}', '運転 --> 停止'))],
  ['bullets, a header typo, a cut last line (en)', 'stateDiagram v2\n- [*] --> Available\n- Available --> Borrowed : checked out\n- Borrowed -->', S(...I('[*] --> Available', 'Available --> Borrowed : checked out')), ['dropped-cut-line']],
  ['a stray closing brace (he)', S('    [*] --> בהכנה', '    בהכנה --> מוכן', '    }'), S(...I('[*] --> בהכנה', 'בהכנה --> מוכן'))],
  ['descriptions, notes and concurrency kept (es)', S('    Solicitado : esperando revisión', '    note right of Solicitado : plazo 48h', '    state Activo {', '        [*] --> A', '        --', '        [*] --> B', '    }'), S(...I('Solicitado : esperando revisión', 'note right of Solicitado : plazo 48h', 'state Activo {', '    [*] --> A', '    --', '    [*] --> B', '}'))],
  ['a sequence body under the header: not ours', S('    Alice->>Bob: hi', '    Bob-->>Alice: ok'), null],
]);
