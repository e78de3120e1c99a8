/**
 * The Mermaid worker's start-up warm-up: each of its small diagrams must
 * parse, so that a Mermaid upgrade which renames or drops a type (and would
 * leave that type's parser cold again) shows up here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { WARM_UP } from './mermaid-worker.ts';
import { closeValidator, validate } from './validate.ts';

afterAll(closeValidator);

describe('WARM_UP', () => {
  it.each(WARM_UP.map((code) => [code.split('\n')[0]!, code]))('%s parses', async (_header, code) => {
    expect(await validate(code)).toMatchObject({ ok: true });
  }, 120_000);

  it('names every type once', () => {
    const headers = WARM_UP.map((code) => code.split(/\s/)[0]);
    expect(new Set(headers).size).toBe(WARM_UP.length);
  });
});
