/**
 * The real Mermaid stages (server/mermaid/) behind describe()'s MermaidTools.
 */
import { extractDiagram } from '../mermaid/extract.ts';
import { repair } from '../mermaid/repair.ts';
import { validate } from '../mermaid/validate.ts';
import type { MermaidTools } from './tools.ts';

export const mermaidTools: MermaidTools = {
  extract: (text, partial) => extractDiagram(text, { partial })?.code || null,
  validate,
  repair,
};
