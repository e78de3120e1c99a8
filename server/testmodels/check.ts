/**
 * Structural checks of an ONNX graph in JavaScript (the parts of
 * `onnx.checker` that catch builder mistakes), complementing "onnxruntime
 * loads and runs it":
 *
 *   checkGraph(graph, { domains? }) → list of problems ([] when fine)
 *   assertValid(graph)               → throws with the problems listed
 *
 * - every value is produced once (SSA): no node output repeats a graph input,
 *   an initializer or another node's output;
 * - nodes are in topological order: each input ('' = omitted optional) is a
 *   graph input, an initializer, an earlier node's output, or a name from the
 *   enclosing scopes (for Loop/If/Scan bodies, checked recursively);
 * - every graph output is produced; node names are unique;
 * - every node's domain is among `domains` (default '' and com.microsoft).
 */
import type { GraphProto } from './onnx-builder.ts';

export interface CheckOptions {
  domains?: string[];
}

export function checkGraph(graph: GraphProto, opts: CheckOptions = {}, outer: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const domains = new Set(opts.domains ?? ['', 'com.microsoft']);
  const where = graph.name ?? '(graph)';
  const defined = new Set<string>();
  const define = (name: string, what: string) => {
    if (defined.has(name)) problems.push(`${where}: ${what} '${name}' is defined twice`);
    defined.add(name);
  };
  for (const i of graph.input ?? []) define(i.name!, 'input');
  for (const t of graph.initializer ?? []) {
    // an initializer may also be listed as an input (overridable default)
    if (!(graph.input ?? []).some((i) => i.name === t.name)) define(t.name!, 'initializer');
  }
  const nodeNames = new Set<string>();
  for (const node of graph.node ?? []) {
    const label = `${where}: ${node.opType} '${node.name ?? ''}'`;
    if (node.name) {
      if (nodeNames.has(node.name)) problems.push(`${label}: duplicate node name`);
      nodeNames.add(node.name);
    }
    if (!domains.has(node.domain ?? '')) problems.push(`${label}: domain '${node.domain}' is not imported`);
    for (const input of node.input ?? []) {
      if (input !== '' && !defined.has(input) && !outer.has(input)) problems.push(`${label}: input '${input}' is not defined before use`);
    }
    for (const attr of node.attribute ?? []) {
      const subgraphs = [...(attr.g ? [attr.g] : []), ...(attr.graphs ?? [])];
      for (const sub of subgraphs) problems.push(...checkGraph(sub, opts, new Set([...outer, ...defined])));
    }
    for (const output of node.output ?? []) if (output !== '') define(output, `output of ${node.opType}`);
  }
  for (const o of graph.output ?? []) {
    if (!defined.has(o.name!) && !outer.has(o.name!)) problems.push(`${where}: graph output '${o.name}' is never produced`);
  }
  return problems;
}

export function assertValid(graph: GraphProto, opts: CheckOptions = {}): void {
  const problems = checkGraph(graph, opts);
  if (problems.length) throw new Error(`invalid ONNX graph:\n${problems.slice(0, 20).join('\n')}`);
}
