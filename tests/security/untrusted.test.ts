/**
 * Issue 14, item 1: one rule for untrusted diagrams. Every payload goes
 * through the server's real repair() (sanitize + Mermaid's own parser) and the
 * shared rule the browser uses; neither may keep an interaction or a setting,
 * and each must still draw the diagram around it.
 */
import { describe, expect, it } from 'vitest';
import { cleanUntrusted } from '../../common/untrusted.ts';
import { repair } from '../../server/mermaid/repair.ts';

/** Anything left that would make the drawing act or be configured. */
const ACTIVE = /(^|[;\n])\s*(click|call|href|callback|links?|properties|details)\s+[^-=.~<>&|:\s]|%%\{|securityLevel|themeCSS|javascript:|<script|onerror\s*=/i;

const PAYLOADS: [string, string][] = [
  ['click after ;', 'flowchart TD\n  A-->B; click A href "https://evil.example/x"'],
  ['click between statements', 'flowchart TD\n  A-->B; click A call alert(1); B-->C'],
  ['upper-case CLICK', 'flowchart TD\n  A-->B\n  CLICK A href "https://evil.example/x"'],
  ['click URL shorthand with target', 'flowchart TD\n  A-->B\n  click B "https://evil.example" _blank'],
  ['callback and link (class)', 'classDiagram\n  class Shape\n  callback Shape "fn"\n  link Shape "https://evil.example"'],
  ['upper-case sequence LINK', 'sequenceDiagram\n  participant A\n  LINK A: Evil @ https://evil.example\n  A->>A: hi'],
  ['sequence links/properties after ;', 'sequenceDiagram\n  A->>B: hi; links A: {"x": "https://evil.example"}; properties A: {"class": "x"}'],
  ['state click', 'stateDiagram-v2\n  [*] --> S\n  click S href "https://evil.example"'],
  ['gantt click call', 'gantt\n  dateFormat YYYY-MM-DD\n  section A\n  Task :t1, 2024-01-01, 1d\n  click t1 call alert(1)'],
  ['init directive with securityLevel', '%%{init: {"securityLevel": "loose", "theme": "dark"}}%%\nflowchart TD\n  A --> B'],
  ['directive over several lines', 'flowchart TD\n%%{\n  init: {"securityLevel": "loose"}\n}%%\n  A --> B'],
  ['unclosed directive', '%%{init: {"securityLevel": "loose"\nflowchart TD\n  A --> B'],
  ['front matter config', '---\ntitle: Pay\nconfig:\n  securityLevel: loose\n  themeCSS: "body{}"\n---\nflowchart LR\n  A --> B'],
  ['script in a label', 'flowchart TD\n  C --> D["<script>alert(1)</script>"]'],
  ['img onerror in a label', 'flowchart TD\n  A["<img src=x onerror=alert(1)>"] --> B'],
  ['javascript: link text', 'flowchart TD\n  A["javascript:alert(1)"] --> B'],
];

describe('untrusted diagrams: the server', () => {
  it.each(PAYLOADS)('%s: repaired output is valid and inert', async (_name, code) => {
    const result = await repair(code);
    expect(result.valid).toBe(true);
    expect(result.code).not.toMatch(ACTIVE);
    expect(result.code).not.toContain('evil.example');
  }, 60_000);
});

describe('untrusted diagrams: the shared rule (browser, share links, paste, export)', () => {
  it.each(PAYLOADS.filter(([name]) => !/label|javascript/.test(name)))('%s', (_name, code) => {
    const kept = cleanUntrusted(code, { preserveLines: true });
    expect(kept.code).not.toMatch(ACTIVE);
    expect(kept.removed.length).toBeGreaterThan(0);
    // Line numbers of what stays are unchanged (parser errors point at the person's line).
    expect(kept.code.split('\n').length).toBe(code.split('\n').length);
  });

  it('server and browser keep the same front-matter keys (title only)', () => {
    const code = '---\ntitle: Plan\ndisplayMode: compact\nconfig:\n  theme: dark\n---\ngantt\n  section A\n  T :t1, 2024-01-01, 1d';
    const server = cleanUntrusted(code, { preserveLines: false }).code;
    const browser = cleanUntrusted(code, { preserveLines: true }).code;
    expect(server.startsWith('---\ntitle: Plan\n---\ngantt')).toBe(true);
    expect(browser.split('\n').filter((l) => l.trim() !== '')).toEqual(server.split('\n'));
  });

  it('a confirmed link keeps only `click … href` to http(s); call and javascript never', () => {
    const code = 'flowchart TD\n  A --> B\n  click A href "https://docs.example"\n  click B href "javascript:alert(1)"\n  click B call alert(1)';
    const kept = cleanUntrusted(code, { allowLinks: true }).code;
    expect(kept).toContain('https://docs.example');
    expect(kept).not.toMatch(/javascript|call alert/);
  });

  it('leaves ordinary diagrams exactly as written', () => {
    for (const code of [
      'flowchart TD\n  a[Send mail] --> click[User clicks link]\n  click --> b',
      'sequenceDiagram\n  User->>App: click the link; then wait',
      'mindmap\n  root((Shop))\n    Click and collect',
      'flowchart TD\n  A["wait; click here"] --> B\n  linkStyle 0 stroke:#f00',
    ]) {
      expect(cleanUntrusted(code)).toEqual({ code, removed: [], links: [] });
    }
  });

  it('is linear on adversarial input (20,000 characters)', () => {
    const inputs = ['flowchart TD\n' + 'A-->B;'.repeat(3_300), '%%{'.repeat(6_600), 'flowchart TD\n' + '["'.repeat(9_990), '---\n' + '\n'.repeat(20_000)];
    for (const code of inputs) {
      const t0 = performance.now();
      cleanUntrusted(code);
      // Generous: a quadratic scan of 20,000 characters takes seconds, a linear one about a millisecond.
      expect(performance.now() - t0).toBeLessThan(500);
    }
  });
});

describe('untrusted diagrams: words that only look like keywords', () => {
  it.each([
    ['a gantt task named Call …', 'gantt\n  dateFormat YYYY-MM-DD\n  section A\n  Call caterers :a1, 2024-01-01, 1d'],
    ['a gantt task named Click …', 'gantt\n  section A\n  Click tracking :a1, 2024-01-01, 1d'],
    ['a flowchart line starting with call', 'flowchart TD\n  A --> B\n  call --> C'],
    ['a sequence participant called Details', 'sequenceDiagram\n  Details->>B: hi'],
    ['a class diagram method named link()', 'classDiagram\n  class A {\n    +link()\n  }'],
  ])('%s stays', (_name, code) => {
    expect(cleanUntrusted(code).removed).toEqual([]);
  });
});
