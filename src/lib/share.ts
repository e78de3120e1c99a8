/**
 * Share links: the diagram (and its description) compressed into the URL
 * hash, so nothing is uploaded anywhere. `#d=<lz-string>` where the payload
 * is `{ v: 1, c: code, d: description, t: thread }` (`t`: the refine thread
 * as `[{i: instruction, c: code}]`, optional). Decoding never trusts the
 * link: wrong shapes and oversize texts give null; a bad thread is dropped.
 */
// Default import: lz-string is CommonJS, and Node (the bench) has no named exports for it.
import LZString from 'lz-string';
import { MAX_DESCRIPTION_CHARS, MAX_DIAGRAM_CHARS } from '../../common/limits.ts';
import { cutUtf16 } from '../../common/text.ts';
import { compactThread, expandThread, type ThreadTurn } from './state/thread.ts';

export interface SharePayload {
  code: string;
  description: string;
  thread?: ThreadTurn[];
}

const PREFIX = 'd=';

/** The hash fragment (without '#') for a payload. */
export function encodeShare(p: SharePayload): string {
  const body: { v: 1; c: string; d?: string; t?: { i: string; c: string }[] } = { v: 1, c: p.code };
  if (p.description) body.d = p.description;
  // A thread of one version is the diagram itself: only a real conversation travels.
  const t = p.thread ? compactThread(p.thread) : [];
  if (t.length > 1) body.t = t;
  return PREFIX + LZString.compressToEncodedURIComponent(JSON.stringify(body));
}

/** Reads a hash ('#d=…' or 'd=…'); null when it is not one of ours or not valid. */
export function decodeShare(hash: string): SharePayload | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h.startsWith(PREFIX)) return null;
  let json: string | null;
  try {
    json = LZString.decompressFromEncodedURIComponent(h.slice(PREFIX.length));
  } catch {
    return null;
  }
  if (!json) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const v = value as { v?: unknown; c?: unknown; d?: unknown; t?: unknown };
  if (!v || v.v !== 1 || typeof v.c !== 'string' || v.c.length > MAX_DIAGRAM_CHARS) return null;
  const description = typeof v.d === 'string' ? cutUtf16(v.d, MAX_DESCRIPTION_CHARS) : '';
  const thread = expandThread(v.t, Date.now());
  return thread.length ? { code: v.c, description, thread } : { code: v.c, description };
}

/** The full link: this page's address with the payload as its hash. */
export function shareUrl(href: string, p: SharePayload): string {
  const url = new URL(href);
  url.hash = encodeShare(p);
  return url.toString();
}
