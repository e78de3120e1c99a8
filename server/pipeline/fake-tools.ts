/**
 * Fake Mermaid stages for tests of the pipeline and the HTTP layer (the real
 * ones start a parser worker, seconds per file): flowcharts only; a line with
 * `--> end` is invalid but repairable (renamed `end_`), a line with BROKEN is
 * invalid for good; text that does not start with `flowchart` has no type.
 * One copy, so the pipeline's and the HTTP tests' fakes cannot drift apart.
 */
import type { MermaidTools } from './tools.ts';

export const fakeTools: MermaidTools = {
  extract(text) {
    const fenced = /```(?:mermaid)?\n([\s\S]*?)(?:```|$)/.exec(text);
    const code = (fenced ? fenced[1]! : text).trim();
    return code.startsWith('flowchart') ? code : null;
  },
  async validate(code) {
    if (!code.trim().startsWith('flowchart')) return { ok: false, line: 1, message: 'No diagram type detected' };
    const bad = code.split('\n').findIndex((line) => /BROKEN|--> end\b/.test(line));
    return bad < 0 ? { ok: true, diagramType: 'flowchart' } : { ok: false, line: bad + 1, message: `Parse error on line ${bad + 1}` };
  },
  async repair(code) {
    const fixed = code.replace(/--> end\b/g, '--> end_');
    const repairs = fixed === code ? [] : ['rename-reserved-ids'];
    const v = await fakeTools.validate(fixed);
    return v.ok
      ? { code: fixed, valid: true, diagramType: 'flowchart', repairs, changes: [] }
      : { code: fixed, valid: false, diagramType: null, repairs, changes: [], error: { line: v.line, message: v.message } };
  },
};
