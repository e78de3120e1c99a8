/** Clickable examples, as Spaces show under their inputs: several languages on purpose. */
import type { DiagramType, Direction } from '../../common/limits.ts';

export interface Example {
  /** BCP 47 tag, shown as a badge and set as the button's lang. */
  lang: string;
  title: string;
  description: string;
  diagramType: DiagramType;
  direction: Direction;
}

export const EXAMPLES: readonly Example[] = [
  {
    lang: 'en',
    title: 'Expense approval',
    description:
      'An employee submits an expense report. If the amount is over $500, their manager must approve it; otherwise finance approves it directly. Rejected reports go back to the employee for changes. Approved reports are paid within 5 days.',
    diagramType: 'flowchart',
    direction: 'TD',
  },
  {
    lang: 'fr',
    title: 'Commande en ligne',
    description:
      "Un client passe une commande en ligne. Si le paiement est accepté, l'entrepôt prépare le colis et le transporteur le livre ; sinon, le client reçoit un e-mail l'invitant à réessayer.",
    diagramType: 'auto',
    direction: 'LR',
  },
  {
    lang: 'ko',
    title: '회원가입',
    description:
      '사용자가 회원가입 양식을 제출합니다. 이메일이 유효하면 인증 메일을 보내고, 사용자가 링크를 클릭하면 계정이 활성화됩니다. 이메일이 유효하지 않으면 오류 메시지를 보여줍니다.',
    diagramType: 'flowchart',
    direction: 'TD',
  },
  {
    lang: 'de',
    title: 'Urlaubsantrag',
    description:
      'Eine Mitarbeiterin stellt einen Urlaubsantrag. Die Teamleitung prüft ihn: Bei Genehmigung wird der Urlaub im Kalender eingetragen, bei Ablehnung erhält die Mitarbeiterin eine Begründung und kann einen neuen Antrag stellen.',
    diagramType: 'auto',
    direction: 'TD',
  },
  {
    lang: 'en',
    title: 'Login sequence',
    description:
      'The browser sends the username and password to the web app. The web app asks the auth service to check them; the auth service looks the user up in the database and returns a session token, which the web app stores in a cookie.',
    diagramType: 'sequence',
    direction: 'LR',
  },
];
