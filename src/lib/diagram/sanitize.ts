/**
 * Every SVG we show or export passes through DOMPurify's SVG profile: no
 * <script>, no on* handlers, no javascript: links, no <foreignObject> (we
 * render with htmlLabels off, so Mermaid has no reason to emit one).
 *
 * Links: an `<a>` keeps its href only when it is one of `allowedUrls`, the
 * http(s) URLs the person confirmed (see links.svelte.ts); every other href
 * (and `xlink:href` on an `<a>`) is removed, the drawing inside stays. So
 * neither the page nor an exported file carries a link nobody confirmed.
 */
import DOMPurify from 'dompurify';

const CONFIG = {
  USE_PROFILES: { svg: true, svgFilters: true },
  FORBID_TAGS: ['foreignObject', 'script', 'iframe', 'object', 'embed'],
  // Mermaid's arrowheads reference markers by url(#id); keep ids as they are.
  SANITIZE_NAMED_PROPS: false,
};

export interface SvgOptions {
  /** http(s) URLs the person confirmed; any other link loses its target. */
  allowedUrls?: readonly string[];
}

const XLINK = 'http://www.w3.org/1999/xlink';

function dropUnconfirmedLinks(root: Element, allowed: readonly string[]): void {
  for (const a of Array.from(root.querySelectorAll('a'))) {
    for (const name of ['href', 'xlink:href']) {
      const value = a.getAttribute(name);
      if (value === null) continue;
      if (!allowed.includes(value) || !/^https?:\/\//i.test(value)) a.removeAttribute(name);
    }
    const xlink = a.getAttributeNS(XLINK, 'href');
    if (xlink !== null && (!allowed.includes(xlink) || !/^https?:\/\//i.test(xlink))) a.removeAttributeNS(XLINK, 'href');
    if (!a.hasAttribute('href') && !a.hasAttributeNS(XLINK, 'href')) a.removeAttribute('target');
  }
}

const NAMED: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'", nbsp: '\u00a0' };
const ENTITY = /&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|quot|amp|lt|gt|apos|nbsp);/gi;

/**
 * Mermaid turns a label's entity codes (`#quot;`, `#9829;`) into HTML entities,
 * which with SVG text labels (htmlLabels off) reach the text nodes as the
 * literal characters "&quot;". Decoding them in text nodes draws what the
 * person meant; it is text content, never markup, so nothing becomes a tag.
 */
function decodeEntityText(root: Element): void {
  const walker = root.ownerDocument.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const value = node.nodeValue ?? '';
    if (!value.includes('&')) continue;
    node.nodeValue = value.replace(ENTITY, (whole, name: string) => {
      const lower = name.toLowerCase();
      if (!lower.startsWith('#')) return NAMED[lower] ?? whole;
      const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    });
  }
}

/** Sanitises an SVG document and returns its <svg> element (null if there is none). */
export function sanitizeSvgElement(svg: string, options: SvgOptions = {}): SVGSVGElement | null {
  const fragment = DOMPurify.sanitize(svg, { ...CONFIG, RETURN_DOM_FRAGMENT: true });
  const el = fragment.firstElementChild;
  if (!el || el.tagName.toLowerCase() !== 'svg') return null;
  dropUnconfirmedLinks(el, options.allowedUrls ?? []);
  decodeEntityText(el);
  return el as unknown as SVGSVGElement;
}

/** Sanitised SVG as well-formed XML (XMLSerializer, not innerHTML), or '' when the input holds no SVG. */
export function sanitizeSvg(svg: string, options: SvgOptions = {}): string {
  const el = sanitizeSvgElement(svg, options);
  if (!el) return '';
  if (!el.getAttribute('xmlns')) el.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return new XMLSerializer().serializeToString(el);
}
