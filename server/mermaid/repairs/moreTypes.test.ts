/** Table tests for list markers, timeline events, git graphs and requirement diagrams; every changed row is checked with Mermaid's parser. */
import { gitgraphSyntax } from './gitgraph.ts';
import { listMarkers } from './listMarkers.ts';
import { requirementSyntax } from './requirement.ts';
import { table } from './table.ts';
import { timelineEvents } from './timeline.ts';

table(listMarkers, [
  ['sequence statements as a list (en)', 'sequenceDiagram\n- participant Shopper\n- Shopper->>Store: Browse products\n- Store-->>Shopper: Product list', 'sequenceDiagram\nparticipant Shopper\nShopper->>Store: Browse products\nStore-->>Shopper: Product list'],
  ['gantt tasks numbered (ko)', 'gantt\n    dateFormat YYYY-MM-DD\n    section 준비\n    1. 시장 조사 :a1, 2025-05-01, 5d\n    2. 콘텐츠 제작 :a2, after a1, 7d', 'gantt\n    dateFormat YYYY-MM-DD\n    section 준비\n    시장 조사 :a1, 2025-05-01, 5d\n    콘텐츠 제작 :a2, after a1, 7d'],
  ['state transitions with bullets (he)', 'stateDiagram-v2\n    * [*] --> פתוח\n    * פתוח --> סגור', 'stateDiagram-v2\n    [*] --> פתוח\n    פתוח --> סגור'],
  ['a single dash among many lines is text: untouched', 'journey\n    section S\n      - Find: 5: Me\n      Pay: 3: Me\n      Leave: 4: Me', 'journey\n    section S\n      - Find: 5: Me\n      Pay: 3: Me\n      Leave: 4: Me'],
  ['mind maps keep their markers (mindmap-bullets)', 'mindmap\n  root\n    - a\n    - b', 'mindmap\n  root\n    - a\n    - b'],
]);

table(timelineEvents, [
  ['a year without its colon (ja)', 'timeline\n    title 鉄道\n    1872 新橋と横浜の間に開業\n    1964 : 東海道新幹線開業', 'timeline\n    title 鉄道\n    1872 : 新橋と横浜の間に開業\n    1964 : 東海道新幹線開業'],
  ['arrows instead of colons (en)', 'timeline\n    Q1 --> Beta release\n    Q2 -> Public launch', 'timeline\n    Q1 : Beta release\n    Q2 : Public launch'],
  ['a period whose events follow on their own lines: untouched', 'timeline\n    2024 Launch\n        : Beta\n        : GA', 'timeline\n    2024 Launch\n        : Beta\n        : GA'],
  ['valid timeline untouched (ar)', 'timeline\n    title تاريخ\n    2020 : بداية\n    2021 : توسع', 'timeline\n    title تاريخ\n    2020 : بداية\n    2021 : توسع'],
]);

table(gitgraphSyntax, [
  ['unquoted ids and tags (en)', 'gitGraph\n    commit id: Setup project\n    branch hotfix\n    checkout hotfix\n    commit id: Fix null pointer\n    checkout main\n    merge hotfix tag: v1.0.1', 'gitGraph\n    commit id: "Setup project"\n    branch hotfix\n    checkout hotfix\n    commit id: "Fix null pointer"\n    checkout main\n    merge hotfix tag: "v1.0.1"'],
  ['shell commands (ja)', 'gitGraph\n    git commit -m "初期化"\n    git checkout -b feature\n    git commit -m "検索機能"\n    git checkout main\n    git merge feature', 'gitGraph\n    commit id: "初期化"\n    branch feature\n    commit id: "検索機能"\n    checkout main\n    merge feature'],
  ['branch names with spaces or outside ASCII are quoted (ko)', 'gitGraph\n    commit id: "초기 커밋"\n    branch 기능 개발\n    checkout 기능 개발\n    commit\n    checkout main\n    merge 기능 개발', 'gitGraph\n    commit id: "초기 커밋"\n    branch "기능 개발"\n    checkout "기능 개발"\n    commit\n    checkout main\n    merge "기능 개발"'],
  ['checkout of a branch never created creates it (fr)', 'gitGraph\n    commit id: "Version initiale"\n    checkout release\n    commit id: "Préparer"\n    checkout main\n    merge release', 'gitGraph\n    commit id: "Version initiale"\n    branch release\n    commit id: "Préparer"\n    checkout main\n    merge release'],
  ['valid graph untouched', 'gitGraph\n    commit id: "init"\n    branch develop\n    commit\n    checkout main\n    merge develop tag: "v2.0"', 'gitGraph\n    commit id: "init"\n    branch develop\n    commit\n    checkout main\n    merge develop tag: "v2.0"'],
]);

const R = (text: string, risk = 'high', tail = '') => `requirementDiagram\n    requirement backup_req {\n        id: 2\n        text: ${text}\n        risk: ${risk}\n        verifymethod: test\n    }\n    element backup_job {\n        type: job\n    }${tail}`;

table(requirementSyntax, [
  ['text with a colon and quotes (en)', R('Backups run nightly: at 02:00 "UTC"'), R('"Backups run nightly: at 02:00 “UTC”"')],
  ['risk in French', R('Sauvegarde chiffrée', 'élevé'), R('Sauvegarde chiffrée', 'High')],
  ['relation written as an arrow (en)', R('Nightly backups', 'low', '\n    backup_job --> backup_req : satisfies'), R('Nightly backups', 'low', '\n    backup_job - satisfies -> backup_req')],
  ['names with spaces (de)', 'requirementDiagram\n    requirement Datenschutz Anforderung {\n        id: 4\n        text: Daten verschlüsselt\n        risk: high\n        verifymethod: inspection\n    }\n    element Datenbank Server {\n        type: system\n    }\n    Datenbank Server - satisfies -> Datenschutz Anforderung', 'requirementDiagram\n    requirement "Datenschutz Anforderung" {\n        id: 4\n        text: Daten verschlüsselt\n        risk: high\n        verifymethod: inspection\n    }\n    element "Datenbank Server" {\n        type: system\n    }\n    "Datenbank Server" - satisfies -> "Datenschutz Anforderung"'],
]);
