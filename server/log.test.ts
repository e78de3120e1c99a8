import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED, silentLogger } from './log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines with level label, time, name and message', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'engine', destination });
    log.info({ device: 'cpu' }, 'model ready');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', name: 'engine', device: 'cpu', msg: 'model ready' });
    expect(typeof lines[0]!.time).toBe('string');
  });

  it('pretty: one readable line per record, secrets still redacted', async () => {
    let text = '';
    const destination = new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    });
    const log = createLogger({ name: 'server', destination, pretty: true });
    log.info({ port: 7860, apiKey: 'sk-secret' }, 'listening');
    log.warn('UI not available');
    await new Promise((r) => setTimeout(r, 50));
    const lines = text.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[?\d\d:\d\d:\d\d\]? INFO \(server\): listening \{.*"port":7860/);
    expect(lines[1]).toMatch(/WARN \(server\): UI not available/);
    expect(text).not.toContain('sk-secret');
    expect(text).not.toMatch(/^\{/m);
  });

  it('respects the level', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'warn', destination });
    log.info('hidden');
    log.warn('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });

  it.each([
    [{ hfToken: 'hf_x' }, ['hfToken']],
    [{ apiKey: 'k' }, ['apiKey']],
    [{ HF_TOKEN: 'hf_x', API_KEY: 'k' }, ['HF_TOKEN', 'API_KEY']],
    [{ config: { hfToken: 'hf_x', apiKey: 'k', port: 1 } }, ['config.hfToken', 'config.apiKey']],
    [{ req: { headers: { authorization: 'Bearer k', 'x-api-key': 'k', host: 'h' } } }, ['req.headers.authorization', 'req.headers.x-api-key']],
    [{ headers: { Authorization: 'Bearer k' } }, ['headers.Authorization']],
    [{ a: { b: { token: 't' } } }, ['a.b.token']],
  ])('redacts secrets in %j', (obj, paths) => {
    const { lines, destination } = capture();
    createLogger({ destination }).info(obj, 'x');
    const line = lines[0]!;
    for (const p of paths) {
      const value = p.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], line);
      expect(value, p).toBe(REDACTED);
    }
    expect(JSON.stringify(line)).not.toMatch(/hf_x|Bearer k|"k"|"t"/);
  });

  it('keeps non-secret fields next to redacted ones', () => {
    const { lines, destination } = capture();
    createLogger({ destination }).info({ config: { hfToken: 'hf_x', port: 7860 } }, 'x');
    expect((lines[0]!.config as Record<string, unknown>).port).toBe(7860);
  });

  it('children inherit redaction', () => {
    const { lines, destination } = capture();
    createLogger({ destination }).child({ requestId: 'r1' }).info({ apiKey: 'k' }, 'x');
    expect(lines[0]).toMatchObject({ requestId: 'r1', apiKey: REDACTED });
  });

  it('silentLogger writes nothing and does not throw', () => {
    expect(() => silentLogger().error('nothing')).not.toThrow();
  });
});
