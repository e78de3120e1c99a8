/**
 * Words the flowchart grammar reads as keywords where a node id would stand.
 * The printer never uses them as ids (`end` → `end_`, drawn as "end").
 */
const RESERVED = new Set([
  'end',
  'subgraph',
  'graph',
  'flowchart',
  'flowchart-elk',
  'style',
  'class',
  'classDef',
  'linkStyle',
  'click',
  'call',
  'href',
  'direction',
  'default',
  'interpolate',
]);

/** Case-sensitive, like the grammar (`End --> B` parses, `end --> B` does not). */
export function isReservedId(id: string): boolean {
  return RESERVED.has(id);
}
