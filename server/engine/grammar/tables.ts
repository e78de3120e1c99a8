/**
 * Token-level tables of a byte automaton for one vocabulary: for every state,
 * the state after each token (DEAD where the token leaves the grammar) and the
 * fewest tokens to an accepting state. Built once per tokenizer and grammar
 * (cache.ts keeps them on disk), read by the fused loop (mask-graph.ts) and
 * the host-side constraint (constraint.ts) alike.
 *
 *   const t = buildTables(dfa, vocab)
 *   next state  = t.next[state * t.classes + t.tokenClass[token]]
 *   allowed     = t.dist[next] <= remaining - 1     (the closing rule; dist[DEAD] is huge)
 *
 * Token states: 0 = DEAD, 1 = FREE (every token allowed, stays FREE: an
 * unconstrained request through the same graph), 2 + s = automaton state s.
 * End-of-sequence ids are allowed only in accepting states (and FREE).
 *
 * Size: most of 151k tokens behave alike in every state (all the letters-only
 * tokens in an id, all the quote-free tokens in a label), so tokens are
 * grouped into classes with identical rows, and the table is states × classes.
 * Classes are found with two 32-bit hashes of each token's column, computed
 * while walking the tokens in sorted order: consecutive tokens share a prefix,
 * so each state re-walks only the bytes after the shared prefix, and skips at
 * once every token under a prefix that already left the grammar. The table
 * itself is then filled exactly from one representative per class
 * (tables.test.ts checks every token against a direct walk).
 */
import { DEAD as BYTE_DEAD, type ByteDfa } from './dfa.ts';
import type { TokenVocab } from './vocab.ts';

export const DEAD_STATE = 0;
export const FREE_STATE = 1;
export const STATE_OFFSET = 2;
/** dist of DEAD (and of states that cannot finish): larger than any budget. */
export const FAR = 1 << 30;

export interface GrammarTables {
  vocabSize: number;
  /** Token states (DEAD, FREE, then the automaton's). */
  states: number;
  classes: number;
  /** [vocabSize] class of each token id. */
  tokenClass: Int32Array;
  /** [states × classes] next token state. */
  next: Int32Array;
  /** [states] fewest tokens to an accepting state (0 when accepting; FAR for DEAD). */
  dist: Int32Array;
  /** [states] 1 where the text so far is complete. */
  accepting: Uint8Array;
  /** The byte automaton, for prefills and completions. */
  dfa: ByteDfa;
}

export interface BuildStats {
  ms: number;
  classes: number;
  states: number;
  bytes: number;
}

/** The token state after a token's bytes (the direct walk, for representatives and tests). */
export function walkToken(dfa: ByteDfa, vocab: TokenVocab, state: number, id: number): number {
  if (state === DEAD_STATE) return DEAD_STATE;
  if (state === FREE_STATE) return FREE_STATE;
  const s = state - STATE_OFFSET;
  if (vocab.eosIds.includes(id)) return dfa.accepting[s] ? state : DEAD_STATE;
  const bytes = vocab.bytes[id];
  if (!bytes || bytes.length === 0) return DEAD_STATE;
  let t = s;
  for (let i = 0; i < bytes.length && t !== BYTE_DEAD; i++) t = dfa.next[t * 256 + bytes[i]!]!;
  return t === BYTE_DEAD ? DEAD_STATE : t + STATE_OFFSET;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function buildTables(dfa: ByteDfa, vocab: TokenVocab): { tables: GrammarTables; stats: BuildStats } {
  const t0 = performance.now();
  const V = vocab.size;
  const S = dfa.size + STATE_OFFSET;
  const eos = new Set(vocab.eosIds);
  // text tokens in byte order, with the prefix each shares with the one before
  const order = [...Array(V).keys()].filter((id) => !eos.has(id) && vocab.bytes[id]?.length).sort((a, b) => compareBytes(vocab.bytes[a]!, vocab.bytes[b]!));
  const lcp = new Int32Array(order.length);
  for (let i = 1; i < order.length; i++) {
    const a = vocab.bytes[order[i - 1]!]!;
    const b = vocab.bytes[order[i]!]!;
    let k = 0;
    while (k < a.length && k < b.length && a[k] === b[k]) k++;
    lcp[i] = k;
  }
  // the sorted tokens' bytes in one flat array (typed-array reads only in the hot loop)
  const offsets = new Int32Array(order.length + 1);
  for (let i = 0; i < order.length; i++) offsets[i + 1] = offsets[i]! + vocab.bytes[order[i]!]!.length;
  const flat = new Uint8Array(offsets[order.length]!);
  for (let i = 0; i < order.length; i++) flat.set(vocab.bytes[order[i]!]!, offsets[i]!);
  const ids = Int32Array.from(order);
  const maxLen = order.reduce((m, id) => Math.max(m, vocab.bytes[id]!.length), 0);
  const dnext = dfa.next;

  // pass 1: hash each token's column over the automaton states: a sum of one pseudo-random
  // value per (state, next state) where the token is alive (dead entries add nothing)
  const h1 = new Int32Array(V);
  const h2 = new Int32Array(V);
  for (const id of eos) if (id < V) h1[id] = h2[id] = 0x7fffffff; // end of sequence: classes of their own
  const stack = new Int32Array(maxLen + 1);
  const n = ids.length;
  const NONE = 0x7fffffff;
  for (let s = 0; s < dfa.size; s++) {
    const a = Math.imul(s + 1, 0x9e3779b1);
    const b = Math.imul(s + 1, 0x85ebca77);
    stack[0] = s;
    let deadAt = NONE; // shortest prefix length known to leave the grammar
    for (let i = 0; i < n; i++) {
      const L = lcp[i]!;
      if (L >= deadAt) continue;
      deadAt = NONE;
      const base = offsets[i]!;
      const len = offsets[i + 1]! - base;
      let t = stack[L]!;
      let k = L;
      for (; k < len; k++) {
        t = dnext[(t << 8) | flat[base + k]!]!;
        if (t < 0) break;
        stack[k + 1] = t;
      }
      if (t < 0) {
        deadAt = k + 1;
        continue;
      }
      const id = ids[i]!;
      const x = Math.imul(a ^ (t + 1), 0xcc9e2d51);
      const y = Math.imul(b ^ Math.imul(t + 7, 0x1b873593), 0xe6546b64);
      h1[id] = (h1[id]! + (x ^ (x >>> 15))) | 0;
      h2[id] = (h2[id]! + (y ^ (y >>> 13))) | 0;
    }
  }

  // classes: equal hashes; one representative each
  const classOf = new Map<string, number>();
  const tokenClass = new Int32Array(V);
  const reps: number[] = [];
  for (let id = 0; id < V; id++) {
    const key = `${h1[id]},${h2[id]}`;
    let c = classOf.get(key);
    if (c === undefined) {
      classOf.set(key, (c = reps.length));
      reps.push(id);
    }
    tokenClass[id] = c;
  }
  const C = reps.length;

  // pass 2: the exact table from the representatives
  const next = new Int32Array(S * C);
  for (let c = 0; c < C; c++) next[FREE_STATE * C + c] = FREE_STATE;
  for (let s = STATE_OFFSET; s < S; s++) for (let c = 0; c < C; c++) next[s * C + c] = walkToken(dfa, vocab, s, reps[c]!);
  const accepting = new Uint8Array(S);
  accepting[FREE_STATE] = 1;
  for (let s = 0; s < dfa.size; s++) accepting[s + STATE_OFFSET] = dfa.accepting[s]!;
  const dist = tokenDistances(next, accepting, S, C);
  const tables: GrammarTables = { vocabSize: V, states: S, classes: C, tokenClass, next, dist, accepting, dfa };
  return { tables, stats: { ms: performance.now() - t0, classes: C, states: S, bytes: tableBytes(tables) } };
}

/** Fewest tokens from each state to an accepting one (relaxation until nothing changes). */
function tokenDistances(next: Int32Array, accepting: Uint8Array, S: number, C: number): Int32Array {
  const dist = new Int32Array(S).fill(FAR);
  for (let s = 0; s < S; s++) if (accepting[s]) dist[s] = 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (let s = 0; s < S; s++) {
      let best = dist[s]!;
      for (let c = 0; c < C; c++) {
        const d = dist[next[s * C + c]!]!;
        if (d + 1 < best) best = d + 1;
      }
      if (best < dist[s]!) {
        dist[s] = best;
        changed = true;
      }
    }
  }
  return dist;
}

export function tableBytes(t: GrammarTables): number {
  return t.tokenClass.byteLength + t.next.byteLength + t.dist.byteLength + t.accepting.byteLength + t.dfa.next.byteLength + t.dfa.accepting.byteLength;
}

/** Token state at the automaton's start, and after some text (the prefill). */
export function stateAfterText(t: GrammarTables, text: string, from = t.dfa.start + STATE_OFFSET): number {
  if (from < STATE_OFFSET) return from;
  let s = from - STATE_OFFSET;
  for (const b of new TextEncoder().encode(text)) {
    s = t.dfa.next[s * 256 + b]!;
    if (s === BYTE_DEAD) return DEAD_STATE;
  }
  return s + STATE_OFFSET;
}
