/**
 * Table tests for a repair (test helper): each row is [name, input, expected].
 * Checks the exact output, that a second run changes nothing, and — for
 * every row the repair changes — that Mermaid's own parser accepts the
 * result (the render checks of validate.ts included).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeValidator, validate } from '../validate.ts';
import type { Repair } from './types.ts';

export type Row = [name: string, input: string, expected: string];

let users = 0;

export function table(repair: Repair, rows: Row[]): void {
  users++;
  describe(repair.name, () => {
    afterAll(async () => {
      if (--users === 0) await closeValidator();
    });
    it.each(rows)('%s', async (_name, input, expected) => {
      expect(repair.apply(input)).toBe(expected);
      expect(repair.apply(expected), 'idempotent').toBe(expected);
      if (expected !== input) expect(await validate(expected)).toMatchObject({ ok: true });
    });
  });
}
