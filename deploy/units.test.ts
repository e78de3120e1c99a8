/**
 * Small pure pieces of deploy.ts: README front matter (deterministic, valid
 * YAML even for awkward titles, the Hub's rules), redaction, and the model
 * file selection used by scripts/fetch-model.ts.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MASK, Redactor } from './redact.ts';
import { defaultCard, renderReadme, validateCard } from './spaces/readme.ts';

describe('README front matter', () => {
  it('is deterministic and parses as YAML with the Hub keys', () => {
    const card = { ...defaultCard(), title: 'Flows: "quoted" #1 — ünïcode', suggestedHardware: 'l4x1' };
    const a = renderReadme(card, 'alice/flows');
    expect(renderReadme(card, 'alice/flows')).toBe(a);
    const fm = parse(a.split('---\n')[1]!) as Record<string, unknown>;
    expect(fm).toMatchObject({
      title: 'Flows: "quoted" #1 — ünïcode',
      sdk: 'docker',
      app_port: 7860,
      colorFrom: 'indigo',
      colorTo: 'purple',
      suggested_hardware: 'l4x1',
      models: ['onnx-community/Qwen3-4B-Instruct-2507-ONNX'],
      license: 'apache-2.0',
      pinned: false,
      startup_duration_timeout: '1h',
    });
    expect((fm.short_description as string).length).toBeLessThanOrEqual(60);
    expect(validateCard(card)).toEqual([]);
  });

  it('flags what the Hub would reject', () => {
    const errors = validateCard({ ...defaultCard(), colorTo: 'teal', suggestedHardware: 'h100', shortDescription: 'x'.repeat(70), appPort: 8080, title: 'a\nb' });
    expect(errors.join('\n')).toMatch(/colorTo "teal"/);
    expect(errors.join('\n')).toMatch(/suggested_hardware "h100"/);
    expect(errors.join('\n')).toMatch(/70 characters/);
    expect(errors.join('\n')).toMatch(/app_port 8080/);
    expect(errors.join('\n')).toMatch(/one line/);
  });
});

describe('Redactor', () => {
  it('masks registered secrets and anything shaped like an HF token', () => {
    const r = new Redactor();
    r.add('s3cr3t-value');
    r.add('ab'); // too short to mask safely
    expect(r.redact('key=s3cr3t-value tok=hf_abcdefGHIJ123 ab')).toBe(`key=${MASK} tok=${MASK} ab`);
  });
});

describe('gcloud list flags', async () => {
  const { listFlag } = await import('./cloudrun/commands.ts');
  it('joins with commas, or switches delimiter when a value holds one', () => {
    expect(listFlag({ A: '1', B: 'x=y' })).toBe('A=1,B=x=y');
    expect(listFlag({ A: '1,2', B: '3' })).toBe('^@^A=1,2@B=3');
    expect(listFlag({ A: '1,2@', B: '3' })).toBe('^#^A=1,2@#B=3');
  });
});
