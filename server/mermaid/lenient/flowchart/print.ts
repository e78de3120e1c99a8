/**
 * The flowchart printer: the typed model → canonical Mermaid the parser
 * accepts. Statements keep their order and their subgraph (so membership is
 * kept); a node's shape and label are printed at its first mention, always
 * quoted; ids are never keywords (ids.ts); a `linkStyle` index past the last
 * edge so far, or a style for a node that does not exist, is left out
 * (`dropped-style`: Mermaid fails on the first and draws an invented node
 * for the second).
 */
import type { DiagramChange } from '../types.ts';
import { labelText, quoteLabel } from '../text.ts';
import { IdTable, type Version } from './ids.ts';
import type { Arrow, Chain, Flowchart, Link, NodeRef, Shape, Statement } from './model.ts';
import { isPlainId } from './scan.ts';

const INDENT = '    ';
/**
 * Deeper subgraphs are indented no further. Mermaid's flowchart lexer is
 * quadratic in the length of a run of spaces (several rules start with
 * `\s*` and are tried at each space): 500 nested subgraphs indented in full
 * are 500 KB of spaces and time the parser out; at 32 spaces a line the
 * parse of 1,000 lines takes 0.5 s, at no indentation 70 ms.
 */
const MAX_INDENT_DEPTH = 3;

const OPEN_CLOSE: Record<Shape, readonly [string, string]> = {
  rect: ['[', ']'],
  round: ['(', ')'],
  stadium: ['([', '])'],
  subroutine: ['[[', ']]'],
  cylinder: ['[(', ')]'],
  circle: ['((', '))'],
  'double-circle': ['(((', ')))'],
  asymmetric: ['>', ']'],
  rhombus: ['{', '}'],
  hexagon: ['{{', '}}'],
  'lean-right': ['[/', '/]'],
  'lean-left': ['[\\', '\\]'],
  trapezoid: ['[/', '\\]'],
  'trapezoid-alt': ['[\\', '/]'],
};

export interface Printed {
  code: string;
  changes: DiagramChange[];
  /** The model's ids of labelled nodes that were renamed (not drawn before, not written now). */
  undrawn: string[];
}

export function printFlowchart(chart: Flowchart): Printed {
  const ids = new IdTable(plainIds(chart.body));
  const versions = resolve(chart.body, ids);
  const changes: DiagramChange[] = [];
  const out: string[] = [];
  if (chart.title) out.push('---', `title: ${chart.title}`, '---');
  out.push(`${chart.keyword} ${chart.dir ?? 'TD'}`);
  let edges = 0;

  const printStatements = (body: Statement[], depth: number) => {
    const pad = INDENT.repeat(Math.min(depth, MAX_INDENT_DEPTH));
    for (const s of body) {
      switch (s.kind) {
        case 'chain':
          for (const line of printChain(s, versions)) out.push(pad + line);
          edges += edgeCount(s);
          break;
        case 'subgraph': {
          const v = ids.subgraph(s.id);
          const title = s.title !== undefined ? labelText(s.title) : s.id !== null && v.id !== s.id ? labelText(s.id) : undefined;
          out.push(`${pad}subgraph ${v.id}${title !== undefined && title !== '' ? ` [${quoteLabel(title)}]` : ''}`);
          printStatements(s.body, depth + 1);
          out.push(`${pad}end`);
          break;
        }
        case 'direction':
          out.push(`${pad}direction ${s.dir}`);
          break;
        case 'classDef':
          out.push(`${pad}classDef ${s.names.map((n) => ids.className(n)).join(',')} ${s.style}`);
          break;
        case 'class': {
          const targets = s.ids.flatMap((raw) => ids.versions(raw).map((v) => v.id));
          if (targets.length === 0) {
            changes.push(dropped(`class ${s.ids.join(',')} ${s.name}`, 'names no node of the diagram', s.line));
            break;
          }
          out.push(`${pad}class ${targets.join(',')} ${ids.className(s.name)}`);
          break;
        }
        case 'style': {
          const targets = ids.versions(s.id);
          if (targets.length === 0) {
            changes.push(dropped(`style ${s.id}`, 'names no node of the diagram', s.line));
            break;
          }
          for (const v of targets) out.push(`${pad}style ${v.id} ${s.style}`);
          break;
        }
        case 'linkStyle': {
          if (s.indices === 'default') {
            out.push(`${pad}linkStyle default ${s.style}`);
            break;
          }
          const ok = s.indices.filter((n) => n < edges);
          if (ok.length < s.indices.length) {
            changes.push(dropped(`linkStyle ${s.indices.filter((n) => n >= edges).join(',')}`, `there ${edges === 1 ? 'is 1 edge' : `are ${edges} edges`}`, s.line));
          }
          if (ok.length > 0) out.push(`${pad}linkStyle ${ok.join(',')} ${s.style}`);
          break;
        }
        case 'raw':
          out.push(pad + s.text);
          break;
      }
    }
  };
  printStatements(chart.body, 1);
  return { code: out.join('\n'), changes: [...ids.changes, ...changes], undrawn: ids.undrawn() };
}

function dropped(what: string, why: string, line: number): DiagramChange {
  return { kind: 'dropped-style', message: `Left out \`${what}\`: ${why}.`, line };
}

/** A chain as printed lines: one line, or one per link when a link points backwards (`A <-- B`). */
function printChain(s: Chain, versions: Map<NodeRef, Version>): string[] {
  const groups = s.groups.map((g) => g.map((ref) => versions.get(ref)!));
  if (!s.links.some((l) => l.reversed)) {
    let line = printGroup(groups[0]!);
    for (let k = 0; k < s.links.length; k++) line += ` ${printLink(s.links[k]!)} ${printGroup(groups[k + 1]!)}`;
    return [line];
  }
  return s.links.map((l, k) => {
    const [from, to] = l.reversed ? [groups[k + 1]!, groups[k]!] : [groups[k]!, groups[k + 1]!];
    return `${printGroup(from)} ${printLink(l)} ${printGroup(to)}`;
  });
}

function printGroup(group: Version[]): string {
  return group.map(printNode).join(' & ');
}

function printNode(v: Version): string {
  if (v.defined || v.subgraph || v.label === undefined) {
    v.defined = true;
    return v.id;
  }
  v.defined = true;
  const [open, close] = OPEN_CLOSE[v.shape ?? 'rect'];
  return `${v.id}${open}${quoteLabel(v.label)}${close}`;
}

function printLink(l: Link): string {
  const arrow = printArrow(l.arrow);
  return l.label !== undefined && labelText(l.label) !== '' ? `${arrow}|${quoteLabel(labelText(l.label))}|` : arrow;
}

export function printArrow(a: Arrow): string {
  const start = a.startHead === '>' ? '<' : a.startHead;
  const extra = Math.max(0, Math.min(a.extra, 3));
  switch (a.line) {
    case 'invisible':
      return '~~~';
    case 'thick':
      return a.head === '' ? `${start}${'='.repeat(3 + extra)}` : `${start}${'='.repeat(2 + extra)}${a.head}`;
    case 'dotted':
      return `${start}-${'.'.repeat(1 + extra)}-${a.head}`;
    default:
      return a.head === '' ? `${start}${'-'.repeat(3 + extra)}` : `${start}${'-'.repeat(2 + extra)}${a.head}`;
  }
}

function edgeCount(s: Chain): number {
  let n = 0;
  for (let k = 0; k < s.links.length; k++) n += s.groups[k]!.length * s.groups[k + 1]!.length;
  return n;
}

/** Pass 1: every mention → its version, in reading order (subgraph ids first met where they open). */
function resolve(body: Statement[], ids: IdTable): Map<NodeRef, Version> {
  const map = new Map<NodeRef, Version>();
  const walk = (list: Statement[]) => {
    for (const s of list) {
      if (s.kind === 'chain') for (const g of s.groups) for (const ref of g) map.set(ref, ids.mention(ref, s.line));
      if (s.kind === 'subgraph') {
        if (s.id !== null) ids.subgraph(s.id);
        walk(s.body);
      }
    }
  };
  walk(body);
  return map;
}

/** The model's ids that are already plain: generated ids never take them. */
function plainIds(body: Statement[]): string[] {
  const out: string[] = [];
  const walk = (list: Statement[]) => {
    for (const s of list) {
      if (s.kind === 'chain') for (const g of s.groups) for (const n of g) if (isPlainId(n.raw)) out.push(n.raw);
      if (s.kind === 'subgraph') {
        if (s.id !== null && isPlainId(s.id)) out.push(s.id);
        walk(s.body);
      }
    }
  };
  walk(body);
  return out;
}

export type { NodeRef };
