/**
 * The byte string of every token id, from a byte-level BPE `tokenizer.json`
 * (Qwen2/Qwen3, GPT-2 style): vocabulary strings are written in GPT-2's
 * byte-to-unicode alphabet, one character per byte, so a token can end in
 * the middle of a UTF-8 character. Added tokens (`<|im_end|>`, `<think>`, …)
 * are not text: they get `null` (never allowed by a grammar), except the
 * end-of-sequence ids, which the tables treat on their own.
 *
 *   const vocab = vocabFromTokenizerJson(JSON.parse(text), { vocabSize: 151936, eosIds: [151645, 151643] })
 */

export interface TokenVocab {
  /** Width of the logits (≥ the tokenizer's ids; ids past the tokenizer are never allowed). */
  size: number;
  /** Bytes of each id, or null where the id is not plain text. */
  bytes: (Uint8Array | null)[];
  eosIds: number[];
}

/** GPT-2's byte → printable character table, inverted (character → byte). */
function unicodeToByte(): Map<string, number> {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  return new Map(bs.map((b, i) => [String.fromCodePoint(cs[i]!), b]));
}

interface TokenizerJson {
  model?: { type?: string; vocab?: Record<string, number> };
  decoder?: { type?: string; decoders?: { type?: string }[] } | null;
  added_tokens?: { id: number; content: string }[];
}

export function vocabFromTokenizerJson(json: TokenizerJson, opts: { vocabSize?: number; eosIds: number[] }): TokenVocab {
  const vocab = json.model?.vocab;
  if (json.model?.type !== 'BPE' || !vocab) throw new Error('grammar: tokenizer.json is not a BPE tokenizer');
  const dec = json.decoder;
  const byteLevel = dec?.type === 'ByteLevel' || (dec?.type === 'Sequence' && dec.decoders?.some((d) => d.type === 'ByteLevel'));
  if (!byteLevel) throw new Error('grammar: tokenizer.json has no ByteLevel decoder (token bytes unknown)');
  const map = unicodeToByte();
  const added = json.added_tokens ?? [];
  const maxId = [...Object.values(vocab), ...added.map((t) => t.id)].reduce((m, id) => Math.max(m, id), -1);
  const size = opts.vocabSize ?? maxId + 1;
  if (maxId >= size) throw new Error(`grammar: tokenizer ids reach ${maxId}, past the logits width ${size}`);
  const bytes: (Uint8Array | null)[] = new Array(size).fill(null);
  for (const [text, id] of Object.entries(vocab)) {
    const out = new Uint8Array([...text].length);
    let i = 0;
    for (const c of text) {
      const b = map.get(c);
      if (b === undefined) throw new Error(`grammar: token ${id} has a character outside the byte-level alphabet`);
      out[i++] = b;
    }
    bytes[id] = out;
  }
  for (const t of added) bytes[t.id] = null;
  return { size, bytes, eosIds: [...opts.eosIds] };
}
