/** The sequence reader and printer on what small models write; every output is checked with Mermaid's parser. */
import { formatTable } from '../formatTable.ts';
import { sequenceFormat } from './index.ts';

const S = (...lines: string[]) => ['sequenceDiagram', ...lines].join('\n');
const I = (...lines: string[]) => lines.map((l) => `    ${l}`);

formatTable(sequenceFormat, [
  ['arrows of other types (ko)', S('    사용자 => 앱: 결제 버튼 클릭', '    앱 ->>> 결제서버: 결제 요청', '    사용자 <-- 앱: 결제 완료'), S(...I('사용자->>앱: 결제 버튼 클릭', '앱->>결제서버: 결제 요청', '앱-->>사용자: 결제 완료'))],
  ['message without its colon after a known participant (fr)', S('    participant Client', '    participant Boutique', '    Client->>Boutique Passer la commande', '    Boutique-->>Client: OK'), S(...I('participant Client', 'participant Boutique', 'Client->>Boutique: Passer la commande', 'Boutique-->>Client: OK'))],
  ['; and # in text become entity codes (en)', S('    Dev->>CI: Push commit #42; open PR', '    CI-->>Dev: Build #7 passed;'), S(...I('Dev->>CI: Push commit #35;42#59; open PR', 'CI-->>Dev: Build #35;7 passed'))],
  ['typed entity codes are kept', S('    A->>B: I #9829; it'), S(...I('A->>B: I #9829; it'))],
  ['note without a position goes over the last message (zh)', S('    顾客->>客服: 申请换货', '    Note 客服: 核对订单信息'), S(...I('顾客->>客服: 申请换货', 'Note over 客服: 核对订单信息'))],
  ['note naming nobody (fr)', S('    U->>S: Connexion', '    Note: le mot de passe est chiffré'), S(...I('U->>S: Connexion', 'Note over U,S: le mot de passe est chiffré'))],
  ['note over two without a comma, right without of (de)', S('    A->>B: hi', '    Note over A B: beide', '    Note right B: merken'), S(...I('A->>B: hi', 'Note over A,B: beide', 'Note right of B: merken'))],
  ['participant name and alias swapped (fr)', S('    participant Propriétaire as P', '    participant Locataire as L', '    L->>P: Demande de visite', '    P->>L: Créneau;'), S(...I('participant P as Propriétaire', 'participant L as Locataire', 'L->>P: Demande de visite', 'P->>L: Créneau'))],
  ['Markdown bullets and trailing comments (en)', S('- participant Shopper', '- Shopper->>Store: Browse products %% first', '- Store-->>Shopper: Product list // reply'), S(...I('participant Shopper', 'Shopper->>Store: Browse products', 'Store-->>Shopper: Product list'))],
  ['quoted names (en)', S('    "Mobile App"->>"Payment Gateway": Charge card', '    "Payment Gateway"-->>"Mobile App": Charge approved;'), S(...I('Mobile App->>Payment Gateway: Charge card', 'Payment Gateway-->>Mobile App: Charge approved'))],
  ['end loop, a stray end (he)', S('    לקוח->>שרת: התחברות', '    loop כל 30 שניות', '        לקוח->>שרת: בדיקה', '    end loop', '    end'), S(...I('לקוח->>שרת: התחברות', 'loop כל 30 שניות', '    לקוח->>שרת: בדיקה', 'end'))],
  ['alt left open closes where the indentation returns (de)', S('    alt Termin frei', '        P-->>A: ja', '    else kein Termin', '        P-->>A: nein', '    A->>P: Danke'), S(...I('alt Termin frei', '    P-->>A: ja', 'else kein Termin', '    P-->>A: nein', 'end', 'A->>P: Danke'))],
  ['alt left open at the end (ar)', S('    م->>ن: طلب', '    alt متاح', '    ن-->>م: نعم'), S(...I('م->>ن: طلب', 'alt متاح', '    ن-->>م: نعم', 'end'))],
  ['deactivate of nothing, a minus mark of nothing (fr)', S('    Élève->>Professeur: Rendre le devoir', '    deactivate Professeur', '    Professeur-->>-Élève: Note'), S(...I('Élève->>Professeur: Rendre le devoir', 'Professeur-->>Élève: Note'))],
  ['a cut last message is dropped and reported (en)', S('    U->>A: Click', '    A->>M: Send link', '    M-->>U'), S(...I('U->>A: Click', 'A->>M: Send link')), ['dropped-cut-line']],
  ['prose inside the fence is left out (ko)', S('    승객->>앱: 택시 호출', '설명: 이 다이어그램은 택시 호출 과정을 보여줍니다.', '    앱->>기사: 호출 알림'), S(...I('승객->>앱: 택시 호출', '앱->>기사: 호출 알림')), ['dropped-line']],
  ['a name Mermaid cannot take as an id gets one, with the name as label (ja)', S('    クライアント->>"API #2": 取得', '    "API #2"-->>クライアント: 結果'), S(...I('participant P1 as API #35;2', 'クライアント->>P1: 取得', 'P1-->>クライアント: 結果'))],
  ['a flowchart body under the header: not ours', S('    A[Start] --> B{OK?}', '    B -->|yes| C[Done]'), null],
  ['edges without any text: a flowchart body, not ours', S('    A --> B', '    B --> C'), null],
  ['else outside any block: left for the model', S('    A->>B: hi', '    else nope', '    B->>A: ok'), null],
  ['valid diagram printed as it is (es)', S('    participant U as Usuario', '    U->>+S: Subir archivo', '    S-->>-U: Archivo guardado', '    Note right of S: La subida usa HTTPS'), S(...I('participant U as Usuario', 'U->>+S: Subir archivo', 'S-->>-U: Archivo guardado', 'Note right of S: La subida usa HTTPS'))],
]);
