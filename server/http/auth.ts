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
        const m = /^\s*Bearer\s+(.+?)\s*$/i.exec(part);
        if (m?.[1]) candidates.push(m[1]);
      }
    }
    // Check every candidate (no early exit on the first mismatch).
    let ok = false;
    for (const c of candidates) ok = matches(c) || ok;
    return ok;
  };
}
