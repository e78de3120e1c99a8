/**
 * The only importer of mermaid in the browser. Mermaid (megabytes) is loaded
 * on first use, so the page is interactive before it arrives; a failed load
 * is forgotten so the next call retries. Every call initialises Mermaid with
 * our fixed, strict configuration (the diagram text never configures it, see
 * untrusted.ts), and calls are serialised because mermaid.initialize and
 * render share global state.
 */
import type { Mermaid, MermaidConfig } from 'mermaid';
import type { ParseError, ValidateResult } from '../../../common/protocol.ts';
import { prepare, type PrepareOptions } from './untrusted.ts';
import { sanitizeSvg } from './sanitize.ts';
import { normalizeDiagramType } from '../../../common/diagramType.ts';
import { sourceLine } from '../../../common/lineMap.ts';

export const MERMAID_THEMES = ['default', 'dark', 'forest', 'neutral'] as const;
export type MermaidTheme = (typeof MERMAID_THEMES)[number];

let loading: Promise<Mermaid> | null = null;

export function loadMermaid(): Promise<Mermaid> {
  loading ??= import('mermaid').then(
    (m) => {
      performance.mark('mfg:mermaid-loaded'); // for bench/ui: load vs render time
      return m.default;
    },
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

function config(theme: MermaidTheme): MermaidConfig {
  return {
    startOnLoad: false,
    securityLevel: 'strict',
    theme,
    // Real SVG <text>, not HTML in <foreignObject>: safe, and exports open outside browsers.
    htmlLabels: false,
    flowchart: { htmlLabels: false },
    class: { htmlLabels: false },
    // Journey and timeline default to `textPlacement: 'fo'` (HTML in <foreignObject>), which the sanitiser
    // removes: their section titles came out blank. 'tspan' draws them as SVG text, like the other types.
    journey: { textPlacement: 'tspan' },
    timeline: { textPlacement: 'tspan' },
    // As SVG text, a journey's labels take their box's fill from the theme's `.section-type-N` rules (the
    // same colour as the box): give them the theme's text colour instead.
    themeCSS: `text.task, text.journey-section { fill: ${theme === 'dark' ? '#f0f0f0' : '#333333'} !important; }`,
    state: {},
    suppressErrorRendering: true,
    maxTextSize: 100_000,
  } as MermaidConfig;
}

let chain: Promise<unknown> = Promise.resolve();
function serial<T>(fn: () => Promise<T>): Promise<T> {
  const run = chain.then(fn, fn);
  chain = run.catch(() => undefined);
  return run;
}

/**
 * Mermaid errors carry the line in different places (jison hash, langium message); find it.
 * That line counts the text Mermaid parsed after dropping front matter, `%%` comment lines,
 * directives and leading blank lines; given the `code` it was asked about, the line is mapped
 * back to a line of that code (the server's mapping, shared: pure, no mermaid import).
 */
export function parseErrorOf(e: unknown, code?: string): ParseError {
  const err = e as { message?: unknown; hash?: { line?: number; loc?: { first_line?: number } } };
  const message = typeof err?.message === 'string' ? err.message : String(e);
  let line: number | undefined = err?.hash?.loc?.first_line;
  if (line === undefined && typeof err?.hash?.line === 'number') line = err.hash.line + 1;
  if (line === undefined) {
    const m = /\bline:? (\d+)/i.exec(message);
    if (m) line = Number(m[1]);
  }
  if (line !== undefined && code !== undefined) line = sourceLine(prepare(code), line);
  // Jison's own "Parse error on line N:" counts differently (it sees a trailing newline); we show `line`.
  const text = line === undefined ? message : message.replace(/^Parse error on line \d+:\s*\n?/, '');
  return line === undefined ? { message: text } : { line, message: text };
}

let currentTheme: MermaidTheme = 'default';

/** Parses in the browser; errors come back as data. */
export async function parseDiagram(code: string): Promise<ValidateResult> {
  if (!code.trim()) return { ok: false, message: 'The diagram is empty.' };
  const mermaid = await loadMermaid();
  return serial(async () => {
    mermaid.initialize(config(currentTheme));
    try {
      const r = await mermaid.parse(prepare(code));
      return r ? { ok: true as const, diagramType: normalizeDiagramType(r.diagramType) } : { ok: false as const, message: 'Not a diagram.' };
    } catch (e) {
      return { ok: false as const, ...parseErrorOf(e, code) };
    }
  });
}

let counter = 0;

/** Renders to sanitised SVG markup. Throws a ParseError-shaped error when Mermaid cannot draw it. */
export async function renderDiagram(
  code: string,
  theme: MermaidTheme,
  options: PrepareOptions = {},
): Promise<{ svg: string; diagramType: string }> {
  const mermaid = await loadMermaid();
  return serial(async () => {
    currentTheme = theme;
    mermaid.initialize(config(theme));
    const id = `mfg-render-${++counter}`;
    try {
      const t0 = performance.now();
      const { svg, diagramType } = await mermaid.render(id, prepare(code, options));
      const clean = sanitizeSvg(svg, options);
      performance.measure('mfg:render', { start: t0 });
      return { svg: clean, diagramType };
    } finally {
      // Mermaid leaves its scratch container behind when rendering fails.
      document.getElementById(id)?.remove();
      document.getElementById(`d${id}`)?.remove();
    }
  });
}
