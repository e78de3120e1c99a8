/**
 * The real Mermaid stages (server/mermaid/) behind describe()'s MermaidTools.
 * Repair runs in its own thread with a time limit (repair-thread.ts): a big
 * or hostile answer never holds the server's event loop.
 */
import { extractDiagram } from '../mermaid/extract.ts';
import { repairOffThread } from '../mermaid/repair-thread.ts';
import { validate } from '../mermaid/validate.ts';
import type { MermaidTools } from './tools.ts';

export const mermaidTools: MermaidTools = {
  extract: (text, partial) => extractDiagram(text, { partial })?.code || null,
  validate,
  repair: (code) => repairOffThread(code),
};
