/**
 * The optional server API key. Kept in sessionStorage only: it survives a
 * reload of this tab but never outlives it, and is never written to
 * localStorage, history or share links.
 */
const KEY = 'mfg:api-key';

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // Storage disabled (privacy mode, sandboxed frame).
  }
}

export function getApiKey(): string | null {
  return storage()?.getItem(KEY) || null;
}

export function setApiKey(key: string | null): void {
  const s = storage();
  if (!s) return;
  if (key) s.setItem(KEY, key);
  else s.removeItem(KEY);
}
