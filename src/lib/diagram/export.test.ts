import { describe, expect, it } from 'vitest';
import { markdownBlock, standaloneSvg } from './export.ts';

/** What Mermaid writes for a node label with htmlLabels off: a row of word spans, each after the first starting with a space. */
const MERMAID_LABEL = [
  '<svg xmlns="http://www.w3.org/2000/svg" id="mfg-render-1" viewBox="0 0 300 100" style="max-width: 300px;">',
  '<style>#mfg-render-1{font-family:"trebuchet ms",verdana,arial,sans-serif;font-size:16px;}</style>',
  '<g class="label"><text y="-10.1"><tspan class="text-outer-tspan row" x="0" y="-0.1em" dy="1.1em">',
  '<tspan font-style="normal" class="text-inner-tspan" font-weight="normal">Customer</tspan>',
  '<tspan font-style="normal" class="text-inner-tspan" font-weight="normal"> places an</tspan>',
  '<tspan font-style="italic" class="text-inner-tspan" font-weight="normal"> order</tspan>',
  '</tspan></text></g></svg>',
].join('');

describe('standaloneSvg for other programs', () => {
  it('keeps the spaces between words: xml:space="preserve", same-style word spans merged', () => {
    const out = standaloneSvg(MERMAID_LABEL);
    const doc = new DOMParser().parseFromString(out, 'image/svg+xml');
    const text = doc.getElementsByTagName('text')[0]!;
    expect(text.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'space')).toBe('preserve');
    expect(out).toContain('xml:space="preserve"');
    const spans = [...text.getElementsByClassName('text-inner-tspan')].map((t) => t.textContent);
    expect(spans).toEqual(['Customer places an', ' order']); // the italic word keeps its own span
    expect(text.textContent).toBe('Customer places an order');
  });

  it('sets the font stack on the root for programs that ignore <style>', () => {
    const doc = new DOMParser().parseFromString(standaloneSvg(MERMAID_LABEL), 'image/svg+xml');
    expect(doc.documentElement.getAttribute('font-family')).toBe('"trebuchet ms",verdana,arial,sans-serif');
    expect(doc.getElementsByTagName('foreignObject')).toHaveLength(0);
  });
});

describe('markdownBlock', () => {
  it.each([
    ['flowchart TD\n  A --> B\n', '```mermaid\nflowchart TD\n  A --> B\n```\n'],
    ['flowchart TD\n  A["uses ``` inside"]', '````mermaid\nflowchart TD\n  A["uses ``` inside"]\n````\n'],
  ])('%j', (code, md) => {
    expect(markdownBlock(code)).toBe(md);
  });
});
