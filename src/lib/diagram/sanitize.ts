/**
 * Every SVG we show or export passes through DOMPurify's SVG profile: no
 * <script>, no on* handlers, no javascript: links, no <foreignObject> (we
 * render with htmlLabels off, so Mermaid has no reason to emit one).
 */
import DOMPurify from 'dompurify';

const CONFIG = {
  USE_PROFILES: { svg: true, svgFilters: true },
  FORBID_TAGS: ['foreignObject', 'script', 'iframe', 'object', 'embed'],
  // Mermaid's arrowheads reference markers by url(#id); keep ids as they are.
  SANITIZE_NAMED_PROPS: false,
};

/** Sanitises an SVG document and returns its <svg> element (null if there is none). */
export function sanitizeSvgElement(svg: string): SVGSVGElement | null {
  const fragment = DOMPurify.sanitize(svg, { ...CONFIG, RETURN_DOM_FRAGMENT: true });
  const el = fragment.firstElementChild;
  return el && el.tagName.toLowerCase() === 'svg' ? (el as unknown as SVGSVGElement) : null;
}

/** Sanitised SVG as well-formed XML (XMLSerializer, not innerHTML), or '' when the input holds no SVG. */
export function sanitizeSvg(svg: string): string {
  const el = sanitizeSvgElement(svg);
  if (!el) return '';
  if (!el.getAttribute('xmlns')) el.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return new XMLSerializer().serializeToString(el);
}
