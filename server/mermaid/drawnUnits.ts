/**
 * Reads a snapshot of Mermaid's diagram database (made by drawn.ts's worker)
 * into what the diagram draws: its units, each with its id and label, and
 * every text drawn (labels, edge labels, messages, titles, members…). Pure.
 *
 * A unit is what the model named and expects to see as one box, lane, slice
 * or point: flowchart nodes and subgraphs, sequence participants, states,
 * classes, ER entities, gantt/journey tasks, mindmap nodes, timeline
 * periods, pie slices, quadrant points, xychart categories, sankey nodes,
 * blocks, gitGraph branches and named commits, requirements and elements.
 */

/** What drawn.ts's worker sends: the diagram type and each getter's output as plain data. */
export interface DbSnapshot {
  type: string;
  title: string | null;
  data: Record<string, unknown>;
}

export interface DrawnUnit {
  id: string;
  label: string;
  /** The id of the unit drawn around it (subgraph, composite state, mindmap parent), if any. */
  parent?: string;
}

export interface Drawn {
  /** Mermaid's own type id (flowchart-v2, sequence, stateDiagram, …). */
  diagramType: string;
  units: DrawnUnit[];
  texts: string[];
}

type Rec = Record<string, unknown>;

const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A Map came over as [key, value] pairs; its values. */
const mapValues = (v: unknown): unknown[] => list(v).map((pair) => (Array.isArray(pair) ? pair[1] : pair));
const mapEntries = (v: unknown): [string, unknown][] =>
  list(v).flatMap((pair) => (Array.isArray(pair) ? [[str(pair[0]), pair[1]] as [string, unknown]] : []));

class Collector {
  readonly units: DrawnUnit[] = [];
  readonly texts: string[] = [];
  unit(id: unknown, label: unknown = id, parent?: unknown): void {
    const i = str(id).trim();
    const l = str(label).trim() || i;
    const p = str(parent).trim();
    if (i || l) this.units.push(p ? { id: i, label: l, parent: p } : { id: i, label: l });
    this.text(l);
  }
  text(...values: unknown[]): void {
    for (const v of values) {
      const s = str(v).trim();
      if (s) this.texts.push(s);
    }
  }
}

type Reader = (data: Rec, c: Collector) => void;

const flowchart: Reader = (d, c) => {
  // Mermaid lists inner subgraphs before the ones around them: the first one naming a node is its parent.
  const parent = new Map<string, string>();
  for (const s of list(d.getSubGraphs)) {
    if (!isRec(s)) continue;
    for (const n of list(s.nodes)) if (!parent.has(str(n))) parent.set(str(n), str(s.id));
  }
  for (const v of mapValues(d.getVertices)) if (isRec(v)) c.unit(v.id, v.text, parent.get(str(v.id)));
  for (const e of list(d.getEdges)) if (isRec(e)) c.text(e.text);
  for (const s of list(d.getSubGraphs)) if (isRec(s)) c.unit(s.id, s.title, parent.get(str(s.id)));
};

const sequence: Reader = (d, c) => {
  for (const a of mapValues(d.getActors)) if (isRec(a)) c.unit(a.name, a.description);
  for (const m of list(d.getMessages)) if (isRec(m)) c.text(m.message);
  for (const b of list(d.getBoxes)) if (isRec(b)) c.text(b.name);
};

const state: Reader = (d, c) => {
  const data = isRec(d.getData) ? d.getData : {};
  for (const n of list(data.nodes)) {
    if (!isRec(n)) continue;
    const id = str(n.id);
    const shape = str(n.shape);
    if (shape === 'stateStart' || shape === 'stateEnd' || shape === 'noteGroup') continue;
    if (shape === 'note') c.text(n.label);
    else c.unit(id, n.label, n.parentId);
    for (const line of list(n.description)) c.text(line);
  }
  for (const e of list(data.edges)) if (isRec(e)) c.text(e.label);
};

const classDiagram: Reader = (d, c) => {
  for (const k of mapValues(d.getClasses)) {
    if (!isRec(k)) continue;
    c.unit(k.id, k.label);
    // Members are stored escaped for Markdown (`\+String name`), drawn without the backslash.
    for (const m of [...list(k.members), ...list(k.methods)]) if (isRec(m)) c.text(str(m.text).replace(/\\([+\-#~])/g, '$1'));
    c.text(...list(k.annotations));
  }
  for (const r of list(d.getRelations)) {
    if (!isRec(r)) continue;
    c.text(r.title);
    for (const t of [r.relationTitle1, r.relationTitle2]) if (t !== 'none') c.text(t);
  }
  for (const n of mapValues(d.getNotes)) if (isRec(n)) c.text(n.text);
  for (const [name] of mapEntries(d.getNamespaces)) c.text(name);
};

const er: Reader = (d, c) => {
  for (const [name, e] of mapEntries(d.getEntities)) {
    if (!isRec(e)) continue;
    c.unit(name, str(e.alias) || str(e.label) || name);
    for (const a of list(e.attributes)) if (isRec(a)) c.text(a.type, a.name, a.comment, ...list(a.keys));
  }
  for (const r of list(d.getRelationships)) if (isRec(r)) c.text(r.roleA);
};

/** gantt, journey: tasks with sections (journey adds its actors). */
const tasks: Reader = (d, c) => {
  c.text(...list(d.getSections));
  for (const t of list(d.getTasks)) {
    if (!isRec(t)) continue;
    c.unit(t.task, t.task);
    c.text(...list(t.people));
  }
};

const timeline: Reader = (d, c) => {
  c.text(...list(d.getSections));
  for (const t of list(d.getTasks)) {
    if (!isRec(t)) continue;
    c.unit(t.task, t.task);
    c.text(...list(t.events));
  }
};

const mindmap: Reader = (d, c) => {
  const walk = (node: unknown, depth: number, parent: string): void => {
    if (!isRec(node) || depth > 200) return;
    c.unit(node.nodeId, node.descr, parent);
    for (const child of list(node.children)) walk(child, depth + 1, str(node.nodeId));
  };
  walk(d.getMindmap, 0, '');
};

const pie: Reader = (d, c) => {
  for (const [label] of mapEntries(d.getSections)) c.unit(label, label);
};

const quadrant: Reader = (d, c) => {
  const q = isRec(d.getQuadrantData) ? d.getQuadrantData : {};
  const textOf = (v: unknown) => (isRec(v) && isRec(v.text) ? v.text.text : isRec(v) ? v.text : '');
  for (const p of list(q.points)) c.unit(textOf(p), textOf(p));
  for (const quad of list(q.quadrants)) c.text(textOf(quad));
  for (const label of list(q.axisLabels)) c.text(isRec(label) ? label.text : '');
  c.text(isRec(q.title) ? q.title.text : '');
};

const xychart: Reader = (d, c) => {
  const x = isRec(d.getXYChartData) ? d.getXYChartData : {};
  const xAxis = isRec(x.xAxis) ? x.xAxis : {};
  const yAxis = isRec(x.yAxis) ? x.yAxis : {};
  for (const cat of list(xAxis.categories)) c.unit(cat, cat);
  c.text(xAxis.title, yAxis.title, x.title);
  for (const p of list(x.plots)) if (isRec(p)) c.text(p.title);
};

const sankey: Reader = (d, c) => {
  for (const n of list(d.getNodes)) if (isRec(n)) c.unit(n.ID, n.ID);
};

const block: Reader = (d, c) => {
  const parent = new Map<string, string>();
  for (const b of list(d.getBlocksFlat)) {
    if (!isRec(b) || b.id === 'root') continue;
    for (const child of list(b.children)) if (isRec(child)) parent.set(str(child.id), str(b.id));
  }
  for (const b of list(d.getBlocksFlat)) {
    if (!isRec(b) || b.id === 'root') continue;
    if (str(b.type) === 'space') continue;
    c.unit(b.id, b.label, parent.get(str(b.id)));
  }
  for (const e of list(d.getEdges)) if (isRec(e)) c.text(e.label);
};

/** Mermaid names commits it numbers itself `<seq>-<hash>`: those are not the model's. */
const AUTO_COMMIT = /^\d+-[0-9a-f]{7}$/;

const gitGraph: Reader = (d, c) => {
  for (const b of list(d.getBranchesAsObjArray)) if (isRec(b)) c.unit(b.name, b.name);
  for (const k of list(d.getCommitsArray)) {
    if (!isRec(k)) continue;
    const id = str(k.id);
    if (!AUTO_COMMIT.test(id)) c.unit(id, id);
    if (!/^merged branch /.test(str(k.message))) c.text(k.message);
    c.text(...list(k.tags));
  }
};

const requirement: Reader = (d, c) => {
  for (const r of mapValues(d.getRequirements)) {
    if (!isRec(r)) continue;
    c.unit(r.name, r.name);
    c.text(r.requirementId, r.text, r.risk, r.verifyMethod);
  }
  for (const e of mapValues(d.getElements)) {
    if (!isRec(e)) continue;
    c.unit(e.name, e.name);
    c.text(e.type, e.docRef);
  }
  for (const r of list(d.getRelationships)) if (isRec(r)) c.text(r.type);
};

const READERS: Record<string, Reader> = {
  'flowchart-v2': flowchart,
  flowchart,
  sequence,
  stateDiagram: state,
  classDiagram,
  er,
  gantt: tasks,
  journey: tasks,
  timeline,
  mindmap,
  pie,
  quadrantChart: quadrant,
  xychart,
  sankey,
  block,
  gitGraph,
  requirement,
};

export function readSnapshot(snapshot: DbSnapshot): Drawn {
  const c = new Collector();
  c.text(snapshot.title);
  READERS[snapshot.type]?.(snapshot.data ?? {}, c);
  return { diagramType: snapshot.type, units: c.units, texts: c.texts };
}
