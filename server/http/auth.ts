/**
 * Optional API key. When `API_KEY` is set, protected routes need it as
 * `X-API-Key: <key>`, `Authorization: Bearer <key>` (a merged header such as
 * `Bearer a, Bearer b` is split), or `X-HF-Authorization: Bearer <key>` (what
 * the Python gradio_client sends for `token=`). Comparison hashes both sides
 * with SHA-256 and compares the digests with `timingSafeEqual`, so neither the
 * key's content nor its length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** A checker bound to one key; `null` key = auth disabled (always true). */
export function createKeyChecker(apiKey: string | undefined): ((headers: Headers) => boolean) | null {
  if (!apiKey) return null;
  const expected = digest(apiKey);
  const matches = (candidate: string) => timingSafeEqual(digest(candidate), expected);
  return (headers) => {
    const candidates: string[] = [];
    const x = headers.get('x-api-key');
    if (x) candidates.push(x.trim());
    for (const name of ['authorization', 'x-hf-authorization']) {
      const v = headers.get(name);
      if (!v) continue;
      for (const part of v.split(',')) {
        // `^\s*Bearer\s+(.+?)\s*$` in two steps: as one pattern it is cubic on long runs of spaces.
        const token = /^Bearer\s([^]*)$/i.exec(part.trim())?.[1]!.trim();
        if (token && !/[\n\r\u2028\u2029]/.test(token)) candidates.push(token);
      }
    }
    // Check every candidate (no early exit on the first mismatch).
    let ok = false;
    for (const c of candidates) ok = matches(c) || ok;
    return ok;
  };
}
