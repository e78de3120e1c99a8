import { describe, expect, it } from 'vitest';
import { HttpError } from './errors.ts';
import { GenerateRequestSchema } from './schemas.ts';
import { checkGenerate, httpErrorFromZod } from './validation.ts';

function zodError(body: unknown): HttpError {
  const r = GenerateRequestSchema.safeParse(body);
  if (r.success) throw new Error('expected a failure');
  return httpErrorFromZod(r.error);
}

describe('request validation messages', () => {
  it.each([
    [{}, 400, /`description` is required/],
    [{ description: 1 }, 400, /`description` must be a string/],
    [{ description: 'x', diagramType: 'pie' }, 400, /`diagramType` must be one of: auto, flowchart/],
    [{ description: 'x', maxNewTokens: 1.5 }, 400, /maxNewTokens/],
    [{ description: 'x'.repeat(8001) }, 413, /at most 8000 characters/],
  ])('%j → %i %s', (body, status, message) => {
    const e = zodError(body);
    expect(e.status).toBe(status);
    expect(e.message).toMatch(message);
  });

  it('semantic checks: blank, control characters, refinement pairs, token cap', () => {
    expect(() => checkGenerate({ description: ' \t\n' }, 100)).toThrow(/empty/);
    expect(() => checkGenerate({ description: 'a\u001bb' }, 100)).toThrow(/U\+001B/);
    expect(() => checkGenerate({ description: 'a', instruction: 'more' }, 100)).toThrow(/currentDiagram/);
    expect(() => checkGenerate({ description: 'a', maxNewTokens: 101 }, 100)).toThrow(/between 1 and 100/);
    // Tabs, newlines, emoji and RTL text are fine.
    expect(checkGenerate({ description: 'Étape 1\tpuis\r\n2 🚚 שלום', instruction: '', currentDiagram: '' }, 100)).toEqual({ description: 'Étape 1\tpuis\r\n2 🚚 שלום' });
  });
});
