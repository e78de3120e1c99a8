/**
 * Export of the rendered diagram: a standalone SVG file, a PNG at a chosen
 * scale, the Mermaid source (.mmd, Markdown) and clipboard helpers. Input is
 * the already-sanitised SVG markup; it is sanitised once more here because an
 * export leaves our page.
 *
 * The SVG must look the same in Chromium, librsvg (rsvg-convert, most
 * converters and image viewers) and Inkscape. Mermaid (htmlLabels off) writes
 * each word of a label as a `<tspan>` whose text starts with a space; XML's
 * default whitespace handling lets librsvg drop those spaces
 * ("Customerplacesanorder"). So labels get `xml:space="preserve"`, runs of
 * identically styled word spans are merged into one, and the font stack is
 * set as a presentation attribute on the root, for tools that ignore the
 * embedded style sheet.
 */
import { sanitizeSvgElement } from './sanitize.ts';
import { trimEndChar } from '../../../common/text.ts';

export type PngBackground = 'transparent' | 'white';
export const PNG_SCALES = [1, 2, 4] as const;
export type PngScale = (typeof PNG_SCALES)[number];

/** Natural size of an SVG, from its viewBox (Mermaid always writes one). */
export function svgSize(el: Element): { width: number; height: number } {
  const vb = (el.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  if (vb.length === 4 && vb[2]! > 0 && vb[3]! > 0) return { width: vb[2]!, height: vb[3]! };
  const w = parseFloat(el.getAttribute('width') ?? '');
  const h = parseFloat(el.getAttribute('height') ?? '');
  return { width: w > 0 ? w : 800, height: h > 0 ? h : 600 };
}

/** Mermaid's own font stack, used when the style sheet names none. */
const DEFAULT_FONTS = '"trebuchet ms", verdana, arial, sans-serif';

/** The diagram's font stack, from its style sheet (`#id { font-family: … }`). */
function fontStack(el: Element): string {
  for (const style of el.getElementsByTagName('style')) {
    const m = /font-family:\s*([^;}]+)/.exec(style.textContent ?? '');
    if (m) return m[1]!.trim();
  }
  return DEFAULT_FONTS;
}

const sameAttributes = (a: Element, b: Element) =>
  a.attributes.length === b.attributes.length && [...a.attributes].every((x) => b.getAttribute(x.name) === x.value);

/** Keeps the spaces between words in every program (see the file comment). */
export function portableText(el: Element): void {
  el.setAttribute('font-family', fontStack(el));
  for (const text of el.getElementsByTagName('text')) {
    text.setAttributeNS('http://www.w3.org/XML/1998/namespace', 'xml:space', 'preserve');
    // Merge word spans: <tspan>Payment</tspan><tspan> accepted?</tspan> → <tspan>Payment accepted?</tspan>.
    for (const row of [...text.getElementsByTagName('tspan')]) {
      let prev: Element | null = null;
      for (const child of [...row.children]) {
        const simple = child.tagName === 'tspan' && child.children.length === 0;
        if (simple && prev && sameAttributes(prev, child)) {
          prev.textContent = (prev.textContent ?? '') + (child.textContent ?? '');
          child.remove();
        } else prev = simple ? child : null;
      }
    }
  }
}

/**
 * A standalone SVG document: sanitised, XML-serialised, with absolute width
 * and height (Mermaid writes width="100%" and a max-width style, which other
 * programs read as a 100-pixel or full-page image).
 */
export function standaloneSvg(svg: string, background?: string): string {
  const el = sanitizeSvgElement(svg);
  if (!el) throw new Error('There is no diagram to export.');
  const { width, height } = svgSize(el);
  el.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  el.setAttribute('width', String(Math.ceil(width)));
  el.setAttribute('height', String(Math.ceil(height)));
  el.style.removeProperty('max-width');
  portableText(el);
  if (background) el.style.setProperty('background-color', background);
  if (!el.getAttribute('style')) el.removeAttribute('style');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(el)}\n`;
}

/** Rasterises the SVG in the browser: an <img> from a data: URL drawn onto a canvas. */
export async function svgToPng(svg: string, scale: PngScale, background: PngBackground): Promise<Blob> {
  const xml = standaloneSvg(svg);
  const el = sanitizeSvgElement(svg);
  const { width, height } = el ? svgSize(el) : { width: 800, height: 600 };
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(Math.ceil(width) * scale));
  canvas.height = Math.max(1, Math.round(Math.ceil(height) * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw the PNG (no 2D canvas).');
  if (background === 'white') {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  }
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be encoded.'))), 'image/png'),
  );
}

export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      /* permission denied or insecure context: fall back below */
    }
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.append(ta);
  ta.select();
  const ok = document.execCommand('copy');
  ta.remove();
  if (!ok) throw new Error('The browser refused to copy; select the text and copy it by hand.');
}

/** The Mermaid source as a fenced Markdown block (GitHub, GitLab, Obsidian and Notion draw it). */
export function markdownBlock(code: string): string {
  // A fence longer than any backtick run inside the code, so the block cannot end early.
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}mermaid\n${trimEndChar(code, '\n')}\n${fence}\n`;
}

/**
 * Puts the PNG on the clipboard as an image. The blob is handed over as a
 * promise, so Chromium and Safari keep the user gesture while it is drawn.
 */
export async function copyPng(png: Promise<Blob>): Promise<void> {
  if (!navigator.clipboard?.write || typeof ClipboardItem === 'undefined') {
    throw new Error('This browser cannot put images on the clipboard; use Download PNG.');
  }
  await navigator.clipboard.write([new ClipboardItem({ 'image/png': png })]);
}

export { exportStem, fileStem } from './filename.ts';
