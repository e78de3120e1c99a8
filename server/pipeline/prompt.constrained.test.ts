import { describe, expect, it } from 'vitest';
import { buildMessages } from './prompt.ts';

describe('prompt for a constrained (prefilled) flowchart', () => {
  it('asks for the bare diagram starting with the header, and shows the example without a fence', () => {
    const { messages, plan } = buildMessages({ description: 'A customer orders a book.', direction: 'LR' }, { constrained: true });
    expect(plan.constrained).toBe(true);
    const [system, user] = messages.map((m) => m.content);
    expect(system).toContain('no code fence');
    expect(system).toContain('The first line is: flowchart LR');
    expect(system).not.toContain('```');
    expect(user).toContain('Reply with the diagram only, starting with flowchart LR.');
  });

  it('keeps the fenced-block wording when not constrained, and for types without a grammar', () => {
    for (const { messages, plan } of [
      buildMessages({ description: 'A customer orders a book.' }),
      buildMessages({ description: 'A customer orders a book.', diagramType: 'sequence' }, { constrained: true }),
    ]) {
      expect(plan.constrained).toBeFalsy();
      expect(messages[0]!.content).toContain('```mermaid');
    }
  });
});
