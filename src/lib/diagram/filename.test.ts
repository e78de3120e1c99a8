import { describe, expect, it } from 'vitest';
import { diagramName, exportStem, fileStem } from './filename.ts';

describe('diagramName', () => {
  it.each([
    ['---\ntitle: "Order flow"\n---\nflowchart TD\n  A[x] --> B', 'Order flow'],
    ['pie title Pets adopted\n  "Dogs" : 3', 'Pets adopted'],
    ['gantt\n  title Release plan\n  section A', 'Release plan'],
    ['flowchart TD\n  A[Customer places an order] --> B{Paid?}', 'Customer places an order'],
    ['flowchart LR\n  A(["Start<br>here"]) --> B', 'Start here'],
    ['sequenceDiagram\n  participant C as Customer desk\n  C->>S: hi', 'Customer desk'],
    ['stateDiagram-v2\n  state "Waiting" as W', 'Waiting'],
    ['flowchart TD\n  A --> B', ''],
  ])('%j → %j', (code, name) => {
    expect(diagramName(code)).toBe(name);
  });
});

describe('fileStem', () => {
  it.each([
    ['Login; retry 3 times, then lock the account after the third failure', 'login-retry-3-times-then-lock-the-account-after'],
    ['Commande en ligne : paiement refusé', 'commande-en-ligne-paiement-refuse'],
    ['사용자가 회원가입 양식을 제출합니다', '사용자가-회원가입-양식을-제출합니다'],
    ['Donaudampfschifffahrtsgesellschaftskapitänsmützenhalterung', 'donaudampfschifffahrtsgesellschaftskapitansmutze'],
    ['   ', 'diagram'],
  ])('%j → %j', (text, stem) => {
    const s = fileStem(text);
    expect(s).toBe(stem);
    expect(s.length).toBeLessThanOrEqual(48);
  });

  it('never cuts a word in two', () => {
    const words = 'An employee submits an expense report and waits for the accountant'.toLowerCase().split(' ');
    for (const part of fileStem(words.join(' ')).split('-')) expect(words).toContain(part);
  });
});

describe('exportStem', () => {
  it('prefers the diagram over the description', () => {
    expect(exportStem('flowchart TD\n  A[Submit expense report] --> B', 'An employee submits…')).toBe('submit-expense-report');
    expect(exportStem('flowchart TD\n  A --> B', 'Login and retry')).toBe('login-and-retry');
    expect(exportStem('', '')).toBe('diagram');
  });
});
