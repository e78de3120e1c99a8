/**
 * Mermaid's internal ids → the names our protocol uses (`DiagramType` in
 * common/limits.ts) where one exists; other types keep mermaid's id. Pure;
 * shared so the editor's own validation names types as the server does.
 */
const TYPE_NAMES: Record<string, string> = {
  'flowchart-v2': 'flowchart',
  'flowchart-elk': 'flowchart',
  flowchart: 'flowchart',
  graph: 'flowchart',
  stateDiagram: 'state',
  classDiagram: 'class',
  sequence: 'sequence',
  er: 'er',
};

export function normalizeDiagramType(mermaidType: string): string {
  return TYPE_NAMES[mermaidType] ?? mermaidType;
}
