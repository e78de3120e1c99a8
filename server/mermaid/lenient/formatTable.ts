/**
 * Table tests for a lenient format (test helper): each row is [name, input,
 * expected code or null, expected change kinds]. Checks the exact output,
 * that Mermaid's parser accepts it, and that reading the output again
 * prints it unchanged (the printer writes what the reader reads as is).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeValidator, validate } from '../validate.ts';
import type { ChangeKind, LenientFormat } from './types.ts';

export type FormatRow = [name: string, input: string, expected: string | null, changes?: ChangeKind[]];

let users = 0;

export function formatTable(format: LenientFormat, rows: FormatRow[]): void {
  users++;
  describe(`lenient ${format.name}`, () => {
    afterAll(async () => {
      if (--users === 0) await closeValidator();
    });
    it.each(rows)('%s', async (_name, input, expected, changes = []) => {
      const out = format.rewrite(input);
      if (expected === null) {
        expect(out).toBeNull();
        return;
      }
      expect(out?.code).toBe(expected);
      expect(out?.changes.map((c) => c.kind)).toEqual(changes);
      expect(await validate(expected)).toMatchObject({ ok: true });
      // A format that redraws as another type (sankey → flowchart) has no fixed point of its own.
      const keyword = /^[\w-]+/.exec(expected)![0].toLowerCase();
      if (format.headers.includes(keyword)) expect(format.rewrite(expected)?.code, 'a fixed point').toBe(expected);
    });
  });
}
