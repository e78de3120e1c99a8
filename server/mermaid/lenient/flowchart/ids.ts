/**
 * Node ids as the printer writes them. The model's id is kept when Mermaid
 * takes it as written; otherwise (quoted text, words with spaces, keywords,
 * non-ASCII, punctuation) a new id is made and the model's text becomes the
 * label, so the picture shows the same words. A duplicate id with a second,
 * different label becomes a node of its own (`split-duplicate-id`).
 */
import type { DiagramChange } from '../types.ts';
import { labelText } from '../text.ts';
import type { NodeRef, Shape } from './model.ts';
import { isReservedId } from './reserved.ts';
import { isPlainId } from './scan.ts';

export interface Version {
  id: string;
  label?: string;
  shape?: Shape;
  /** The shape and label have been printed once; later mentions print the id alone. */
  defined: boolean;
  /** A subgraph id: never printed as a node. */
  subgraph: boolean;
  /** The label was written by the model (not the old id shown as text). */
  explicit: boolean;
}

export class IdTable {
  private readonly taken = new Set<string>();
  private readonly current = new Map<string, Version>();
  private readonly all = new Map<string, Version[]>();
  private generated = 0;
  readonly changes: DiagramChange[] = [];
  private readonly renamed: Array<[string, Version]> = [];

  constructor(plainIds: Iterable<string>) {
    for (const id of plainIds) this.taken.add(id);
  }

  /**
   * The version a mention refers to, splitting on a second different label.
   * Called for every mention in reading order before anything is printed, so
   * a node's label is known at its first printed mention.
   */
  mention(ref: NodeRef, line: number): Version {
    const label = ref.label === undefined ? undefined : labelText(ref.label);
    const v = this.current.get(ref.raw);
    if (!v) return this.create(ref, label);
    if (label === undefined || label === '') return v;
    if (!v.explicit) {
      v.label = label;
      v.explicit = true;
      if (ref.shape) v.shape = ref.shape;
      return v;
    }
    const known = v.label ?? ref.raw;
    if (sameText(known, label)) {
      if (!v.shape && ref.shape) v.shape = ref.shape;
      return v;
    }
    const next = this.create(ref, label, v.id);
    this.changes.push({
      kind: 'split-duplicate-id',
      message: `The id ${ref.raw} was used for “${known}” and for “${label}”: the second is drawn as its own node (${next.id}), with its edges.`,
      line,
    });
    return next;
  }

  subgraph(raw: string | null): Version {
    if (raw !== null) {
      const v = this.current.get(raw);
      if (v) {
        v.subgraph = true;
        return v;
      }
    }
    const id = raw !== null && isPlainId(raw) ? this.claim(raw) : this.fresh(raw === null ? 'sg' : slug(raw) ?? 'sg');
    const v: Version = { id, defined: true, subgraph: true, explicit: true };
    if (raw !== null) this.remember(raw, v);
    return v;
  }

  /** Raw ids replaced by a new id on nodes that have a label of their own: never drawn, now not written. */
  undrawn(): string[] {
    return this.renamed.filter(([, v]) => v.explicit).map(([raw]) => raw);
  }

  /** Every version of a raw id (for class/style statements), or [] when unknown. */
  versions(raw: string): Version[] {
    return this.all.get(raw) ?? [];
  }

  /** A class name Mermaid can read (`end` → `end_`). */
  className(name: string): string {
    const plain = name.replace(/[^\p{L}\p{N}_-]/gu, '_');
    return isPlainId(plain) ? plain : `${plain}_`;
  }

  private create(ref: NodeRef, label: string | undefined, base?: string): Version {
    let id: string;
    if (base !== undefined) id = this.fresh(base, true);
    else if (isPlainId(ref.raw)) id = this.claim(ref.raw); // `"Début"`: the quoted text is an id Mermaid reads
    else id = this.fresh(slug(ref.raw) ?? 'n');
    const v: Version = { id, defined: false, subgraph: false, explicit: label !== undefined && label !== '' };
    const shown = v.explicit ? label : id === ref.raw || ref.raw === '' ? undefined : labelText(ref.raw);
    if (shown !== undefined) v.label = shown;
    if (id !== ref.raw && ref.raw !== '') this.renamed.push([ref.raw, v]);
    if (ref.shape) v.shape = ref.shape;
    this.remember(ref.raw, v);
    return v;
  }

  private remember(raw: string, v: Version): void {
    this.current.set(raw, v);
    const list = this.all.get(raw) ?? [];
    list.push(v);
    this.all.set(raw, list);
  }

  private claim(id: string): string {
    this.taken.add(id);
    return id;
  }

  /** A new id: `n3`/`sg2` for generated ones; else the base, `base_`, `base_2`, `base_3`… (split: from `_2`). */
  private fresh(base: string, split = false): string {
    if (base === 'n' || base === 'sg') {
      let id = '';
      do id = `${base}${++this.generated}`;
      while (this.taken.has(id));
      return this.claim(id);
    }
    const candidates = split ? [] : [base, `${base}_`];
    for (const id of candidates) if (!this.taken.has(id) && isPlainId(id)) return this.claim(id);
    let n = 2;
    while (this.taken.has(`${base}_${n}`)) n++;
    return this.claim(`${base}_${n}`);
  }
}

/** An id from the text when it makes one Mermaid reads (`Check stock` → `Check_stock`), else null. */
function slug(text: string): string | null {
  const s = trimUnderscores(text.replace(/[^\p{L}0-9_]+/gu, '_'));
  // A keyword (`end`) is kept as the base: fresh() makes it `end_`.
  if (s === '' || s.length > 40 || !(isPlainId(s) || isReservedId(s))) return null;
  return /^[0-9]/.test(s) ? `n_${s}` : s;
}

function trimUnderscores(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s[a] === '_') a++;
  while (b > a && s[b - 1] === '_') b--;
  return s.slice(a, b);
}

/** Same words, ignoring case, spacing and punctuation. */
export function sameText(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  return norm(a) === norm(b);
}
