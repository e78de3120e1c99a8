import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, statusOf } from './errors.ts';
import { MAX_DESCRIPTION_CHARS, MAX_DIAGRAM_CHARS } from './limits.ts';
import { normalizeCode, normalizeRequest } from './request.ts';

const rules = { maxNewTokens: 100 };
const emoji = '😀'; // one code point, two UTF-16 code units

describe('normalizeRequest: refusals', () => {
  it.each<[string, unknown, string, string, RegExp]>([
    ['not an object', [1, 2], 'invalid_request', 'body', /must be a JSON object/],
    ['null body', null, 'invalid_request', 'body', /JSON object/],
    ['missing description', {}, 'invalid_request', 'description', /`description` is required/],
    ['description not a string', { description: 1 }, 'invalid_request', 'description', /`description` must be a string/],
    ['blank description', { description: ' \t\n' }, 'empty_description', 'description', /empty/],
    ['unknown type', { description: 'x', diagramType: 'pie' }, 'invalid_request', 'diagramType', /`diagramType` must be one of: auto, flowchart/],
    ['unknown direction', { description: 'x', direction: 'XY' }, 'invalid_request', 'direction', /TD, LR/],
    ['fractional tokens', { description: 'x', maxNewTokens: 1.5 }, 'invalid_request', 'maxNewTokens', /integer/],
    ['tokens as text', { description: 'x', maxNewTokens: '5' }, 'invalid_request', 'maxNewTokens', /integer/],
    ['tokens over the ceiling', { description: 'x', maxNewTokens: 101 }, 'invalid_request', 'maxNewTokens', /between 1 and 100/],
    ['zero tokens', { description: 'x', maxNewTokens: 0 }, 'invalid_request', 'maxNewTokens', /between 1 and 100/],
    ['control character', { description: 'a\u001bb' }, 'invalid_request', 'description', /U\+001B/],
    ['lone surrogate', { description: 'a\ud800b' }, 'invalid_request', 'description', /lone surrogate, U\+D800/],
    ['instruction alone', { description: 'a', instruction: 'more' }, 'invalid_request', 'instruction', /currentDiagram/],
    ['diagram without instruction, no description', { description: ' ', currentDiagram: 'flowchart TD\n a' }, 'empty_description', 'description', /empty/],
    ['description one over', { description: 'a'.repeat(MAX_DESCRIPTION_CHARS + 1) }, 'too_large', 'description', /at most 8000 characters/],
    // 4,001 emoji are 8,002 UTF-16 units: over, as a browser's maxlength would say.
    ['description of emoji', { description: emoji.repeat(MAX_DESCRIPTION_CHARS / 2 + 1) }, 'too_large', 'description', /8002 characters/],
    ['diagram of emoji', { description: 'x', currentDiagram: emoji.repeat(MAX_DIAGRAM_CHARS / 2 + 1), instruction: 'y' }, 'too_large', 'currentDiagram', /at most 20000/],
  ])('%s → %s on %s', (_name, raw, code, field, message) => {
    const r = normalizeRequest(raw, rules);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.field).toBe(field);
    expect(r.error.message).toMatch(message);
  });
});

describe('normalizeRequest: what passes, and how it comes out', () => {
  it.each<[string, unknown, object]>([
    ['defaults resolved', { description: 'Order, then ship.' }, { description: 'Order, then ship.', maxNewTokens: 100 }],
    ['blank optional fields dropped', { description: 'Étape 1\tpuis\r\n2 🚚 שלום', instruction: '', currentDiagram: '' }, { description: 'Étape 1\tpuis\r\n2 🚚 שלום', maxNewTokens: 100 }],
    ['unknown keys ignored', { description: 'x', colour: 'red' }, { description: 'x', maxNewTokens: 100 }],
    [
      'a refinement needs no description',
      { description: '', currentDiagram: 'flowchart TD\n a', instruction: 'add b', diagramType: 'flowchart', direction: 'LR', maxNewTokens: 7 },
      { description: '', currentDiagram: 'flowchart TD\n a', instruction: 'add b', diagramType: 'flowchart', direction: 'LR', maxNewTokens: 7 },
    ],
    ['exactly at the limit', { description: emoji.repeat(MAX_DESCRIPTION_CHARS / 2) }, { description: emoji.repeat(MAX_DESCRIPTION_CHARS / 2), maxNewTokens: 100 }],
  ])('%s', (_name, raw, want) => {
    const r = normalizeRequest(raw, rules);
    expect(r).toEqual({ ok: true, request: want });
  });
});

describe('normalizeCode', () => {
  it.each<[unknown, boolean, string?]>([
    [{ code: 'flowchart TD\n a --> b' }, true],
    [{ code: 'a'.repeat(MAX_DIAGRAM_CHARS) }, true],
    [{ code: emoji.repeat(MAX_DIAGRAM_CHARS / 2) }, true],
    // 10,001 emoji: 20,002 UTF-16 units, over the 20,000 limit.
    [{ code: emoji.repeat(MAX_DIAGRAM_CHARS / 2 + 1) }, false, 'too_large'],
    [{ code: ['flowchart'] }, false, 'invalid_request'],
    [{}, false, 'invalid_request'],
    [{ code: 'a\udc00' }, false, 'invalid_request'],
  ])('%#', (raw, ok, code) => {
    const r = normalizeCode(raw);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.error.code).toBe(code);
  });
});

describe('error codes', () => {
  it('each code has one status; unknown codes are 500', () => {
    expect(statusOf('too_large')).toBe(413);
    expect(statusOf('empty_description')).toBe(400);
    expect(statusOf('unsupported_media_type')).toBe(415);
    expect(statusOf('no_such_code')).toBe(500);
    expect(Object.keys(ERROR_STATUS)).not.toContain('description_too_long');
  });
});
