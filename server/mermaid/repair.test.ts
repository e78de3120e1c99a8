import { afterAll, describe, expect, it } from 'vitest';
import { MODEL_OUTPUTS, readModelOutput } from '../../tests/fixtures/model-outputs/index.ts';
import { extractDiagram } from './extract.ts';
import { maskLabels, findLabels } from './flowchart.ts';
import { isProseLine } from './prose.ts';
import { repair } from './repair.ts';
import { sanitize } from './sanitize.ts';
import { closeValidator, validate } from './validate.ts';

afterAll(closeValidator);

const KEYWORDS = new Set(['flowchart', 'graph', 'subgraph', 'end', 'style', 'class', 'classDef', 'linkStyle', 'click', 'direction', 'TD', 'TB', 'LR', 'RL', 'BT']);
/** Statement lines that hold no node: keywords and comments (`%%`, and the `//` / `#` that fix-comments turns into `%%`). */
const NOT_NODES = /^\s*(?:(?:subgraph|style|classDef|class|linkStyle)\b|%%|\/\/|#\s)/;

/** Node ids of a flowchart, as words (`end_` → `end`, `Check_Stock` → `Check`, `Stock`). */
function nodeIds(code: string): Set<string> {
  const ids = new Set<string>();
  for (const line of code.split('\n').slice(1)) {
    if (NOT_NODES.test(line)) continue;
    const { masked } = maskLabels(line);
    for (const token of masked.replace(/\u0000\d+\u0000/g, ' ').match(/\p{L}+|\p{N}+/gu) ?? []) {
      if (!KEYWORDS.has(token) || /-->|---|==>/.test(masked)) ids.add(token);
    }
  }
  return ids;
}

/** Label texts, decoded: outer quotes, #quot; and HTML tags removed, whitespace collapsed. */
function labels(code: string): Set<string> {
  const out = new Set<string>();
  for (const line of code.split('\n').slice(1)) {
    for (const l of findLabels(line)) {
      const text = line
        .slice(l.start, l.end)
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .replace(/#quot;/g, '"')
        .replace(/[“”]/g, '"')
        .replace(/<br\s*\/?>/gi, ' ')
        .replace(/<\/?[a-z][^>]*>/gi, '')
        .replace(/\s+/g, ' ')
        .trim();
      if (text) out.add(text);
    }
  }
  return out;
}

/** Mermaid's entity codes read as their characters (`#59;` → `;`, `#quot;` → `"`). */
function decode(code: string): string {
  return code
    .replace(/#quot;/g, '"')
    .replace(/#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/[“”]/g, '"');
}

/** Words a repair may write that the model did not: syntax, never content. */
const SYNTAX_WORDS = new Set(['end', 'state', 'as', 'of', 'over', 'o', 'TD', 'TB', 'BT', 'LR', 'RL', 'PK', 'FK', 'UK', 'd', 'w', 'h', 'm', 'M', 'y', 'DD', 'MM', 'YYYY', 'dateFormat']);
const words = (code: string) => new Set(decode(code).match(/\p{L}+|\p{N}+/gu) ?? []);

describe('repair on raw model outputs: extract → repair → valid, nothing invented or lost', () => {
  it.each(MODEL_OUTPUTS.filter((c) => c.header !== null && c.valid !== false))('$file: $mistake', async ({ file, repairs, keeps }) => {
    const extracted = extractDiagram(readModelOutput(file))!;
    const result = await repair(extracted.code);
    expect(result.valid).toBe(true);
    expect(result.error).toBeUndefined();
    expect(result.repairs).toEqual(repairs);
    expect(await validate(result.code)).toEqual({ ok: true, diagramType: result.diagramType });

    // Every type: the texts that matter are still there, and no word appears that the model did not write.
    const shown = decode(result.code);
    for (const text of keeps ?? []) expect(shown, `keeps "${text}"`).toContain(decode(text));
    const written = words(extracted.code);
    for (const word of words(result.code)) if (!SYNTAX_WORDS.has(word)) expect(written, `invented word ${word}`).toContain(word);

    if (!/^(?:flowchart|graph)\b/m.test(extracted.code)) return;
    // What the model wrote, less what repairs may remove: prose, a cut last line, injected tags.
    // A cut last line may go, and only when the result says so.
    const cut = new Set(result.changes.filter((c) => c.kind === 'dropped-cut-line').map((c) => c.line));
    let lines = sanitize(extracted.code).code.split('\n').filter((l, k) => !isProseLine(l) && !cut.has(k + 1));
    if (repairs?.includes('drop-broken-tail')) lines = lines.slice(0, -1);
    const original = lines.join('\n');
    const [before, after] = [nodeIds(original), nodeIds(result.code)];
    for (const id of before) expect(after, `node ${id}`).toContain(id);
    for (const id of after) expect(before, `invented node ${id}`).toContain(id);
    const [labelsBefore, labelsAfter] = [labels(original), labels(result.code)];
    for (const l of labelsBefore) expect(labelsAfter, `label ${l}`).toContain(l);
    const arrows = (s: string) => s.split('\n').reduce((n, l) => n + (maskLabels(l).masked.match(/[-=.]>+/g) ?? []).length, 0);
    expect(arrows(result.code)).toBe(arrows(original));
  });

  it.each(MODEL_OUTPUTS.filter((c) => c.valid === false))('$file: $mistake — left for the model, with the parser\'s error', async ({ file, repairs, error }) => {
    const extracted = extractDiagram(readModelOutput(file))!;
    const result = await repair(extracted.code);
    expect(result.valid).toBe(false);
    expect(result.repairs).toEqual(repairs);
    expect(result.error?.line).toBe(error!.line);
    expect(result.error?.message).toMatch(error!.message);
    if (repairs!.length === 0) expect(result.code).toBe(extracted.code);
  });
});

describe('repair: behaviour', () => {
  it('returns a valid diagram unchanged, with no repairs', async () => {
    const code = 'flowchart TD\n  A[Start] --> B{Ok?}\n  B -->|yes| C[Done]';
    expect(await repair(code)).toEqual({ code, valid: true, diagramType: 'flowchart', repairs: [], changes: [] });
  });

  it('strips configuration even from a valid diagram', async () => {
    const result = await repair('%%{init: {"securityLevel": "loose"}}%%\nflowchart TD\n  A --> B\n  click A call alert()');
    expect(result).toEqual({
      code: 'flowchart TD\n  A --> B',
      valid: true,
      diagramType: 'flowchart',
      repairs: ['strip-directives'],
      changes: [
        { kind: 'removed-config', message: expect.stringContaining('configuration') },
        { kind: 'removed-interaction', message: expect.stringContaining('interaction') },
      ],
    });
  });

  it('does not turn a list into a diagram', async () => {
    const code = '- Receive order\n- Check stock\n- Ship';
    const result = await repair(code);
    expect(result.valid).toBe(false);
    expect(result.code).toBe(code);
    expect(result.repairs).toEqual([]);
    expect(result.error?.message).toMatch(/No diagram type detected/);
  });

  it('returns the model\'s own diagram untouched, with the parser\'s error, when nothing makes it valid', async () => {
    const code = 'sequenceDiagram\n  Alice->>Bob: Hallo\n  Bob-->>Alice: Hi\n  loop every minute\n  Alice-)Bob: ping\n  end\n  end\n  else';
    const result = await repair(code);
    expect(result.valid).toBe(false);
    expect(result.code).toBe(code);
    expect(result.error?.line).toBeGreaterThan(1);
  });

  it('repairs non-flowchart diagrams cut by the budget', async () => {
    const cut = await repair('sequenceDiagram\n  Alice->>Bob: Hallo\n  Bob->>');
    expect(cut).toMatchObject({ valid: true, diagramType: 'sequence', changes: [{ kind: 'dropped-cut-line', line: 3 }] });
    expect(cut.code).toMatch(/^sequenceDiagram\n\s+Alice->>Bob: Hallo$/);
  });

  it('reads a flowchart with several mistakes at once: a cut tail, an `end` id, an open subgraph', async () => {
    const result = await repair('flowchart TD\n  A[Start] --> end\n  subgraph S\n    B --> C\n    C --> D[Che');
    expect(result).toMatchObject({ valid: true, repairs: ['lenient-flowchart'] });
    expect(result.code).toBe('flowchart TD\n    A["Start"] --> end_["end"]\n    subgraph S\n        B --> C\n    end');
    expect(result.changes).toEqual([{ kind: 'dropped-cut-line', message: expect.stringContaining('C --> D[Che'), line: 5 }]);
  });

  it('changes nothing in a diagram it has repaired (every fixture)', async () => {
    for (const c of MODEL_OUTPUTS.filter((m) => m.header !== null)) {
      const once = await repair(extractDiagram(readModelOutput(c.file))!.code);
      const twice = await repair(once.code);
      expect({ file: c.file, code: twice.code, repairs: twice.repairs }).toEqual({ file: c.file, code: once.code, repairs: [] });
    }
  });

  it('is safe to call concurrently', async () => {
    const inputs = MODEL_OUTPUTS.filter((c) => c.header !== null && c.valid !== false).map((c) => extractDiagram(readModelOutput(c.file))!.code);
    const results = await Promise.all(inputs.map((code) => repair(code)));
    expect(results.every((r) => r.valid)).toBe(true);
  });
});

describe('repair keeps what the model wrote that draws nothing or has no target', () => {
  it.each([
    ['state (de): whole-line and trailing comments', 'stateDiagram-v2\n  %% Ablauf\n  [*] --> Offen %% Start\n  Offen -> Zu', ['Ablauf', 'Start']],
    ['sequence (ko): a trailing %% Mermaid would draw as message text', 'sequenceDiagram\n  A->>B: 주문 %% 첫 단계\n  B-->>A: 확인', ['첫 단계']],
    ['ER (en): a trailing comment is a parse error there', 'erDiagram\n  CUSTOMER ||--o{ ORDER : places %% one customer, many orders', ['one customer, many orders']],
  ])('%s', async (_name, input, comments) => {
    const result = await repair(input);
    expect(result.valid).toBe(true);
    for (const c of comments) expect(result.code.split('\n').map((l) => l.trim())).toContain(`%% ${c}`);
    expect(result.changes.filter((c) => c.kind === 'removed-comment' || c.kind === 'lost-content')).toEqual([]);
  });

  it('draws a dangling edge text at the end of a cut answer as a node (es)', async () => {
    const result = await repair('flowchart TD\n  A[Pedido] --> B{¿Stock?}\n  B -->|Sí| C[Enviar]\n  B -- "Sin stock"');
    expect(result.valid).toBe(true);
    expect(result.code).toContain('B --> n1["Sin stock"]');
    expect(result.changes.map((c) => c.kind)).toEqual(['edge-text-as-node']);
  });
});
