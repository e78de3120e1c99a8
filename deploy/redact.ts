/**
 * Secrets never reach the terminal or a log: every line deploy.ts prints goes
 * through a Redactor that knows the secret values of this run (HF_TOKEN,
 * API_KEY, identity tokens) and replaces them, plus anything shaped like a
 * Hugging Face token, with a fixed mask.
 */
export const MASK = '***';

/** Hugging Face tokens start with `hf_`; mask them even when not registered. */
const HF_TOKEN_SHAPE = /\bhf_[A-Za-z0-9]{6,}\b/g;

export class Redactor {
  readonly #secrets = new Set<string>();

  /** Registers a value to hide; values shorter than 4 characters are ignored (too many false hits). */
  add(value: string | undefined | null): void {
    if (value && value.length >= 4) this.#secrets.add(value);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const s of [...this.#secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(MASK);
    return out.replace(HF_TOKEN_SHAPE, MASK);
  }
}
