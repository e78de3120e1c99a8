import { describe, expect, it } from 'vitest';
import { checkContent, decodeEntities, words } from './content.ts';

describe('decodeEntities', () => {
  it.each([
    ['Say #quot;hi#quot;', 'Say "hi"'],
    ['I #9829; it', 'I ♥ it'],
    ['a &amp; b &#35;1', 'a & b #1'],
    ['#notacode', '#notacode'],
    ['C#; stays', 'C#; stays'],
    ['Mermaid keeps ﬂ°quot¶ßthisﬂ°quot¶ß and ﬂ°°9829¶ß', 'Mermaid keeps "this" and ♥'],
  ])('%s', (input, out) => expect(decodeEntities(input)).toBe(out));
});

describe('words', () => {
  it.each([
    ['Check stock (warehouse)', ['check', 'stock', 'warehouse']],
    ['Étape 1 : réception', ['étape', '1', 'réception']],
    ['재고 확인<br>창고', ['재고', '확인', '창고']],
    ['注文を確認する', ['注文を確認する']],
    ['<<interface>> List<T> <b>bold</b>', ['interface', 'list', 't', 'bold']],
    ['التحقق من الطلب', ['التحقق', 'من', 'الطلب']],
  ])('%s', (input, out) => expect(words(input)).toEqual(out));
});

describe('checkContent', () => {
  const drawn = {
    units: [{ id: 'A', label: 'Receive order' }, { id: 'end_', label: 'end' }, { id: 'B', label: '注文を確認する' }],
    texts: ['Receive order', 'end', '注文を確認する', 'if #quot;valid#quot;'],
  };
  it('keeps units by id or label, words by word', () => {
    expect(checkContent({ units: ['A', 'end', 'Receive order'], labels: ['Receive order', 'if "valid"'] }, drawn)).toEqual({
      missingUnits: [],
      missingWords: [],
      wrongParents: [],
      invented: ['B[注文を確認する]'],
    });
  });
  it('reports what is missing', () => {
    expect(checkContent({ units: ['C', 'B'], labels: ['Receive the order', 'valid'] }, drawn)).toEqual({
      missingUnits: ['C'],
      missingWords: ['the'],
      wrongParents: [],
      invented: ['A[Receive order]', 'end_[end]'],
    });
  });
  it('matches whole words only, in spaceless scripts too', () => {
    expect(checkContent({ units: [], labels: ['注文', '注文を確認する', 'rec'] }, drawn)).toMatchObject({ missingUnits: [], missingWords: ['注文', 'rec'], wrongParents: [] });
    expect(checkContent({ units: [], labels: ['否'] }, { units: [], texts: ['是否有预约？'] }).missingWords).toEqual(['否']);
  });
  it('reports units the answer does not name, except those of the cut last line', () => {
    const prose = { units: [{ id: 'A', label: 'Start' }, { id: 'Note', label: 'this is prose' }, { id: 'C', label: 'Pay by ca' }], texts: [] };
    expect(checkContent({ units: ['A'], labels: [] }, prose).invented).toEqual(['Note[this is prose]', 'C[Pay by ca]']);
    expect(checkContent({ units: ['A'], labels: [], mayDraw: '  A --> C[Pay by ca' }, prose).invented).toEqual(['Note[this is prose]']);
    // a duplicate id split in two: the second label becomes a node under a new id
    const split = { units: [{ id: 'B', label: 'Check' }, { id: 'B_2', label: 'Archive' }], texts: [] };
    expect(checkContent({ units: ['B'], labels: ['Check', 'Archive'] }, split).invented).toEqual([]);
  });
  it('checks hierarchy by id or label of the parent', () => {
    const tree = {
      units: [{ id: 'root', label: 'Trip' }, { id: 'Budget', label: 'Budget', parent: 'root' }, { id: 'Food', label: 'Food', parent: 'root' }],
      texts: [],
    };
    const check = checkContent({ units: [], labels: [], parents: [['Budget', 'Trip'], ['Food', 'Budget'], ['Visa', 'Trip']] }, tree);
    expect(check.wrongParents).toEqual(['Food>Budget', 'Visa>Trip']);
  });
});
