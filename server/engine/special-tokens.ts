/**
 * User text must never reach the model as control tokens. The tokenizer
 * matches every *added* token (tokenizer.json's `added_tokens`: `<|im_end|>`,
 * `<|endoftext|>`, but also `<think>`, `</think>`, `<tool_call>`,
 * `<tool_response>`, … which Qwen3 marks `special: false`) as one id before
 * BPE runs, wherever it occurs in the text. So a description holding
 * `</think>` or `<|im_start|>system` would speak with the template's voice.
 *
 * The list comes from the tokenizer itself, not a fixed pattern: whatever the
 * loaded model's tokenizer adds is neutralised. Each occurrence loses its
 * first character to a look-alike (`<` → `‹`, U+2039), so a person reading
 * the prompt sees the same text and the tokenizer sees ordinary characters.
 * Pure; the engine applies it to every user and assistant message right
 * before the chat template (the system prompt is ours).
 */

/** The strings of every added token, longest first (the order the matcher needs). */
export function addedTokenStrings(tokenizerJson: { added_tokens?: readonly { content?: unknown }[] } | null | undefined): string[] {
  const contents = (tokenizerJson?.added_tokens ?? [])
    .map((t) => (typeof t.content === 'string' ? t.content : ''))
    .filter((c) => c.length > 0);
  return [...new Set(contents)].sort((a, b) => b.length - a.length);
}

const LOOK_ALIKE: Record<string, string> = { '<': '\u2039', '[': '\uFF3B', '{': '\uFF5B' };

/** The token spelled so that the tokenizer no longer matches it. */
function defuse(token: string): string {
  const first = String.fromCodePoint(token.codePointAt(0)!);
  const rest = token.slice(first.length);
  // Unknown first character: a word joiner after it splits the match and draws nothing.
  return (LOOK_ALIKE[first] ?? `${first}\u2060`) + rest;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface Neutraliser {
  (text: string): string;
  readonly tokens: readonly string[];
}

/**
 * A function that neutralises every occurrence of `tokens` in a text. The
 * matcher is one alternation of literal strings (linear time). Defusing one
 * token can reveal another only in contrived nestings, so it runs until the
 * text is stable (at most a few passes).
 */
export function createNeutraliser(tokens: readonly string[]): Neutraliser {
  const list = [...new Set(tokens.filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  const pattern = list.length > 0 ? new RegExp(list.map(escapeRegExp).join('|'), 'g') : null;
  const fn = (text: string): string => {
    if (!pattern) return text;
    let out = text;
    for (let pass = 0; pass < 8; pass++) {
      const next = out.replace(pattern, defuse);
      if (next === out) return out;
      out = next;
    }
    return out;
  };
  return Object.assign(fn, { tokens: list });
}

/** Messages as the chat template gets them: user and assistant content neutralised. */
export function neutraliseMessages<M extends { role: string; content: string }>(messages: readonly M[], neutralise: (text: string) => string): M[] {
  return messages.map((m) => (m.role === 'system' ? m : { ...m, content: neutralise(m.content) }));
}
