import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeValidator, validate } from '../../mermaid/validate.ts';
import { DEAD, runBytes, shortestCompletion, type ByteDfa } from './dfa.ts';
import { flowchartDfa, RESERVED } from './flowchart.ts';
import { rng, sampleText } from './sample.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
let dfa: ByteDfa;

beforeAll(() => {
  dfa = flowchartDfa();
});
afterAll(() => closeValidator());

/** 'accept' | 'prefix' (can still be completed) | 'dead'. */
function verdict(text: string): string {
  const s = runBytes(dfa, dfa.start, enc.encode(text));
  return s === DEAD ? 'dead' : dfa.accepting[s] ? 'accept' : 'prefix';
}

const H = 'flowchart TD\n';

describe('flowchart grammar (byte automaton)', () => {
  it.each([
    [H, 'accept'],
    ['flowchart LR\nA', 'accept'],
    ['flowchart RL\n', 'dead'],
    ['graph TD\n', 'dead'],
    [`${H}A --> B --> C\n`, 'accept'],
    [`${H}  A["Start"] --> B{"Ok?"}\n  B -->|"yes"| C(["Done"])\n  B -.-> D(("x")) ==> E("y") --- F\n`, 'accept'],
    [`${H}A -->|"x"|B`, 'accept'],
    [`${H}A -->|"x"|  B`, 'dead'], // Mermaid refuses two spaces after an edge label
    [`${H}A --> B`, 'accept'], // a run may stop after a complete statement
    [`${H}A --> `, 'prefix'],
    [`${H}A["ab`, 'prefix'],
    [`${H}A[""]`, 'dead'], // empty label
    [`${H}A["a"b"]`, 'dead'],
    [`${H}A["line\nbreak"]`, 'dead'],
    [`${H}A["\`md\`"]`, 'dead'],
    [`${H}A[plain]`, 'dead'],
    [`${H}A["é 한국어 😀"]`, 'accept'],
    [`${H}end\n`, 'dead'],
    [`${H}A --> end`, 'prefix'], // not complete: `endpoint` would be fine
    [`${H}A --> end\n`, 'dead'],
    [`${H}End --> B`, 'dead'],
    [`${H}A --> Style `, 'dead'],
    [`${H}ending --> endless`, 'accept'],
    [`${H}subgraph S ["Title"]\n  A\nend\n`, 'accept'],
    [`${H}subgraph S\n  A`, 'prefix'], // open subgraph: not complete
    [`${H}subgraph S\n  A\nend`, 'accept'],
    [`${H}subgraph S ["t"] \n`, 'dead'], // Mermaid refuses spaces after a title
    [`${H}subgraph a\nsubgraph b\nsubgraph c\nsubgraph d\n`, 'dead'], // depth 4 > 3
    [`${H}subgraph a\nsubgraph b\nsubgraph c\nA\nend\nend\nend\n`, 'accept'],
    [`${H}A --> B;`, 'dead'],
    [`${H}A & B`, 'dead'],
    [`${H}%% comment`, 'dead'],
  ])('%j → %s', (text, want) => {
    expect(verdict(text)).toBe(want);
  });

  it('rejects invalid UTF-8 inside labels, byte by byte', () => {
    const base = enc.encode(`${H}A["`);
    for (const bad of [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xff]]) {
      expect(runBytes(dfa, runBytes(dfa, dfa.start, base), bad)).toBe(DEAD);
    }
    // a character split across two tokens is fine: the state in between is a live prefix
    const mid = runBytes(dfa, dfa.start, Uint8Array.from([...base, 0xf0, 0x9f]));
    expect(mid).not.toBe(DEAD);
    expect(dfa.accepting[runBytes(dfa, mid, [0x98, 0x80, 0x22, 0x5d])]).toBe(1);
  });

  it('has a finite, small automaton whose every state can still be completed', () => {
    expect(dfa.size).toBeGreaterThan(50);
    expect(dfa.size).toBeLessThan(2000);
    for (let s = 0; s < dfa.size; s++) expect(dfa.accepting[runBytes(dfa, s, shortestCompletion(dfa, s))]).toBe(1);
  });

  it("Mermaid's parser refuses every reserved id and accepts the ids next to them", async () => {
    for (const w of RESERVED) {
      const forms = [`${H}A --> ${w}`, `${H}${w}\n`, `${H}subgraph ${w} ["t"]\nA\nend`];
      const ok = await Promise.all(forms.map(async (f) => (await validate(f)).ok));
      expect(ok.includes(false), w).toBe(true);
    }
    for (const w of ['ending', 'classes', 'graphs', 'Styles', 'defaults', 'o', 'x', 'v', 'Ending']) {
      expect(verdict(`${H}A --> ${w}\n`)).toBe('accept');
      expect((await validate(`${H}A --> ${w}\n`)).ok, w).toBe(true);
    }
  });

  it("every random text of the grammar is accepted by Mermaid's parser (300 walks)", async () => {
    const random = rng(18);
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const bytes = sampleText(dfa, dfa.start, 20 + Math.floor(random() * 200), random);
      const text = dec.decode(bytes);
      expect(dfa.accepting[runBytes(dfa, dfa.start, bytes)]).toBe(1);
      const r = await validate(text);
      if (!r.ok) failures.push(`${JSON.stringify(text)}\n  ${r.message.split('\n')[0]}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
