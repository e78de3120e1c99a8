/**
 * Text for streaming from chunks of token ids: decodes everything so far and
 * hands out only the new, display-safe suffix (a token that ends inside a
 * multi-byte character decodes to U+FFFD until its continuation arrives, so
 * trailing U+FFFD is held back).
 *
 *   const d = new ChunkTextDecoder((ids) => tokenizer.decode(ids, { skip_special_tokens: true }));
 *   onChunk: (ids) => { const t = d.push(ids); if (t) onToken(t, d.tokens); }
 *   d.finish() → the rest (held-back characters included); d.text → all text
 */
export class ChunkTextDecoder {
  private ids: number[] = [];
  private shown = 0;
  text = '';

  constructor(private readonly decode: (ids: number[]) => string) {}

  get tokens(): number {
    return this.ids.length;
  }

  push(ids: number[]): string {
    this.ids.push(...ids);
    this.text = this.decode(this.ids);
    let end = this.text.length;
    while (end > this.shown && this.text.charCodeAt(end - 1) === 0xfffd) end--;
    // never split a surrogate pair
    if (end > this.shown && end < this.text.length && /[\uD800-\uDBFF]/.test(this.text[end - 1]!)) end--;
    if (end <= this.shown) return '';
    const delta = this.text.slice(this.shown, end);
    this.shown = end;
    return delta;
  }

  finish(): string {
    const rest = this.text.slice(this.shown);
    this.shown = this.text.length;
    return rest;
  }
}
