/**
 * Links in a diagram are kept only when the person sees them and says yes.
 * The one rule (common/untrusted.ts) removes every `click … href` unless its
 * http(s) URL is in `links.allowed`; the LinksNotice component lists the URLs
 * a diagram asks for and adds them here on "Allow". Not persisted: a reload,
 * a share link or a restored diagram asks again.
 */
import { inspect } from './untrusted.ts';

class LinkPolicy {
  allowed = $state<string[]>([]);
}

export const links = new LinkPolicy();

/** The distinct http(s) link URLs a diagram's `click … href` statements point to. */
export function linkUrls(code: string): string[] {
  return [...new Set(inspect(code).links.map((l) => l.url))];
}

export function allowLinks(urls: readonly string[]): void {
  links.allowed = [...new Set([...links.allowed, ...urls])];
}

export function revokeLinks(): void {
  links.allowed = [];
}
