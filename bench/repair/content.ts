/**
 * Did the diagram keep what the model wrote? Compares a fixture's expected
 * content (its units and label phrases, written by hand from the answer) with
 * what Mermaid's database says is drawn (server/mermaid/drawn.ts). Pure.
 *
 * - A unit is kept when a drawn unit has it as id or as label.
 * - A label phrase is split into words (maximal runs of letters and digits); a
 *   word is kept when a drawn text has it as a whole word. Chinese and Japanese
 *   have no spaces, so a "word" there is the whole run between punctuation:
 *   `否` is not kept by a drawn `是否有预约？` (a substring match said it was).
 * - A `[child, parent]` pair is kept when the child is drawn inside the parent
 *   (subgraph, composite state, mindmap node), named by id or label.
 * - Nothing is invented: every drawn unit is one the answer names (by id or
 *   label, or is one of its labels), or comes from the cut last line of an
 *   answer cut by the budget.
 * Both sides are compared after decoding entity codes (`#quot;`, `#9829;`,
 * `&amp;`, and Mermaid's own ﬂ°quot¶ß placeholders for them), dropping `<br>`-style tags and case folding, because Mermaid
 * draws them as characters.
 */
import type { Drawn } from '../../server/mermaid/drawnUnits.ts';

export interface Expected {
  units: string[];
  labels: string[];
  /** `[child, parent]` pairs: the child must be drawn inside (under) the parent. */
  parents?: [string, string][];
  /**
   * Text whose units may be drawn though not expected: the half-written last
   * line of an answer cut by the budget (it may be dropped or kept as cut).
   */
  mayDraw?: string;
}

export interface ContentCheck {
  missingUnits: string[];
  missingWords: string[];
  /** `child>parent` pairs drawn elsewhere (or not drawn). */
  wrongParents: string[];
  /** Drawn units the model did not write as units (prose, a header word, a note drawn as a box). */
  invented: string[];
}

const NAMED: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'", nbsp: ' ', hellip: '…' };

/** Mermaid's `#name;` / `#123;` codes and HTML's `&name;` / `&#123;` → characters. */
export function decodeEntities(text: string): string {
  // Mermaid's parser stores `#quot;` as ﬂ°quot¶ß and `#9829;` as ﬂ°°9829¶ß until it renders.
  const codes = text.replace(/ﬂ°°(\d+)¶ß/g, '&#$1;').replace(/ﬂ°(\w+)¶ß/g, '&$1;');
  return codes.replace(/[#&](#?)(x?)([0-9a-f]{1,6}|[a-z]{2,8});/gi, (whole, hash: string, hex: string, body: string) => {
    const numeric = whole[0] === '#' ? /^\d+$/.test(body) || (hex !== '' && /^[0-9a-f]+$/i.test(body)) : hash === '#';
    if (numeric) {
      const code = Number.parseInt(body, hex ? 16 : 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

export function normalize(text: string): string {
  return decodeEntities(text)
    // HTML Mermaid draws as formatting (not `<<interface>>` or `List<T>`)
    .replace(/<\/?(?:br|b|i|u|em|strong|sub|sup|small|span|p|div|code|mark|s|del)\b[^<>]*>/gi, ' ')
    .normalize('NFC')
    .toLocaleLowerCase('en')
    .replace(/\s+/g, ' ')
    .trim();
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

export function words(text: string): string[] {
  return normalize(text).match(WORD) ?? [];
}

/** Unit names compare without quotes and spacing differences. */
function unitKey(text: string): string {
  // An id cannot hold spaces: `Check_Stock`, `Check-Stock` and `Check Stock` name the same unit.
  return normalize(text).replace(/["'`“”„«»]/g, '').replace(/[\s_-]+/g, ' ').trim();
}

export function checkContent(expected: Expected, drawn: Pick<Drawn, 'units' | 'texts'>): ContentCheck {
  const unitKeys = new Set<string>();
  for (const u of drawn.units) {
    unitKeys.add(unitKey(u.id));
    unitKeys.add(unitKey(u.label));
  }
  const missingUnits = expected.units.filter((u) => !unitKeys.has(unitKey(u)));

  const drawnWords = new Set(drawn.texts.flatMap(words));
  const missingWords: string[] = [];
  for (const phrase of expected.labels) {
    for (const w of words(phrase)) if (!drawnWords.has(w) && !missingWords.includes(w)) missingWords.push(w);
  }
  const wrongParents: string[] = [];
  for (const [child, parent] of expected.parents ?? []) {
    const units = drawn.units.filter((u) => unitKey(u.id) === unitKey(child) || unitKey(u.label) === unitKey(child));
    const inside = units.some((u) => {
      if (u.parent === undefined) return false;
      const p = drawn.units.find((x) => x.id === u.parent);
      return unitKey(u.parent) === unitKey(parent) || (p !== undefined && unitKey(p.label) === unitKey(parent));
    });
    if (!inside) wrongParents.push(`${child}>${parent}`);
  }
  // A unit may also be named by one of the labels the model wrote: a duplicate id split in two
  // (`split-duplicate-id`) draws the second label as a node of its own, under a new id.
  const expectedKeys = new Set([...expected.units, ...expected.labels].map(unitKey));
  const mayDraw = expected.mayDraw === undefined ? '' : unitKey(expected.mayDraw);
  const invented = drawn.units
    .filter((u) => !expectedKeys.has(unitKey(u.id)) && !expectedKeys.has(unitKey(u.label)))
    .filter((u) => !(mayDraw && (mayDraw.includes(unitKey(u.label)) || mayDraw.includes(unitKey(u.id)))))
    .map((u) => (u.label === u.id ? u.id : `${u.id}[${u.label}]`));
  return { missingUnits, missingWords, wrongParents, invented };
}
