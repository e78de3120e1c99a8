/**
 * The lenient flowchart reader: the model's text → the typed model
 * (model.ts), line by line. What it tolerates, and where:
 * - header.ts: `graph TB-LR`, `flowchart top-down`, statements after `;`;
 * - lines.ts: markdown bullets, trailing `%%`/`//` comments, `;` splits,
 *   `A[x]; --> B`;
 * - chain.ts / scan.ts: every node and link form;
 * - statements.ts: subgraph headers and styling statements;
 * - here: fences, a second diagram or prose after the code (reading stops
 *   or the line is left out), a stray `end`, a `-- text` whose arrow is on
 *   the next line, and the half-written last line of a cut answer.
 */
import type { DiagramChange } from '../types.ts';
import { isDiagramHeader } from '../../keywords.ts';
import { readChain, type ChainRead } from './chain.ts';
import { readHeader } from './header.ts';
import { normalizeFullWidth, splitLine, splitStatements, stripBullet } from './lines.ts';
import type { Arrow, Chain, Flowchart, NodeRef, Statement, Subgraph } from './model.ts';
import { joinLabels, linkStartsAt } from './scan.ts';
import {
  isStylePiece,
  keywordOf,
  readClass,
  readClassDef,
  readDirection,
  readLinkStyle,
  readStyle,
  readSubgraphHead,
} from './statements.ts';
import { replaceFirstSpaced } from '../../../../common/text.ts';

export interface FlowchartRead {
  chart: Flowchart;
  changes: DiagramChange[];
  /** 1-based input lines that are not diagram: header, fences, comments, prose, what follows the code. */
  notDiagram: number[];
}

const SOLID: Arrow = { line: 'solid', head: '>', startHead: '', extra: 0 };

interface Pending {
  /** Line number (1-based) and text of a line that was not read. */
  line: number;
  text: string;
}

export function readFlowchart(input: string): FlowchartRead | null {
  const lines = unescapeJsonString(input).split('\n');
  let i = 0;
  let title: string | undefined;
  // Front matter: only a title is kept (sanitize removed the rest already).
  while (i < lines.length && lines[i]!.trim() === '') i++;
  if (lines[i]?.trim() === '---') {
    const close = lines.findIndex((l, k) => k > i && l.trim() === '---');
    if (close !== -1) {
      const t = lines.slice(i + 1, close).find((l) => /^title:/.test(l.trim()));
      if (t) title = t.trim().slice(6).trim();
      i = close + 1;
    }
  }
  for (; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === '' || t.startsWith('%%') || t.startsWith('```')) continue;
    break;
  }
  const header = i < lines.length ? readHeader(stripBullet(lines[i]!)) : null;
  if (!header) return null;

  const chart: Flowchart = { keyword: header.keyword, dir: header.dir, body: [] };
  if (title) chart.title = title;
  const changes: DiagramChange[] = [];
  const notDiagram: number[] = [];
  for (let k = 0; k <= i; k++) notDiagram.push(k + 1);
  const stack: Subgraph[] = [];
  const unread: Pending[] = [];
  let lastStatementLine = i + 1;
  let last: Statement | null = null;
  /** The text of a `-- text` that waits for its arrow on the next line. */
  let dangling: { chain: Chain; text: string; line: number; arrow: Arrow } | null = null;

  /** Into the open subgraph; `last` (what a `--> E` line continues) is left as it was. */
  const place = (s: Statement) => (stack.length > 0 ? stack[stack.length - 1]!.body : chart.body).push(s);
  const push = (s: Statement) => {
    place(s);
    last = s;
  };

  const readPiece = (piece: string, lineNo: number, isLastLine: boolean): boolean => {
    const kw = keywordOf(piece);
    const rest = () => piece.slice(piece.search(/\s|$/)).trim();
    switch (kw) {
      case 'subgraph': {
        const head = readSubgraphHead(piece.slice(8));
        const sg: Subgraph = { kind: 'subgraph', id: head.id, body: [], line: lineNo };
        if (head.title !== undefined) sg.title = head.title;
        push(sg);
        stack.push(sg);
        return true;
      }
      case 'end':
        stack.pop(); // a stray `end` closes nothing and carries no content
        return true;
      case 'direction': {
        const dir = readDirection(rest());
        if (dir) push({ kind: 'direction', dir, line: lineNo });
        return dir !== null;
      }
      case 'classDef':
      case 'class':
      case 'style':
      case 'linkStyle': {
        const r = rest();
        const s = kw === 'classDef' ? readClassDef(r, lineNo) : kw === 'class' ? readClass(r, lineNo) : kw === 'style' ? readStyle(r, lineNo) : readLinkStyle(r, lineNo);
        if (s) push(s);
        return s !== null;
      }
      case 'click':
        return true; // interaction is never taken from a model (sanitize.ts)
      case 'acc':
        push({ kind: 'raw', text: piece, line: lineNo });
        return true;
      default:
        break;
    }
    // A piece that starts with a link continues the previous chain (`D -- "text"` / `--> E`).
    if (linkStartsAt(piece, 0) && last !== null && (last as Statement).kind === 'chain') {
      const prev = last as Chain;
      const joined = readChain(`_ ${piece}`);
      if (joined.groups.length > 1 && joined.leftover === '' && !joined.unfinished) {
        const links = joined.links;
        // `D -- "text"` / `--> E` (and `-->|more| E`): one link, its texts joined.
        if (dangling && dangling.chain === prev && links[0]) links[0] = { ...links[0], label: joinLabels(dangling.text, links[0].label ?? '') };
        else flushDangling();
        dangling = null;
        prev.groups.push(...joined.groups.slice(1));
        prev.links.push(...links);
        return true;
      }
    }
    const read = readChain(piece);
    // `D -->|yes|` / `E[Ship]`: a line that only declares a node, right after an edge with no target, is that target.
    if (dangling && dangling.chain === last && read.links.length === 0 && read.dangling === undefined && read.groups.length === 1 && read.leftover === '' && !read.unfinished && !isProse(read, piece)) {
      const { chain, text, arrow } = dangling;
      dangling = null;
      chain.groups.push(read.groups[0]!);
      chain.links.push({ arrow: arrow.head === '' && arrow.startHead === '' ? { ...arrow, head: '>', extra: 0 } : arrow, label: text });
      return true;
    }
    flushDangling();
    if (isProse(read, piece)) return false;
    if (read.unfinished && isLastLine) return false;
    const chain: Chain = { kind: 'chain', groups: read.groups, links: read.links, line: lineNo };
    push(chain);
    if (read.dangling) dangling = { chain, text: read.dangling, line: lineNo, arrow: read.danglingArrow ?? SOLID };
    return true;
  };

  /**
   * `D -- "text"` or `D -->|text|` that no target followed (often where the
   * answer was cut): the text is drawn as a node the edge points to, so no
   * word is lost and nothing is made up (reported).
   */
  const flushDangling = () => {
    if (!dangling) return;
    const { chain, text, line, arrow } = dangling;
    dangling = null;
    // A raw id no statement can write (slug() gives none): the printer makes a fresh `n<k>` id for it.
    const target: NodeRef = { raw: '\u2026'.repeat(++placeholders), needsId: true, label: text, classes: [] };
    chain.groups.push([target]);
    chain.links.push({ arrow: arrow.head === '' && arrow.startHead === '' ? { ...arrow, head: '>', extra: 0 } : arrow });
    changes.push({ kind: 'edge-text-as-node', message: `The edge text “${text}” has no target (the answer may stop there): drawn as a node the edge points to.`, line });
  };
  let placeholders = 0;

  const lastLine = lastContentLine(lines, i + 1);
  if (header.rest.trim() !== '') {
    for (const piece of splitStatements(header.rest)) readPiece(piece, i + 1, false);
  }
  for (let k = i + 1; k < lines.length; k++) {
    const lineNo = k + 1;
    const raw = lines[k]!;
    const t = raw.trim();
    if (t === '') {
      notDiagram.push(lineNo);
      continue;
    }
    const comment = commentText(t);
    if (comment !== null) {
      // Whole-line comments stay, as `%%` (a `//` or `#` comment is a parse error).
      if (comment !== '') place({ kind: 'raw', text: `%% ${comment}`, line: lineNo });
      notDiagram.push(lineNo);
      continue;
    }
    if (t.startsWith('```') || isDiagramHeader(t)) {
      // The closing fence or a second diagram: nothing after it is this diagram.
      for (let n = lineNo; n <= lines.length; n++) notDiagram.push(n);
      break;
    }
    const body = normalizeFullWidth(stripBullet(t));
    const { pieces, comment: trailing } = splitLine(body);
    // Mermaid takes `%%` only on a line of its own: a trailing comment is kept on the line above its statement.
    if (trailing) place({ kind: 'raw', text: `%% ${trailing}`, line: lineNo });
    let ok = true;
    let styling = false;
    for (const piece of pieces) {
      if (styling && isStylePiece(piece) && last && 'style' in (last as Statement)) {
        const s = last as Statement & { style: string };
        s.style = `${s.style},${replaceFirstSpaced(replaceFirstSpaced(piece.trim(), '=', ':'), ':', ':')}`;
        continue;
      }
      const kw = keywordOf(piece);
      styling = kw === 'style' || kw === 'classDef' || kw === 'linkStyle';
      if (!readPiece(piece, lineNo, k === lastLine)) ok = false;
    }
    if (ok) lastStatementLine = lineNo;
    else unread.push({ line: lineNo, text: t });
  }

  flushDangling();
  for (const u of unread) {
    if (u.line === lastLine + 1 && u.line > lastStatementLine && looksCut(u.text)) {
      changes.push({ kind: 'dropped-cut-line', message: `Dropped the unfinished last line: ${u.text}`, line: u.line });
    } else if (u.line < lastStatementLine) {
      changes.push({ kind: 'dropped-line', message: `Left out a line that is not part of the diagram: ${u.text}`, line: u.line });
    }
    else if (u.line > lastStatementLine) notDiagram.push(u.line); // prose after the diagram
  }
  if (chart.body.length === 0) return null;
  return { chart, changes, notDiagram };
}

/** The text of a whole-line comment (`%% x`, `// x`, `# x`), or null. */
function commentText(t: string): string | null {
  if (t.startsWith('%%')) return t.slice(2).trim();
  if (t.startsWith('//')) return t.slice(2).trim();
  if (t.startsWith('# ') || t === '#') return t.slice(1).trim();
  return null;
}

/** A chain read from a line with no link and several plain words is a sentence, not a node. */
function isProse(read: ChainRead, piece: string): boolean {
  if (read.groups.length === 0) return true;
  if (read.leftover !== '') return true;
  if (read.links.length > 0) return false;
  const only = read.groups[0]!;
  if (only.length !== 1) return false;
  const node = only[0]!;
  if (node.shape !== undefined) return false;
  // One word is a node declaration; several words or a trailing colon or period are prose.
  return /\s/.test(node.raw) || /[:.!?。：]$/.test(piece);
}

/** The unfinished look of a cut line: an open bracket, quote or pipe, or a link with no target. */
function looksCut(text: string): boolean {
  const read = readChain(stripBullet(text));
  if (read.unfinished || read.dangling !== undefined) return true;
  if ((text.split('"').length - 1) % 2 === 1) return true;
  return read.links.length > 0 && read.leftover !== '' && /[-=>&|,]$/.test(text.trimEnd());
}

function lastContentLine(lines: string[], from: number): number {
  let last = from - 1;
  for (let k = from; k < lines.length; k++) {
    const t = lines[k]!.trim();
    if (t.startsWith('```')) break;
    if (t !== '' && !t.startsWith('%%')) last = k;
  }
  return last;
}

/** An answer that is one JSON string: `"flowchart TD\nA --> B"`. */
function unescapeJsonString(code: string): string {
  const t = code.trim();
  if (t.includes('\n') || !t.includes('\\n')) return code;
  if (t.startsWith('"') && t.endsWith('"')) {
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v === 'string') return v;
    } catch {
      // not JSON after all: unescape by hand below
    }
  }
  return t.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\t/g, '  ');
}
