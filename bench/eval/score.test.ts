import { describe, expect, it } from 'vitest';
import { sharedData } from '../../tests/support/shared-data.ts';
import { parseFlowchart } from './flowchart.ts';
import { detokenise, goldGraph, readPet, type GoldGraph, type PetDocument } from './pet.ts';
import { activityRecall, collapsedEdges, edgeScore, matchNodes, percentile, stem, wordsMatch } from './score.ts';

describe('wordsMatch', () => {
  it.each([
    ['detected', 'Detect', true],
    ['report', 'reports', true],
    ['advertized', 'advertise', true],
    ['approve', 'approval', true],
    ['planned', 'plan', true],
    ['checking', 'check', true],
    ['ask', 'asks', true],
    ['send', 'sent', false],
    ['ship', 'shop', false],
    ['report', 'repair', false],
    ['get', 'gets', true],
    ['review', 'reviewer', true],
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(wordsMatch(a, b)).toBe(expected);
  });

  it('stems lightly', () => {
    expect(stem('requirements')).toBe('require');
    expect(stem('ask')).toBe('ask');
  });
});

describe('parseFlowchart', () => {
  it.each([
    ['flowchart TD\n  a["Report vacancy"] --> b{"Ok?"}', [['a', 'Report vacancy'], ['b', 'Ok?']], [['a', 'b']]],
    ['graph LR\n  a[Start] --> b(Step) --> c([End])', [['a', 'Start'], ['b', 'Step'], ['c', 'End']], [['a', 'b'], ['b', 'c']]],
    ['flowchart TD\n  a -->|"yes"| b\n  a -- no --> c', [['a', 'a'], ['b', 'b'], ['c', 'c']], [['a', 'b'], ['a', 'c']]],
    ['flowchart TD\n  a & b --> c', [['a', 'a'], ['b', 'b'], ['c', 'c']], [['a', 'c'], ['b', 'c']]],
    ['flowchart TD\n  a-->b;b-.->c\n  c ==> d', [['a', 'a'], ['b', 'b'], ['c', 'c'], ['d', 'd']], [['a', 'b'], ['b', 'c'], ['c', 'd']]],
    ['flowchart TD\n  subgraph s1["Team"]\n    a[["Sub"]] --> b[("DB")]\n  end\n  style a fill:#f00\n  %% note', [['a', 'Sub'], ['b', 'DB']], [['a', 'b']]],
    ['flowchart TD\n  a{{"Hex"}} --> b>"Flag"] --> c[/"Para"/]', [['a', 'Hex'], ['b', 'Flag'], ['c', 'Para']], [['a', 'b'], ['b', 'c']]],
    ['flowchart TD\n  a["Envoyer la facture"] --> b["Répondre #quot;oui#quot;"]', [['a', 'Envoyer la facture'], ['b', 'Répondre "oui"']], [['a', 'b']]],
    ['flowchart TD\n  a --> b\n  a["Later label"]', [['a', 'Later label'], ['b', 'b']], [['a', 'b']]],
    ['flowchart TD\n  node-1 --> node-2', [['node-1', 'node-1'], ['node-2', 'node-2']], [['node-1', 'node-2']]],
  ])('%s', (code, nodes, edges) => {
    const graph = parseFlowchart(code);
    expect([...graph.nodes.entries()]).toEqual(nodes);
    expect(graph.edges).toEqual(edges);
  });
});

/** A hand-made PET-like document: detect → report → (XOR) ask | approve. */
function fixture(): PetDocument {
  const text = 'I detect requirements . I report the vacancy . If needed , I ask for corrections , otherwise I approve it .';
  const tokens = text.split(' ').map((t) => ({ text: t }));
  const at = (word: string, from = 0) => tokens.findIndex((t, i) => i >= from && t.text === word);
  const mentions = [
    { type: 'Activity', tokenDocumentIndices: [at('detect')] }, // 0
    { type: 'Activity Data', tokenDocumentIndices: [at('requirements')] }, // 1
    { type: 'Activity', tokenDocumentIndices: [at('report')] }, // 2
    { type: 'Activity Data', tokenDocumentIndices: [at('the'), at('vacancy')] }, // 3
    { type: 'XOR Gateway', tokenDocumentIndices: [at('If')] }, // 4
    { type: 'Activity', tokenDocumentIndices: [at('ask')] }, // 5
    { type: 'XOR Gateway', tokenDocumentIndices: [at('otherwise')] }, // 6
    { type: 'Activity', tokenDocumentIndices: [at('approve')] }, // 7
    { type: 'Condition Specification', tokenDocumentIndices: [at('needed')] }, // 8
  ];
  const relations = [
    { headMentionIndex: 0, tailMentionIndex: 1, type: 'uses' },
    { headMentionIndex: 2, tailMentionIndex: 3, type: 'uses' },
    { headMentionIndex: 0, tailMentionIndex: 2, type: 'flow' },
    { headMentionIndex: 2, tailMentionIndex: 4, type: 'flow' },
    { headMentionIndex: 4, tailMentionIndex: 8, type: 'flow' },
    { headMentionIndex: 8, tailMentionIndex: 5, type: 'flow' },
    { headMentionIndex: 4, tailMentionIndex: 6, type: 'same gateway' },
    { headMentionIndex: 6, tailMentionIndex: 7, type: 'flow' },
  ];
  return { id: 'fixture', text, tokens, mentions, relations };
}

describe('goldGraph', () => {
  it('collapses gateways (same gateway joined) and conditions into activity edges', () => {
    const gold = goldGraph(fixture());
    expect(gold.activities.map((a) => [a.text, a.data])).toEqual([
      ['detect', 'requirements'],
      ['report', 'the vacancy'],
      ['ask', ''],
      ['approve', ''],
    ]);
    expect(gold.edges.map((e) => e.join('→')).sort()).toEqual(['0→1', '1→2', '1→3']);
    expect(gold.description).toBe('I detect requirements. I report the vacancy. If needed, I ask for corrections, otherwise I approve it.');
  });

  it('detokenises PET text', () => {
    expect(detokenise("It is n't ( really ) done , is it ?")).toBe("It isn't (really) done, is it?");
  });
});

describe('scores', () => {
  const gold: GoldGraph = goldGraph(fixture());
  const cases: [string, string, number, number, number][] = [
    // name, diagram, activity recall, edge precision, edge recall
    [
      'perfect, with a decision node',
      'flowchart TD\n a["Detect requirements"] --> b["Report the vacancy"] --> c{"Corrections needed?"}\n c -->|yes| d["Ask for corrections"]\n c -->|no| e["Approve job description"]',
      1,
      1,
      1,
    ],
    [
      'a wrong edge and a missing activity',
      'flowchart TD\n a["Detected requirements"] --> b["Approve"]\n b --> c["Report vacancy"]',
      3 / 4,
      0,
      0,
    ],
    ['nothing', '', 0, 0, 0],
    ['prose nodes only', 'flowchart TD\n a["Start"] --> b["End"]', 0, 0, 0],
  ];
  it.each(cases)('%s', (_name, code, recall, precision, edgeRecall) => {
    const graph = parseFlowchart(code);
    expect(activityRecall(gold, graph).recall).toBeCloseTo(recall);
    const edges = edgeScore(gold, graph);
    expect(edges.precision).toBeCloseTo(precision);
    expect(edges.recall).toBeCloseTo(edgeRecall);
  });

  it('matches repeated verbs by their data', () => {
    const g: GoldGraph = {
      id: 'x',
      description: '',
      activities: [
        { mention: 0, text: 'check', data: 'the invoice' },
        { mention: 1, text: 'check', data: 'the delivery' },
      ],
      edges: [[0, 1]],
    };
    const graph = parseFlowchart('flowchart TD\n a["Check delivery"] --> b["Check invoice"]');
    expect([...matchNodes(g, graph)]).toEqual([['a', 1], ['b', 0]]);
    expect([...collapsedEdges(graph, matchNodes(g, graph))]).toEqual(['1,0']);
  });

  it('percentiles (nearest rank)', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 95)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 90)).toBe(9);
    expect(percentile([1, 2, 3], 100)).toBe(3);
  });
});

const { path: PET, present: hasPet } = sharedData('corpus', 'pet', 'pet.jsonl');
describe.runIf(hasPet)('the PET corpus', () => {
  it('reads 45 documents; gold graphs have the README totals of activities', () => {
    const docs = readPet(PET);
    expect(docs).toHaveLength(45);
    const golds = docs.map(goldGraph);
    expect(golds.reduce((n, g) => n + g.activities.length, 0)).toBe(501);
    expect(golds.every((g) => g.description.length > 0)).toBe(true);
    expect(golds.reduce((n, g) => n + g.edges.length, 0)).toBeGreaterThan(300);
  });
});
