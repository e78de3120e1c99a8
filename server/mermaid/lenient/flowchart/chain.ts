/**
 * One statement of nodes and links: `A & B -->|x| C --> D`. Lenient: spaced
 * ids, quoted ids, every link-text form (scan.ts), an unclosed `|label`
 * (the target is found after it), a dangling `-- text` at the end.
 */
import type { Link, NodeRef } from './model.ts';
import { joinLabels, readLink, readNode, skipSpaces } from './scan.ts';

export interface ChainRead {
  groups: NodeRef[][];
  links: Link[];
  /** Text after the last node that is not a link: the statement was not fully read. */
  leftover: string;
  /** A label or quote left open, or a link with no target: what a cut line looks like. */
  unfinished: boolean;
  /** `D -- "text"` or `D -->|text|` with nothing after: the text, kept by the caller. */
  dangling?: string;
  /** The arrow written before the dangling text. */
  danglingArrow?: Link['arrow'];
}

/** At most this many places are tried as the target after an unclosed `|label`. */
const MAX_TARGET_TRIES = 24;

export function readChain(s: string, allowSpaced = true): ChainRead {
  const groups: NodeRef[][] = [];
  const links: Link[] = [];
  let i = 0;
  let unfinished = false;
  for (;;) {
    const g = readGroup(s, i, allowSpaced);
    if (!g) {
      const rest = s.slice(i).trim();
      const open = links.length > groups.length - 1 ? links[links.length - 1] : undefined;
      if (links.length > groups.length - 1) links.length = groups.length - 1;
      // `D -->|text|` and nothing after: the text is kept by the caller, like `D -- "text"`.
      if (open?.label !== undefined && rest === '') return { groups, links, leftover: '', unfinished: false, dangling: open.label, danglingArrow: open.arrow };
      if (open !== undefined && rest === '') unfinished = true; // `A -->` : no target
      return { groups, links, leftover: rest, unfinished };
    }
    groups.push(g.nodes);
    i = g.end;
    if (g.unclosed) return { groups, links, leftover: '', unfinished: true };
    const l = readLink(s, i);
    if (!l) {
      const rest = s.slice(i).trim();
      // `A ->> B: text`, `A --> B : text`: a message-style label after the target.
      if (rest.startsWith(':') && links.length > 0 && rest.slice(1).trim() !== '') {
        const last = links[links.length - 1]!;
        links[links.length - 1] = { ...last, label: joinLabels(last.label, rest.slice(1)) };
        return { groups, links, leftover: '', unfinished };
      }
      return { groups, links, leftover: rest, unfinished };
    }
    if (l.dangling !== undefined) {
      const text = l.dangling.replace(/^"|"$/g, '').trim();
      const oddQuotes = (l.dangling.split('"').length - 1) % 2 === 1;
      return { groups, links, leftover: '', unfinished: text === '' || oddQuotes, dangling: text, danglingArrow: l.link.arrow };
    }
    if (l.openPipe !== undefined) return withOpenPipe(s, l.link, l.openPipe, groups, links);
    links.push(l.link);
    i = l.end;
  }
}

/** `A -->|yes B[Ship]`: the label ends before the first place from which the rest reads as nodes. */
function withOpenPipe(s: string, link: Link, textStart: number, groups: NodeRef[][], links: Link[]): ChainRead {
  let tries = 0;
  for (let k = textStart + 1; k < s.length && tries < MAX_TARGET_TRIES; k++) {
    if (s[k - 1] !== ' ' || s[k] === ' ') continue;
    tries++;
    const tail = readChain(s.slice(k), false);
    if (tail.groups.length === 0 || tail.leftover !== '' || tail.unfinished) continue;
    const label = joinLabels(link.label, s.slice(textStart, k));
    const fixed: Link = { arrow: link.arrow };
    if (label !== '') fixed.label = label;
    const read: ChainRead = { groups: [...groups, ...tail.groups], links: [...links, fixed, ...tail.links], leftover: '', unfinished: false };
    if (tail.dangling !== undefined) read.dangling = tail.dangling;
    if (tail.danglingArrow !== undefined) read.danglingArrow = tail.danglingArrow;
    return read;
  }
  return { groups, links, leftover: '', unfinished: true };
}

function readGroup(s: string, i: number, allowSpaced: boolean): { nodes: NodeRef[]; end: number; unclosed: boolean } | null {
  const nodes: NodeRef[] = [];
  let j = skipSpaces(s, i);
  for (;;) {
    const n = readNode(s, j, allowSpaced);
    if (!n) return nodes.length > 0 ? { nodes, end: j, unclosed: false } : null;
    nodes.push(n.node);
    j = n.end;
    if (n.unclosed) return { nodes, end: j, unclosed: true };
    const k = skipSpaces(s, j);
    if (s[k] !== '&') return { nodes, end: j, unclosed: false };
    j = skipSpaces(s, k + 1);
  }
}
