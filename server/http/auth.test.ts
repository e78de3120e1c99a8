import { describe, expect, it } from 'vitest';
import { createKeyChecker } from './auth.ts';

describe('createKeyChecker', () => {
  const check = createKeyChecker('s3cret-key')!;
  const h = (init: Record<string, string>) => new Headers(init);

  it('is disabled without a key', () => {
    expect(createKeyChecker(undefined)).toBeNull();
    expect(createKeyChecker('')).toBeNull();
  });

  it.each([
    [{ 'X-API-Key': 's3cret-key' }, true],
    [{ 'X-API-Key': ' s3cret-key ' }, true],
    [{ Authorization: 'Bearer s3cret-key' }, true],
    [{ Authorization: 'bearer s3cret-key' }, true],
    [{ Authorization: 'Bearer hf_space_token, Bearer s3cret-key' }, true],
    [{ 'X-HF-Authorization': 'Bearer s3cret-key' }, true],
    [{}, false],
    [{ 'X-API-Key': 's3cret-ke' }, false],
    [{ 'X-API-Key': 's3cret-key2' }, false],
    [{ Authorization: 's3cret-key' }, false],
    [{ Authorization: 'Basic s3cret-key' }, false],
    [{ 'X-API-Key': 'wrong', Authorization: 'Bearer s3cret-key' }, true],
  ])('%j → %s', (headers, ok) => {
    expect(check(h(headers))).toBe(ok);
  });
});
