/** Every template the UI offers (src/lib/templates.ts) parses with Mermaid as the type it says it is. */
import { afterAll, describe, expect, it } from 'vitest';
import { DIAGRAM_TYPES } from '../common/limits.ts';
import { closeValidator, validate } from '../server/mermaid/validate.ts';
import { TEMPLATES } from '../src/lib/templates.ts';

afterAll(closeValidator);

describe('diagram templates', () => {
  it('one per diagram type', () => {
    expect(TEMPLATES.map((t) => t.type).sort()).toEqual(DIAGRAM_TYPES.filter((t) => t !== 'auto').sort());
  });

  it.each(TEMPLATES.map((t) => [t.type, t.code] as const))('%s parses as its type', async (type, code) => {
    const r = await validate(code);
    expect(r).toMatchObject({ ok: true });
    expect(r.ok && r.diagramType).toBe(type);
  }, 60_000);
});
