/**
 * Scoring a generated diagram against PET's gold graph (pure).
 *
 * - Words match fuzzily: lower-cased, accents and punctuation dropped, a
 *   light English suffix strip ("detected" ~ "detect", "advertized" ~
 *   "advertise"), then equal stems, a shared prefix of 5+ letters, or an
 *   edit-distance similarity of at least 0.8.
 * - Activity recall: a gold activity is found when every content word of it
 *   matches a word of some node label (PET activities are mostly one verb).
 * - Node ↔ activity matching (one to one, greedy by score): the verb must
 *   match; words of the activity's data ("the vacancy") add to the score and
 *   tell repeated verbs apart.
 * - Edges: predicted edges are collapsed through unmatched nodes (decisions,
 *   start/end) to activity-to-activity edges, as the gold graph is, then
 *   compared: precision over predicted, recall over gold.
 */
import type { FlowGraph } from './flowchart.ts';
import type { GoldGraph } from './pet.ts';

const STOPWORDS = new Set(
  'a an the of to for and or in on at by with from into up out as is are be been it its this that these those i we you he she they them his her their our your my me us'.split(' '),
);

export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export function contentWords(text: string): string[] {
  return words(text).filter((word) => !STOPWORDS.has(word));
}

export function stem(word: string): string {
  let w = word.toLowerCase();
  for (const suffix of ['ational', 'ization', 'isation', 'ation', 'ments', 'ment', 'ingly', 'ing', 'ied', 'ies', 'ed', 'es', 's', 'e']) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  // Doubled final consonant ("planned" → "plann" → "plan"); British/American z/s.
  if (/([b-df-hj-np-tv-z])\1$/.test(w)) w = w.slice(0, -1);
  return w.replace(/z/g, 's');
}

function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const m = a.length;
  const n = b.length;
  let previous = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const current = [i];
    for (let j = 1; j <= n; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return 1 - previous[n]! / Math.max(m, n);
}

export function wordsMatch(a: string, b: string): boolean {
  const x = stem(a);
  const y = stem(b);
  if (x === y) return true;
  const shared = Math.min(x.length, y.length);
  if (shared >= 5 && x.slice(0, 5) === y.slice(0, 5) && (x.startsWith(y) || y.startsWith(x))) return true;
  return Math.min(a.length, b.length) >= 4 && similarity(x, y) >= 0.8;
}

/** Share of `needles` that match some word of `haystack` (0 when there are no needles). */
export function coverage(needles: string[], haystack: string[]): number {
  if (needles.length === 0) return 0;
  return needles.filter((n) => haystack.some((h) => wordsMatch(n, h))).length / needles.length;
}

function activityWords(text: string): string[] {
  const content = contentWords(text);
  return content.length ? content : words(text);
}

/** Gold activities found among the node labels. */
export function activityRecall(gold: GoldGraph, graph: FlowGraph): { found: number; total: number; recall: number } {
  const labels = [...graph.nodes.values()].map(words);
  const found = gold.activities.filter((a) => {
    const needles = activityWords(a.text);
    return labels.some((label) => coverage(needles, label) === 1);
  }).length;
  const total = gold.activities.length;
  return { found, total, recall: total ? found / total : 0 };
}

/** One-to-one node → activity index, greedy by score (verb must match). */
export function matchNodes(gold: GoldGraph, graph: FlowGraph): Map<string, number> {
  const candidates: { node: string; activity: number; score: number; order: number }[] = [];
  const ids = [...graph.nodes.keys()];
  ids.forEach((node, nodeOrder) => {
    const label = words(graph.nodes.get(node)!);
    gold.activities.forEach((activity, index) => {
      const verb = coverage(activityWords(activity.text), label);
      if (verb < 1) return;
      const data = coverage(contentWords(activity.data), label);
      // Prefer pairs in the same relative position when scores tie.
      const order = Math.abs(nodeOrder / Math.max(1, ids.length) - index / Math.max(1, gold.activities.length));
      candidates.push({ node, activity: index, score: verb + 0.5 * data, order });
    });
  });
  candidates.sort((a, b) => b.score - a.score || a.order - b.order);
  const byNode = new Map<string, number>();
  const taken = new Set<number>();
  for (const c of candidates) {
    if (byNode.has(c.node) || taken.has(c.activity)) continue;
    byNode.set(c.node, c.activity);
    taken.add(c.activity);
  }
  return byNode;
}

/** Predicted activity-to-activity edges: through unmatched nodes, as in the gold graph. */
export function collapsedEdges(graph: FlowGraph, match: Map<string, number>): Set<string> {
  const next = new Map<string, string[]>();
  for (const [a, b] of graph.edges) {
    if (!next.has(a)) next.set(a, []);
    next.get(a)!.push(b);
  }
  const edges = new Set<string>();
  for (const [node, from] of match) {
    const seen = new Set<string>();
    const stack = [...(next.get(node) ?? [])];
    while (stack.length) {
      const current = stack.pop()!;
      if (seen.has(current)) continue;
      seen.add(current);
      const to = match.get(current);
      if (to !== undefined) edges.add(`${from},${to}`);
      else stack.push(...(next.get(current) ?? []));
    }
  }
  return edges;
}

export interface EdgeScore {
  predicted: number;
  gold: number;
  correct: number;
  precision: number;
  recall: number;
}

export function edgeScore(gold: GoldGraph, graph: FlowGraph): EdgeScore {
  const predicted = collapsedEdges(graph, matchNodes(gold, graph));
  const goldEdges = new Set(gold.edges.map(([a, b]) => `${a},${b}`));
  const correct = [...predicted].filter((e) => goldEdges.has(e)).length;
  return {
    predicted: predicted.size,
    gold: goldEdges.size,
    correct,
    precision: predicted.size ? correct / predicted.size : 0,
    recall: goldEdges.size ? correct / goldEdges.size : 0,
  };
}

/** Nearest-rank percentile (p in 0..100) of the numbers; null for none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function mean(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}
