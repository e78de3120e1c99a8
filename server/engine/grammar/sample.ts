/**
 * Random texts of a byte automaton's language (for tests): a walk of about
 * `steps` bytes, each drawn among the bytes the current state allows (a
 * fixed palette first, so walks look like diagrams and hit the interesting
 * corners: keywords, arrows, quotes, multi-byte characters), then the
 * shortest completion to an accepting state.
 */
import { DEAD, shortestCompletion, type ByteDfa } from './dfa.ts';

const enc = new TextEncoder();
/** Words that stress the reserved-word rules, and multi-byte text (2, 3 and 4 byte characters). */
const WORDS = ['end', 'End', 'subgraph', 'graph', 'style', 'class', 'classDef', 'click', 'call', 'href', 'default', 'ending', 'o', 'x', 'v', 'TD', ' --> ', ' -.-> ', ' ==> ', ' --- ', '|"', '"|', '["', '"]', '(["', '(("', '{"', '"))', '"])', '\n', 'é', '한국어', '😀', "'", '#', '&', '<b>', '%%', '\\', ';'].map((w) => enc.encode(w));

/** mulberry32: a small seeded generator, so a failing sample can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sampleText(dfa: ByteDfa, from: number, steps: number, random: () => number): Uint8Array {
  const out: number[] = [];
  let s = from;
  while (out.length < steps) {
    // a palette word that fits here, else one byte the state allows
    if (random() < 0.5) {
      const w = WORDS[Math.floor(random() * WORDS.length)]!;
      let t = s;
      for (let i = 0; i < w.length && t !== DEAD; i++) t = dfa.next[t * 256 + w[i]!]!;
      if (t !== DEAD) {
        out.push(...w);
        s = t;
        continue;
      }
    }
    const allowed: number[] = [];
    for (let b = 0; b < 256; b++) if (dfa.next[s * 256 + b] !== DEAD) allowed.push(b);
    const b = allowed[Math.floor(random() * allowed.length)]!;
    out.push(b);
    s = dfa.next[s * 256 + b]!;
  }
  out.push(...shortestCompletion(dfa, s));
  return Uint8Array.from(out);
}
