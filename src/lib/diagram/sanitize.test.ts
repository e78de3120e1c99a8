import { describe, expect, it } from 'vitest';
import { sanitizeSvg } from './sanitize.ts';
import { standaloneSvg, fileStem } from './export.ts';

const SVG_NS = 'xmlns="http://www.w3.org/2000/svg"';
const wrap = (inner: string, attrs = '') =>
  `<svg ${SVG_NS} id="m1" width="100%" viewBox="0 0 200 100" style="max-width: 200px;" ${attrs}>${inner}</svg>`;

describe('sanitizeSvg', () => {
  it('keeps what Mermaid draws: styles, markers, groups, text', () => {
    const svg = wrap(
      '<style>#m1 .node rect{fill:#eee;}</style><defs><marker id="arrow"><path d="M0,0 L10,5"/></marker></defs>' +
        '<g class="node" transform="translate(10,10)"><rect width="50" height="20"/><text><tspan>Start</tspan></text></g>' +
        '<path d="M0 0 L5 5" marker-end="url(#arrow)"/>',
    );
    const out = sanitizeSvg(svg);
    expect(out).toContain('<style>');
    expect(out).toContain('marker-end="url(#arrow)"');
    expect(out).toContain('<tspan>Start</tspan>');
    expect(out).toContain('viewBox="0 0 200 100"');
  });

  it.each([
    ['script element', '<script>alert(1)</script>', /script|alert/],
    ['event handler', '<g onclick="alert(1)" onload="alert(2)"><rect/></g>', /onclick|onload|alert/],
    ['javascript link', '<a href="javascript:alert(1)"><text>x</text></a>', /javascript/],
    ['xlink javascript link', '<a xlink:href="javascript:alert(1)"><text>x</text></a>', /javascript/],
    ['foreignObject with HTML', '<foreignObject><div><img src="x" onerror="alert(1)"><script>alert(2)</script></div></foreignObject>', /foreignObject|onerror|script|<img/],
    ['animate setting href', '<a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a>', /javascript/],
    ['iframe', '<iframe src="https://evil.test"></iframe>', /iframe/],
  ])('strips %s', (_name, inner, forbidden) => {
    const out = sanitizeSvg(wrap(inner));
    expect(out).toMatch(/^<svg/);
    expect(out).not.toMatch(forbidden);
  });

  it('strips handlers on the root element', () => {
    expect(sanitizeSvg(wrap('', 'onload="alert(1)"'))).not.toContain('onload');
  });

  it('keeps label text that looks like HTML as text', () => {
    const out = sanitizeSvg(wrap('<text>&lt;img src=x onerror=alert(1)&gt;</text>'));
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).not.toContain('<img');
  });

  it('returns empty for input without an svg', () => {
    expect(sanitizeSvg('<div>hi</div>')).toBe('');
  });
});

describe('standaloneSvg', () => {
  it('writes an XML document with absolute size and no max-width', () => {
    const out = standaloneSvg(wrap('<text>Hi &amp; bye</text>'));
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(out).toContain('width="200"');
    expect(out).toContain('height="100"');
    expect(out).not.toContain('max-width');
    const doc = new DOMParser().parseFromString(out, 'image/svg+xml');
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(doc.documentElement.textContent).toBe('Hi & bye');
  });
});

describe('fileStem', () => {
  it.each([
    ['An employee submits an expense report.', 'an-employee-submits-an-expense-report'],
    ['Commande en ligne : paiement accepté', 'commande-en-ligne-paiement-accepte'],
    ['사용자가 회원가입 양식을 제출합니다', '사용자가-회원가입-양식을-제출합니다'],
    ['   ', 'diagram'],
  ])('%s', (input, stem) => {
    expect(fileStem(input)).toBe(stem);
  });
});

describe('sanitizeSvg: links', () => {
  const link = (href: string) => wrap(`<a xlink:href="${href}" href="${href}" target="_blank"><text>x</text></a>`);

  it('removes every link nobody confirmed, keeping what is drawn inside', () => {
    const out = sanitizeSvg(link('https://evil.example/x'));
    expect(out).not.toContain('evil.example');
    expect(out).toContain('<text>x</text>');
  });

  it('keeps exactly the confirmed http(s) URLs', () => {
    expect(sanitizeSvg(link('https://docs.example/a'), { allowedUrls: ['https://docs.example/a'] })).toContain('https://docs.example/a');
    expect(sanitizeSvg(link('https://docs.example/b'), { allowedUrls: ['https://docs.example/a'] })).not.toContain('docs.example/b');
  });

  it('exports carry no unconfirmed link', () => {
    expect(standaloneSvg(link('https://evil.example/x'))).not.toContain('evil.example');
  });
});

describe('sanitizeSvg: entity codes in labels', () => {
  it('text that Mermaid left as entities draws as the characters, and stays text', () => {
    const out = sanitizeSvg(wrap('<text><tspan>Say &amp;quot;hi&amp;quot; &amp;#9829; &amp;lt;b&amp;gt;</tspan></text>'));
    const doc = new DOMParser().parseFromString(out, 'image/svg+xml');
    expect(doc.querySelector('tspan')!.textContent).toBe('Say "hi" ♥ <b>');
    expect(doc.querySelector('b')).toBeNull();
  });
});
