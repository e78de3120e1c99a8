/**
 * The grammar on the host: a logits processor for step-by-step decoders
 * (transformers.js `generate`, the reference loop). It applies exactly the
 * rule the fused loop applies inside the graph (mask-graph.ts), so both
 * decoders pick the same tokens.
 *
 *   const c = createConstraint(spec, tables)      // state after the prefill
 *   each step: c.mask(logits, remaining); id = argmax(logits); c.accept(id)
 *
 * `remaining` is the number of tokens still allowed, this one included (the
 * smaller of max tokens left and, under a deadline, the tokens that fit at the
 * measured pace). A token is allowed when it keeps the text inside the grammar
 * and an accepting state stays reachable within the tokens left after it:
 * dist[next] ≤ remaining - 1. With room to spare that is "any token of the
 * grammar"; close to the limit, only tokens that shorten the way to the end;
 * so a run cut by its limit still ends as a complete diagram. End of sequence
 * counts as allowed only in accepting states.
 */
import type { ConstraintSpec } from './types.ts';
import { shortestCompletion } from './dfa.ts';
import { DEAD_STATE, FAR, FREE_STATE, STATE_OFFSET, stateAfterText, type GrammarTables } from './tables.ts';

export interface TokenConstraint {
  readonly spec: ConstraintSpec | null;
  /** Token state (tables.ts numbering). */
  readonly state: number;
  /** Sets the logits of refused tokens to -Infinity (in place). */
  mask(logits: Float32Array, remaining: number): void;
  /** Moves past the chosen token. */
  accept(id: number): void;
  /** The text so far is a complete answer. */
  accepting(): boolean;
}

/** `remaining - 1`, clamped into the int32 range the tables (and the graph) use. */
export function budgetAfter(remaining: number): number {
  if (!Number.isFinite(remaining)) return FAR;
  return Math.max(-1, Math.min(FAR, Math.floor(remaining) - 1));
}

/** Whether token `id` is allowed in `state` with `remaining` tokens left (this one included). */
export function allowed(t: GrammarTables, state: number, id: number, remaining: number): boolean {
  return t.dist[t.next[state * t.classes + t.tokenClass[id]!]!]! <= budgetAfter(remaining);
}

export function maskLogits(t: GrammarTables, state: number, logits: Float32Array, remaining: number): void {
  if (state === FREE_STATE) return;
  const limit = budgetAfter(remaining);
  const row = state * t.classes;
  // per class first (a few hundred), then per token
  const ok = new Uint8Array(t.classes);
  for (let c = 0; c < t.classes; c++) ok[c] = t.dist[t.next[row + c]!]! <= limit ? 1 : 0;
  const n = Math.min(logits.length, t.vocabSize);
  for (let i = 0; i < n; i++) if (!ok[t.tokenClass[i]!]) logits[i] = -Infinity;
  for (let i = n; i < logits.length; i++) logits[i] = -Infinity;
}

export function createConstraint(spec: ConstraintSpec | null, t: GrammarTables): TokenConstraint {
  let state = spec ? stateAfterText(t, spec.prefill) : FREE_STATE;
  if (state === DEAD_STATE) throw new Error(`grammar: the prefill ${JSON.stringify(spec?.prefill)} is not a start of a flowchart`);
  return {
    spec,
    get state() {
      return state;
    },
    mask: (logits, remaining) => maskLogits(t, state, logits, remaining),
    accept: (id) => {
      state = t.next[state * t.classes + t.tokenClass[id]!]!;
    },
    accepting: () => t.accepting[state] === 1,
  };
}

/**
 * A text the grammar cut short (a budget or abort stop between chunks, where
 * the closing rule could not finish it) made complete: trailing U+FFFD (a
 * token that ended inside a character) is dropped, then the fewest characters
 * that reach an accepting state are appended (`"]`, a newline, `end`…).
 * Returns the text unchanged when it is already complete, null when it is not
 * a prefix of the grammar at all.
 */
export function completeText(t: GrammarTables, text: string): string | null {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0xfffd) end--;
  const kept = text.slice(0, end);
  const s = stateAfterText(t, kept);
  if (s === DEAD_STATE) return null;
  if (t.accepting[s]) return kept;
  return kept + new TextDecoder().decode(Uint8Array.from(shortestCompletion(t.dfa, s - STATE_OFFSET)));
}
