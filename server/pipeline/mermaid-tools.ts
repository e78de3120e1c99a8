/**
 * The real Mermaid stages (server/mermaid/) behind describe()'s MermaidTools.
 */
import { validate } from '../mermaid/validate.ts';
import type { MermaidTools } from './tools.ts';

// extract.ts and repair.ts are being written; loaded by path until they land.
const extractPath = '../mermaid/extract.ts';
const repairPath = '../mermaid/repair.ts';
const extractModule = (await import(extractPath)) as { extractDiagram: (text: string, o?: { partial?: boolean }) => unknown };
const repairModule = (await import(repairPath)) as { repair: (code: string) => Promise<import('../../common/protocol.ts').RepairResult> };

function codeOf(found: unknown): string | null {
  if (!found) return null;
  if (typeof found === 'string') return found;
  const code = (found as { code?: unknown }).code;
  return typeof code === 'string' && code.trim() ? code : null;
}

export const mermaidTools: MermaidTools = {
  extract: (text, partial) => codeOf(extractModule.extractDiagram(text, { partial })),
  validate,
  repair: (code) => repairModule.repair(code),
};
