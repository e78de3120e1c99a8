/**
 * What Mermaid will draw for a diagram: its units (nodes, participants,
 * states, classes, entities, tasks, slices, points…) and the text of its
 * labels, read from Mermaid's own diagram database after Mermaid's own
 * parser has run — never from our readers, so it can judge them:
 *
 *   await drawnContent('flowchart TD\n  A[Start] --> B')
 *   // { ok: true, diagramType: 'flowchart-v2', units: [{ id: 'A', label: 'Start' }, …], texts: ['Start', 'B'] }
 *
 * Used by `mermaid-flow repair|validate --json` (units before and after) and
 * by `npm run bench:repair` (is what the model wrote still drawn?).
 *
 * Mermaid runs in the process's one Mermaid worker (mermaid-worker.ts),
 * which validate.ts uses too. That worker turns the database into plain
 * data with the getters listed in GETTERS (a snapshot: Maps become
 * [key, value] lists, depth-limited); `drawnUnits.ts` reads the snapshot, so
 * that reading is pure and tested.
 */
import { askMermaid, closeMermaid, MermaidTimeout } from './mermaid-worker.ts';
import { type Drawn, type DbSnapshot, readSnapshot } from './drawnUnits.ts';

/** Mermaid's diagram type id → the database getters whose output is drawn. */
export const GETTERS: Record<string, string[]> = {
  'flowchart-v2': ['getVertices', 'getEdges', 'getSubGraphs'],
  flowchart: ['getVertices', 'getEdges', 'getSubGraphs'],
  sequence: ['getActors', 'getMessages', 'getBoxes'],
  stateDiagram: ['getData'],
  classDiagram: ['getClasses', 'getRelations', 'getNotes', 'getNamespaces'],
  er: ['getEntities', 'getRelationships'],
  gantt: ['getTasks', 'getSections'],
  mindmap: ['getMindmap'],
  timeline: ['getSections', 'getTasks'],
  journey: ['getSections', 'getTasks'],
  pie: ['getSections'],
  quadrantChart: ['getQuadrantData'],
  xychart: ['getXYChartData'],
  sankey: ['getNodes', 'getLinks'],
  block: ['getBlocksFlat', 'getEdges'],
  gitGraph: ['getCommitsArray', 'getBranchesAsObjArray'],
  requirement: ['getRequirements', 'getElements', 'getRelationships'],
};

export type DrawnResult = ({ ok: true } & Drawn) | { ok: false; message: string };

/** A parse that takes longer than this counts as "nothing drawn" and the Mermaid worker is restarted. */
export const DRAWN_TIMEOUT_MS = 10_000;

/**
 * The units and label texts Mermaid draws for `code`, or `{ ok: false }` when
 * Mermaid does not accept it (or cannot run).
 */
export async function drawnContent(code: string): Promise<DrawnResult> {
  try {
    const reply = await askMermaid({ kind: 'drawn', code: String(code ?? ''), getters: GETTERS }, DRAWN_TIMEOUT_MS);
    return reply.ok ? { ok: true, ...readSnapshot(reply.snapshot as DbSnapshot) } : { ok: false, message: reply.message };
  } catch (e) {
    if (e instanceof MermaidTimeout) return { ok: false, message: e.message };
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/** Stops the Mermaid worker (end of a CLI run, tests). A later call starts a new one. */
export async function closeDrawn(): Promise<void> {
  await closeMermaid();
}
