/**
 * The PET corpus (../shared/corpus/pet/pet.jsonl, README there) as what the
 * evaluation needs: each document's text, its Activity mentions and its
 * activity-to-activity flow edges.
 *
 * Gold flow edges: PET's `flow` relations run between activities, gateways
 * and condition specifications; gateways joined by `same gateway` are one
 * node. An activity-to-activity edge A → B exists when B is reachable from A
 * through flow relations passing only through non-activity nodes (gateways,
 * conditions), which is how a flowchart with decision nodes reads too.
 */
import { readFileSync } from 'node:fs';

export interface PetMention {
  type: string;
  tokenDocumentIndices: number[];
}

export interface PetRelation {
  headMentionIndex: number;
  tailMentionIndex: number;
  type: string;
}

export interface PetDocument {
  id: string;
  text: string;
  tokens: { text: string }[];
  mentions: PetMention[];
  relations: PetRelation[];
}

export interface GoldActivity {
  /** Mention index in the document. */
  mention: number;
  /** The activity's words, e.g. "report" or "send back". */
  text: string;
  /** Words of the Activity Data it uses ("the vacancy"), to tell repeated verbs apart. */
  data: string;
}

export interface GoldGraph {
  id: string;
  description: string;
  activities: GoldActivity[];
  /** Pairs of indices into `activities`. */
  edges: [number, number][];
}

export function readPet(file: string): PetDocument[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as PetDocument);
}

/** The description as a person would write it: PET's text is whitespace-tokenised. */
export function detokenise(text: string): string {
  return text
    .replace(/\s+([.,;:!?)\]}%])/g, '$1')
    .replace(/([([{])\s+/g, '$1')
    .replace(/\s+(n't|'s|'re|'ve|'ll|'d|'m)\b/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

export function goldGraph(doc: PetDocument): GoldGraph {
  const words = (m: PetMention) => m.tokenDocumentIndices.map((i) => doc.tokens[i]?.text ?? '').join(' ');
  const activityIndex = new Map<number, number>();
  const activities: GoldActivity[] = [];
  doc.mentions.forEach((m, index) => {
    if (m.type !== 'Activity') return;
    const data = doc.relations
      .filter((r) => r.type === 'uses' && r.headMentionIndex === index)
      .map((r) => words(doc.mentions[r.tailMentionIndex]!))
      .join(' ');
    activityIndex.set(index, activities.length);
    activities.push({ mention: index, text: words(m), data });
  });

  // Gateways that are "the same gateway" become one node (union-find).
  const parent = doc.mentions.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (const r of doc.relations) {
    if (r.type === 'same gateway') parent[find(r.headMentionIndex)] = find(r.tailMentionIndex);
  }
  const node = (mention: number) => (activityIndex.has(mention) ? mention : find(mention));
  const next = new Map<number, Set<number>>();
  for (const r of doc.relations) {
    if (r.type !== 'flow') continue;
    const from = node(r.headMentionIndex);
    const to = node(r.tailMentionIndex);
    if (!next.has(from)) next.set(from, new Set());
    next.get(from)!.add(to);
  }

  const edges = new Set<string>();
  for (const [mention, a] of activityIndex) {
    const seen = new Set<number>();
    const stack = [...(next.get(mention) ?? [])];
    while (stack.length) {
      const current = stack.pop()!;
      if (seen.has(current)) continue;
      seen.add(current);
      const b = activityIndex.get(current);
      if (b !== undefined) edges.add(`${a},${b}`);
      else stack.push(...(next.get(current) ?? []));
    }
  }
  return {
    id: doc.id,
    description: detokenise(doc.text),
    activities,
    edges: [...edges].map((e) => e.split(',').map(Number) as [number, number]),
  };
}
