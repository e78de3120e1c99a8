/**
 * Random texts of a byte automaton's language (for tests): a walk of about
 * `steps` bytes, each drawn among the bytes the current state allows (a
 * fixed palette first, so walks look like diagrams and hit the interesting
 * corners: keywords, arrows, quotes, multi-byte characters), then the
 * shortest completion to an accepting state.
 */
import { rng32 } from '../../testmodels/weights.ts';
import { DEAD, shortestCompletion, type ByteDfa } from './dfa.ts';

const enc = new TextEncoder();
/** Words that stress the reserved-word rules, and multi-byte text (2, 3 and 4 byte characters). */
const WORDS = ['end', 'End', 'subgraph', 'graph', 'style', 'class', 'classDef', 'click', 'call', 'href', 'default', 'ending', 'o', 'x', 'v', 'TD', ' --> ', ' -.-> ', ' ==> ', ' --- ', '|"', '"|', '["', '"]', '(["', '(("', '{"', '"))', '"])', '\n', 'é', '한국어', '😀', "'", '#', '&', '<b>', '%%', '\\', ';'].map((w) => enc.encode(w));

/** Floats in [0, 1) from a seeded generator (the test models' mulberry32), so a failing sample can be replayed. */
export function rng(seed: number): () => number {
  const next = rng32(seed);
  return () => next() / 4294967296;
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

const ACTORS = ['A customer', 'The clerk', 'Un client', 'Der Kunde', '고객이', 'The system', 'A nurse', 'The manager'];
const ACTS = ['orders a book', 'submits a claim', 'paie la facture', 'meldet einen Schaden', '주문을 한다', 'checks the stock', 'approves the leave', 'ships the parcel'];
const BRANCHES = ['if payment fails we email them, else we ship', 'when the form is incomplete it goes back', 'sinon le dossier est archivé', 'bei Ablehnung endet der Prozess', '승인되면 배송한다', 'after three tries the account is locked'];

/** `n` different process descriptions in several languages (for generation tests and benchmarks). */
export function sampleDescriptions(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const a = ACTORS[i % ACTORS.length]!;
    const b = ACTS[Math.floor(i / ACTORS.length) % ACTS.length]!;
    const c = BRANCHES[Math.floor(i / (ACTORS.length * ACTS.length)) % BRANCHES.length]!;
    return `${a} ${b}; ${c}. (case ${i + 1})`;
  });
}
