/**
 * The flowchart grammar, as a byte automaton (see dfa.ts). What it accepts is
 * a subset of what Mermaid's parser accepts (flowchart.test.ts checks random
 * walks through it against mermaid.parse):
 *
 *   flowchart TD|LR \n                      header (prefilled by the engine)
 *   then lines, each: indentation, one statement or none, trailing spaces, \n
 *     node       ID  ID["…"]  ID("…")  ID{"…"}  ID(["…"])  ID(("…"))
 *     chain      node ARROW node ARROW node …     ARROW: --> -.-> ==> ---, optionally |"…"| after it
 *     subgraph   subgraph ID   subgraph ID ["title"]   (nesting at most maxDepth)
 *     end        closes the innermost subgraph
 *
 * ID: an ASCII letter, then letters, digits, `_`; never one of RESERVED (any
 * case: Mermaid's lexer takes some of them case-insensitively). Labels: one or
 * more characters of valid UTF-8 except `"`, a backtick (a leading one makes a
 * Markdown string with rules of its own) and control characters. The text is
 * complete (accepting) at a line boundary at depth 0, or after a complete
 * statement at depth 0 (a run may stop there without a newline).
 *
 * Left out (repair still covers them): `graph` headers and other directions,
 * unquoted labels, `A & B`, `:::class`, `classDef`/`style`/`click`/`linkStyle`,
 * `direction` inside subgraphs, comments, `;`, other arrow lengths and heads
 * (`--o`, `<-->`, `--->`), `A -- text --> B` labels, other shapes.
 */
import { buildDfa, type ByteDfa } from './dfa.ts';

/** Ids Mermaid's flowchart parser refuses (checked against mermaid.parse in flowchart.test.ts). */
export const RESERVED = ['end', 'subgraph', 'graph', 'flowchart', 'style', 'classDef', 'class', 'click', 'linkStyle', 'interpolate', 'call', 'href', 'default'];
const RESERVED_LOWER = RESERVED.map((w) => w.toLowerCase());

export const DEFAULT_MAX_DEPTH = 3;

const PREFIXES = new Set(RESERVED_LOWER.flatMap((w) => Array.from({ length: w.length + 1 }, (_, i) => w.slice(0, i))));

type Closer = ']' | ')' | '}' | '])' | '))';
/** Where a quoted string sits: a node's label (with its closing brackets), an edge label, a subgraph title. */
type LabelKind = { node: Closer } | { edge: true } | { title: true };

type S =
  | { k: 'hdr'; p: string }
  | { k: 'ls'; d: number } // line start (indentation)
  | { k: 'id'; ctx: 'stmt' | 'tgt' | 'sg'; d: number; t: string; raw: string } // t: lower-cased prefix of a reserved word, or '*'
  | { k: 'open'; d: number; lab: LabelKind } // expects the opening quote
  | { k: 'paren'; d: number } // after `ID(`: `"`, `[` or `(`
  | { k: 'lab'; d: number; lab: LabelKind; u: string; n: boolean } // u: pending UTF-8 continuation state
  | { k: 'close'; d: number; lab: LabelKind; rest: string } // after the closing quote
  | { k: 'node'; d: number } // a node is complete
  | { k: 'sp'; d: number } // spaces after a node
  | { k: 'arrow'; d: number; p: string }
  | { k: 'arrowDone'; d: number }
  | { k: 'edgeLabelDone'; d: number }
  | { k: 'tgtSp'; d: number; min: boolean } // before a target id (min: one space already seen)
  | { k: 'sgSp'; d: number } // after `subgraph `
  | { k: 'sgId'; d: number } // after `subgraph ID `
  | { k: 'eol'; d: number; spaces: boolean }; // only newline (spaces: trailing spaces allowed)

const isLetter = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
const isIdChar = (b: number) => isLetter(b) || (b >= 0x30 && b <= 0x39) || b === 0x5f;
const SP = 0x20;
const NL = 0x0a;
const ARROWS = ['-->', '-.->', '==>', '---'];
const ch = (b: number) => String.fromCharCode(b);

export interface FlowchartGrammarOptions {
  /** Deepest subgraph nesting (default 3). */
  maxDepth?: number;
  /** Directions the header may name (default TD and LR). */
  directions?: string[];
}

/** UTF-8: the state after byte b, from pending state u ('' = at a character boundary); null = invalid. */
function utf8(u: string, b: number): string | null {
  if (u === '') {
    if (b >= 0xc2 && b <= 0xdf) return '1';
    if (b === 0xe0) return 'E0';
    if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) return '2';
    if (b === 0xed) return 'ED';
    if (b === 0xf0) return 'F0';
    if (b >= 0xf1 && b <= 0xf3) return '3';
    if (b === 0xf4) return 'F4';
    return null;
  }
  const [lo, hi, then] = ({ '1': [0x80, 0xbf, ''], '2': [0x80, 0xbf, '1'], '3': [0x80, 0xbf, '2'], E0: [0xa0, 0xbf, '1'], ED: [0x80, 0x9f, '1'], F0: [0x90, 0xbf, '2'], F4: [0x80, 0x8f, '2'] } as Record<string, [number, number, string]>)[u]!;
  return b >= lo && b <= hi ? then : null;
}

function closerOf(lab: LabelKind): string {
  return 'node' in lab ? lab.node : 'edge' in lab ? '|' : ']';
}

export function flowchartGrammar(opts: FlowchartGrammarOptions = {}) {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const headers = (opts.directions ?? ['TD', 'LR']).map((d) => `flowchart ${d}\n`);

  /** A complete id followed by byte b. */
  function afterId(s: Extract<S, { k: 'id' }>, b: number): S | null {
    const { d, ctx, t } = s;
    const word = t !== '*' && RESERVED_LOWER.includes(t) ? t : null;
    if (word) {
      if (ctx !== 'stmt') return null;
      if (s.raw === 'end' && d > 0) return b === NL ? { k: 'ls', d: d - 1 } : b === SP ? { k: 'eol', d: d - 1, spaces: true } : null;
      if (s.raw === 'subgraph' && d < maxDepth && b === SP) return { k: 'sgSp', d };
      return null;
    }
    if (ctx === 'sg') {
      if (b === NL) return { k: 'ls', d: d + 1 };
      if (b === SP) return { k: 'sgId', d };
      if (b === 0x5b) return { k: 'open', d, lab: { title: true } };
      return null;
    }
    if (b === 0x5b) return { k: 'open', d, lab: { node: ']' } };
    if (b === 0x7b) return { k: 'open', d, lab: { node: '}' } };
    if (b === 0x28) return { k: 'paren', d };
    return step({ k: 'node', d }, b);
  }

  function step(s: S, b: number): S | null {
    switch (s.k) {
      case 'hdr': {
        const p = s.p + ch(b);
        if (headers.includes(p)) return { k: 'ls', d: 0 };
        return headers.some((h) => h.startsWith(p)) ? { k: 'hdr', p } : null;
      }
      case 'ls':
        if (b === SP || b === NL) return s;
        return isLetter(b) ? startId('stmt', s.d, b) : null;
      case 'id':
        if (isIdChar(b)) {
          const lower = ch(b).toLowerCase();
          const t = s.t !== '*' && PREFIXES.has(s.t + lower) ? s.t + lower : '*';
          // raw is only needed while it can still spell `end` or `subgraph` exactly
          const raw = s.raw + ch(b);
          return { ...s, t, raw: 'subgraph'.startsWith(raw) || 'end'.startsWith(raw) ? raw : '*' };
        }
        return afterId(s, b);
      case 'open':
        return b === 0x22 ? { k: 'lab', d: s.d, lab: s.lab, u: '', n: false } : null;
      case 'paren':
        if (b === 0x22) return { k: 'lab', d: s.d, lab: { node: ')' }, u: '', n: false };
        if (b === 0x5b) return { k: 'open', d: s.d, lab: { node: '])' } };
        if (b === 0x28) return { k: 'open', d: s.d, lab: { node: '))' } };
        return null;
      case 'lab': {
        if (s.u === '') {
          if (b === 0x22) return s.n ? { k: 'close', d: s.d, lab: s.lab, rest: closerOf(s.lab) } : null;
          if (b >= 0x20 && b < 0x7f) return b === 0x60 ? null : { ...s, n: true };
        }
        const u = utf8(s.u, b);
        return u === null ? null : { ...s, u, n: true };
      }
      case 'close': {
        if (b !== s.rest.charCodeAt(0)) return null;
        const rest = s.rest.slice(1);
        if (rest) return { ...s, rest };
        if ('node' in s.lab) return { k: 'node', d: s.d };
        if ('edge' in s.lab) return { k: 'edgeLabelDone', d: s.d };
        return { k: 'eol', d: s.d + 1, spaces: false }; // Mermaid refuses spaces after a subgraph title
      }
      case 'node':
        return b === SP ? { k: 'sp', d: s.d } : b === NL ? { k: 'ls', d: s.d } : null;
      case 'sp':
        if (b === SP) return s;
        if (b === NL) return { k: 'ls', d: s.d };
        return b === 0x2d || b === 0x3d ? { k: 'arrow', d: s.d, p: ch(b) } : null;
      case 'arrow': {
        const p = s.p + ch(b);
        if (ARROWS.includes(p)) return { k: 'arrowDone', d: s.d };
        return ARROWS.some((a) => a.startsWith(p)) ? { ...s, p } : null;
      }
      case 'arrowDone':
        if (b === 0x7c) return { k: 'open', d: s.d, lab: { edge: true } };
        return b === SP ? { k: 'tgtSp', d: s.d, min: true } : null;
      case 'edgeLabelDone': // Mermaid takes `|"x"|B` and `|"x"| B`, not two spaces
        if (b === SP) return { k: 'tgtSp', d: s.d, min: false };
        return isLetter(b) ? startId('tgt', s.d, b) : null;
      case 'tgtSp':
        if (b === SP && s.min) return s;
        return isLetter(b) ? startId('tgt', s.d, b) : null;
      case 'sgSp':
        if (b === SP) return s;
        return isLetter(b) ? startId('sg', s.d, b) : null;
      case 'sgId':
        if (b === SP) return s;
        if (b === NL) return { k: 'ls', d: s.d + 1 };
        return b === 0x5b ? { k: 'open', d: s.d, lab: { title: true } } : null;
      case 'eol':
        if (b === SP && s.spaces) return s;
        return b === NL ? { k: 'ls', d: s.d } : null;
    }
  }

  function startId(ctx: 'stmt' | 'tgt' | 'sg', d: number, b: number): S {
    const lower = ch(b).toLowerCase();
    return { k: 'id', ctx, d, t: PREFIXES.has(lower) ? lower : '*', raw: 'subgraph'.startsWith(ch(b)) || 'end'.startsWith(ch(b)) ? ch(b) : '*' };
  }

  function accepting(s: S): boolean {
    switch (s.k) {
      case 'ls':
      case 'node':
      case 'sp':
        return s.d === 0;
      case 'eol':
        return s.d === 0;
      case 'id':
        if (s.ctx === 'sg') return false;
        if (s.t !== '*' && RESERVED_LOWER.includes(s.t)) return s.ctx === 'stmt' && s.raw === 'end' && s.d === 1;
        return s.d === 0;
      default:
        return false;
    }
  }

  return { start: { k: 'hdr', p: '' } as S, step, accepting, key: (s: S) => JSON.stringify(s) };
}

/** The flowchart automaton (minimized). Its start state expects the header. */
export function flowchartDfa(opts: FlowchartGrammarOptions = {}): ByteDfa {
  const g = flowchartGrammar(opts);
  return buildDfa(g.start, g.step, g.accepting, g.key);
}
