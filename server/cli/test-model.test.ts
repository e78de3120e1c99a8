import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from './test-model.ts';

describe('mermaid-flow test-model', () => {
  const dirs: string[] = [];
  const fresh = async () => {
    const d = await mkdtemp(join(tmpdir(), 'test-model-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('writes a tape model from a text file', async () => {
    const d = await fresh();
    await writeFile(join(d, 'tape.txt'), 'flowchart TD\n  A --> B\n');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await run(['--kind', 'tape', '--out', join(d, 'm'), '--text', join(d, 'tape.txt')])).toBe(0);
    expect(await run(['--kind', 'tape', '--out', join(d, 'm'), '--text', join(d, 'tape.txt')])).toBe(0); // rewrite in place
    log.mockRestore();
    expect((await readdir(join(d, 'm', 'onnx'))).sort()).toContain('model.onnx');
    const config = JSON.parse(await readFile(join(d, 'm', 'config.json'), 'utf8'));
    expect(config.model_type).toBe('qwen3');
  });

  it('writes a tiny model with the requested dtype', async () => {
    const d = await fresh();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await run(['--kind', 'tiny', '--out', d, '--dtype', 'q4f16', '--seed', '3'])).toBe(0);
    log.mockRestore();
    expect(await readdir(join(d, 'onnx'))).toEqual(['model_q4f16.onnx']);
  });

  it('refuses bad arguments with usage and exit code 2', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run(['--kind', 'tape', '--out', '/tmp/x'])).toBe(2);
    expect(await run(['--kind', 'huge', '--out', '/tmp/x'])).toBe(2);
    expect(await run(['--kind', 'tiny'])).toBe(2);
    expect(await run(['--kind', 'tiny', '--out', '/tmp/x', '--dtype', 'q8'])).toBe(2);
    expect(await run(['--bogus'])).toBe(2);
    expect(await run(['--kind', 'tiny', '--out', '/tmp/x', '--attention', 'flash'])).toBe(2);
    expect(await run(['--kind', 'tiny', '--out', '/tmp/x', '--layers', '2'])).toBe(2);
    expect(await run(['--kind', 'qwen3-4b', '--out', '/tmp/x', '--layers', '0'])).toBe(2);
    expect(String(err.mock.calls[0]![0])).toContain('usage: mermaid-flow test-model');
    err.mockRestore();
  });
});
