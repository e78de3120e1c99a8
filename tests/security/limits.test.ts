/**
 * Issue 14, item 5: every text limit counts UTF-16 code units, as the
 * browser's `maxlength` and the UI counter do (an emoji is 2). Before, the
 * schema counted code points for `code`, so 10,001 emoji (20,002 units)
 * passed a 20,000 limit. The rule book (common/request.ts) is the one judge
 * on every door: JSON, SSE, Gradio.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_DESCRIPTION_CHARS, MAX_DIAGRAM_CHARS, MAX_INSTRUCTION_CHARS } from '../../common/limits.ts';
import { makeApp, parseSse, type TestApp } from '../http/helpers.ts';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.shutdown();
  t = null;
});

const EMOJI = '😀'; // 1 code point, 2 UTF-16 code units
const over = (limit: number) => EMOJI.repeat(limit / 2 + 1); // limit + 2 units, limit / 2 + 1 code points
const at = (limit: number) => EMOJI.repeat(limit / 2);

describe('limits in UTF-16 code units', () => {
  it.each([
    ['/api/validate', 'code', { code: over(MAX_DIAGRAM_CHARS) }],
    ['/api/repair', 'code', { code: over(MAX_DIAGRAM_CHARS) }],
    ['/api/generate', 'description', { description: over(MAX_DESCRIPTION_CHARS) }],
    ['/api/generate/stream', 'description', { description: over(MAX_DESCRIPTION_CHARS) }],
    ['/api/generate', 'currentDiagram', { description: 'x', currentDiagram: over(MAX_DIAGRAM_CHARS), instruction: 'y' }],
    ['/api/generate', 'instruction', { description: 'x', currentDiagram: 'flowchart TD\n a', instruction: over(MAX_INSTRUCTION_CHARS) }],
  ] as const)('%s refuses a body whose `%s` is over its limit in emoji (413 too_large)', async (path, field, body) => {
    t = await makeApp();
    const res = await t.post(path, body);
    expect(res.status).toBe(413);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('too_large');
    expect(error.message).toContain(`\`${field}\``);
    expect(t.engine.received).toHaveLength(0);
  });

  it('exactly at the limit in emoji is accepted', async () => {
    t = await makeApp();
    expect((await t.post('/api/validate', { code: at(MAX_DIAGRAM_CHARS) })).status).toBe(200);
    const res = await t.post('/api/generate', { description: at(MAX_DESCRIPTION_CHARS) });
    expect(res.status).toBe(200);
  });

  it('the Gradio door counts the same way (a failed run naming the parameter)', async () => {
    t = await makeApp();
    const post = await t.app.request('/gradio_api/call/generate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: [over(MAX_DESCRIPTION_CHARS)] }),
    });
    const { event_id } = (await post.json()) as { event_id: string };
    const frames = parseSse(await (await t.app.request(`/gradio_api/call/generate/${event_id}`)).text());
    expect(frames.at(-1)!.event).toBe('error');
    expect(JSON.parse(frames.at(-1)!.data).error).toMatch(/`description` is too long: 8002 characters, at most 8000/);
    expect(t.engine.received).toHaveLength(0);
  });
});
