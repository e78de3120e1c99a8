import { describe, expect, it } from 'vitest';
import { readSnapshot } from './drawnUnits.ts';

describe('readSnapshot', () => {
  it('reads a flowchart: vertices and subgraphs are units, edge labels are texts', () => {
    const drawn = readSnapshot({
      type: 'flowchart-v2',
      title: null,
      data: {
        getVertices: [['A', { id: 'A', text: 'Start' }], ['B', { id: 'B', text: 'B' }]],
        getEdges: [{ start: 'A', end: 'B', text: 'go' }],
        getSubGraphs: [{ id: 'S', title: 'Team', nodes: ['A'] }],
      },
    });
    expect(drawn.units).toEqual([{ id: 'A', label: 'Start', parent: 'S' }, { id: 'B', label: 'B' }, { id: 'S', label: 'Team' }]);
    expect(drawn.texts).toEqual(['Start', 'B', 'go', 'Team']);
  });

  it('skips start/end markers and note groups of a state diagram, keeps composite parents', () => {
    const drawn = readSnapshot({
      type: 'stateDiagram',
      title: 'T',
      data: { getData: { nodes: [{ id: 'root_start', shape: 'stateStart', label: 'root_start' }, { id: 'Idle', shape: 'rect', label: 'Idle', parentId: 'Busy' }, { id: 'n----parent', shape: 'noteGroup', label: 'x' }, { id: 'n', shape: 'note', label: 'waits' }], edges: [{ label: 'go' }] } },
    });
    expect(drawn.units).toEqual([{ id: 'Idle', label: 'Idle', parent: 'Busy' }]);
    expect(drawn.texts).toEqual(['T', 'Idle', 'waits', 'go']);
  });

  it.each([
    ['pie', { getSections: [['Dogs', 40]] }, ['Dogs']],
    ['sankey', { getNodes: [{ ID: 'Solar' }] }, ['Solar']],
    ['gitGraph', { getBranchesAsObjArray: [{ name: 'main' }], getCommitsArray: [{ id: '0-abcdef1', message: '' }, { id: 'v1' }] }, ['main', 'v1']],
  ])('%s units', (type, data, ids) => {
    expect(readSnapshot({ type, title: null, data }).units.map((u) => u.id)).toEqual(ids);
  });

  it('never throws on data of an unexpected shape', () => {
    for (const type of ['flowchart-v2', 'sequence', 'stateDiagram', 'classDiagram', 'er', 'gantt', 'mindmap', 'quadrantChart', 'xychart', 'block', 'requirement', 'unknown']) {
      const drawn = readSnapshot({ type, title: null, data: { getVertices: 3, getData: 'x', getMindmap: [1], getQuadrantData: null, getClasses: [[1]] } });
      expect(drawn.diagramType).toBe(type);
    }
  });
});
