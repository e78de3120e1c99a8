/**
 * A deterministic automaton over bytes, as flat tables (what the token tables
 * are computed from):
 *
 *   const dfa = buildDfa(start, step, accepting, key)   // enumerate from a transition function
 *   runBytes(dfa, dfa.start, bytes) → state | DEAD
 *   shortestCompletion(dfa, state) → bytes that reach an accepting state (fewest bytes)
 *
 * A grammar is written as a transition function over small descriptor objects
 * (flowchart.ts); `buildDfa` enumerates the reachable descriptors breadth
 * first, so only states the grammar can reach exist, then merges equivalent
 * states (Moore's partition refinement), which keeps the token tables small.
 */

export const DEAD = -1;

export interface ByteDfa {
  /** Number of states (0 … size-1). */
  size: number;
  start: number;
  /** next[s * 256 + byte]: the next state, or DEAD. */
  next: Int32Array;
  /** 1 where a state is accepting (the text so far is a complete answer). */
  accepting: Uint8Array;
}

/**
 * Enumerates the automaton a transition function describes. `key` must map
 * equal descriptors to equal strings; `step` returns null where the byte
 * leaves the language.
 */
export function buildDfa<D>(start: D, step: (d: D, byte: number) => D | null, accepting: (d: D) => boolean, key: (d: D) => string, limit = 100_000): ByteDfa {
  const ids = new Map<string, number>();
  const states: D[] = [];
  const add = (d: D): number => {
    const k = key(d);
    let id = ids.get(k);
    if (id === undefined) {
      id = states.length;
      if (id >= limit) throw new Error(`grammar has more than ${limit} states: is it finite?`);
      ids.set(k, id);
      states.push(d);
    }
    return id;
  };
  add(start);
  const rows: number[][] = [];
  for (let s = 0; s < states.length; s++) {
    const row = new Array<number>(256).fill(DEAD);
    for (let b = 0; b < 256; b++) {
      const n = step(states[s]!, b);
      if (n !== null) row[b] = add(n);
    }
    rows.push(row);
  }
  const next = new Int32Array(states.length * 256);
  rows.forEach((row, s) => next.set(row, s * 256));
  const acc = Uint8Array.from(states, (d) => (accepting(d) ? 1 : 0));
  return minimize({ size: states.length, start: 0, next, accepting: acc });
}

/**
 * Merges states that accept the same continuations (Moore's algorithm) and
 * drops states from which no accepting state can be reached (they become DEAD,
 * so a token that leads there is refused at once instead of walking into a
 * corner). Renumbers breadth first from the start.
 */
export function minimize(dfa: ByteDfa): ByteDfa {
  const n = dfa.size;
  // live = can reach an accepting state
  const live = new Uint8Array(n);
  for (let s = 0; s < n; s++) live[s] = dfa.accepting[s]!;
  for (let changed = true; changed; ) {
    changed = false;
    for (let s = 0; s < n; s++) {
      if (live[s]) continue;
      for (let b = 0; b < 256; b++) {
        const t = dfa.next[s * 256 + b]!;
        if (t !== DEAD && live[t]) {
          live[s] = 1;
          changed = true;
          break;
        }
      }
    }
  }
  if (!live[dfa.start]) throw new Error('grammar accepts nothing');
  const target = (s: number, b: number) => {
    const t = dfa.next[s * 256 + b]!;
    return t !== DEAD && live[t] ? t : DEAD;
  };
  // partition refinement: class = (accepting, classes of successors)
  let cls = new Int32Array(n).map((_, s) => (live[s] ? dfa.accepting[s]! : -1));
  let count = -1;
  for (;;) {
    const sig = new Map<string, number>();
    const next = new Int32Array(n).fill(-1);
    for (let s = 0; s < n; s++) {
      if (!live[s]) continue;
      const parts = [cls[s]];
      for (let b = 0; b < 256; b++) {
        const t = target(s, b);
        parts.push(t === DEAD ? -1 : cls[t]!);
      }
      const k = parts.join(',');
      let c = sig.get(k);
      if (c === undefined) sig.set(k, (c = sig.size));
      next[s] = c;
    }
    if (sig.size === count) break;
    count = sig.size;
    cls = next;
  }
  // renumber breadth first from the start
  const order = new Int32Array(count).fill(-1);
  const rep: number[] = [];
  const queue = [dfa.start];
  order[cls[dfa.start]!] = 0;
  rep.push(dfa.start);
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q]!;
    for (let b = 0; b < 256; b++) {
      const t = target(s, b);
      if (t !== DEAD && order[cls[t]!] === -1) {
        order[cls[t]!] = rep.length;
        rep.push(t);
        queue.push(t);
      }
    }
  }
  const size = rep.length;
  const next = new Int32Array(size * 256).fill(DEAD);
  const accepting = new Uint8Array(size);
  rep.forEach((s, i) => {
    accepting[i] = dfa.accepting[s]!;
    for (let b = 0; b < 256; b++) {
      const t = target(s, b);
      if (t !== DEAD) next[i * 256 + b] = order[cls[t]!]!;
    }
  });
  return { size, start: 0, next, accepting };
}

/** The state after `bytes` from `state` (DEAD once a byte leaves the language). */
export function runBytes(dfa: ByteDfa, state: number, bytes: ArrayLike<number>): number {
  let s = state;
  for (let i = 0; i < bytes.length && s !== DEAD; i++) s = dfa.next[s * 256 + bytes[i]!]!;
  return s;
}

/** Fewest bytes from `state` to an accepting state (breadth first; ties: lowest byte). */
export function shortestCompletion(dfa: ByteDfa, state: number): number[] {
  if (dfa.accepting[state]) return [];
  const prev = new Int32Array(dfa.size).fill(-2);
  const via = new Int32Array(dfa.size);
  prev[state] = -1;
  const queue = [state];
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q]!;
    for (let b = 0; b < 256; b++) {
      const t = dfa.next[s * 256 + b]!;
      if (t === DEAD || prev[t] !== -2) continue;
      prev[t] = s;
      via[t] = b;
      if (dfa.accepting[t]) {
        const out: number[] = [];
        for (let u = t; u !== state; u = prev[u]!) out.push(via[u]!);
        return out.reverse();
      }
      queue.push(t);
    }
  }
  throw new Error('no accepting state is reachable');
}
