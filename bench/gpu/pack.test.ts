/**
 * The GPU bundle's mechanics and the report format, fast (the real pack —
 * node_modules + CUDA libraries through xz — is not part of npm test).
 */
import { execSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkBytes, deviceCallPlan, MiB, partName, splitFile, type Manifest } from './pack.ts';
import { floorTokS, formatReport, type Result } from './report.ts';
import { chatText } from './bench.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('chunk sizes', () => {
  it('fits a part beside the working tree in one 64 MiB call, at most 58 MiB', () => {
    expect(chunkBytes(0)).toBe(58 * MiB);
    expect(chunkBytes(900_000)).toBe(58 * MiB);
    expect(chunkBytes(10 * MiB)).toBe(53 * MiB);
    expect(chunkBytes(10 * MiB + 1)).toBe(52 * MiB);
    expect(() => chunkBytes(63 * MiB)).toThrow(/no room/);
  });
  it('names parts like split(1)', () => {
    expect([0, 1, 25, 26, 27].map(partName)).toEqual(['part_aa', 'part_ab', 'part_az', 'part_ba', 'part_bb']);
  });
});

describe('splitFile', () => {
  it('splits into parts of the given size that concatenate back to the file, with hashes', async () => {
    const d = await mkdtemp(join(tmpdir(), 'split-'));
    dirs.push(d);
    const data = Buffer.alloc(2.5 * MiB + 123);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) & 0xff;
    await writeFile(join(d, 'f'), data);
    const r = await splitFile(join(d, 'f'), join(d, 'out'), MiB);
    expect(r.parts.map((p) => [p.name, p.bytes])).toEqual([
      ['part_aa', MiB],
      ['part_ab', MiB],
      ['part_ac', 0.5 * MiB + 123],
    ]);
    const back = Buffer.concat(await Promise.all(r.parts.map((p) => readFile(join(d, 'out', p.name)))));
    expect(back.equals(data)).toBe(true);
    const sha = execSync(`sha256sum ${join(d, 'out', 'part_ab')}`).toString().split(' ')[0];
    expect(r.parts[1]!.sha256).toBe(sha);
  });

  it('exact multiples make no empty part', async () => {
    const d = await mkdtemp(join(tmpdir(), 'split-'));
    dirs.push(d);
    await writeFile(join(d, 'f'), Buffer.alloc(2 * MiB, 1));
    const r = await splitFile(join(d, 'f'), join(d, 'out'), MiB);
    expect(r.parts).toHaveLength(2);
    expect(await readdir(join(d, 'out'))).toEqual(['part_aa', 'part_ab']);
  });
});

describe('dry pack (tar | xz, split, reassemble)', () => {
  it('packs a small stage that unpacks again, and prints the device calls', async () => {
    const out = await mkdtemp(join(tmpdir(), 'gpu-dry-'));
    dirs.push(out);
    const stdout = execSync(`node_modules/.bin/tsx bench/gpu/prepare.ts --dry --out ${out} --level 1 --part-bytes 1024`, {
      cwd: join(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.parts.length).toBeGreaterThan(1);
    expect(m.parts.every((p) => p.bytes <= 1024)).toBe(true);
    execSync(`mkdir x && cat part_* | xz -d | tar xf - -C x`, { cwd: out });
    expect(await readFile(join(out, 'x/b/DRY'), 'utf8')).toMatch(/^dry pack/);
    expect(stdout).toContain(`run(carry=["${out}/part_aa"]`.replace(`${out}/`, '.gpu/'));
    expect(stdout).toContain('bash bench/gpu/run.sh setup');
    expect(stdout.match(/^run\(/gm)).toHaveLength(m.parts.length + 6);
  }, 60_000);

  it('plans one call per part, the manifest with the last', () => {
    const m: Manifest = {
      bundle: 'bundle.tar.xz',
      bytes: 3 * MiB,
      sha256: 'x',
      parts: [
        { name: 'part_aa', bytes: 2 * MiB, sha256: 'a' },
        { name: 'part_ab', bytes: MiB, sha256: 'b' },
      ],
      created: '2026-11-22T00:00:00Z',
      commit: 'abc1234',
    };
    const plan = deviceCallPlan(m).split('\n');
    expect(plan.filter((l) => l.startsWith('run('))).toEqual([
      'run(carry=[".gpu/part_aa"], timeout_s=120, command="mkdir -p /opt/stage && cp .gpu/part_aa /opt/stage/")',
      'run(carry=[".gpu/part_ab",".gpu/manifest.json"], timeout_s=300, command="mkdir -p /opt/stage && cp .gpu/part_ab .gpu/manifest.json /opt/stage/ && bash bench/gpu/run.sh setup")',
      'run(timeout_s=600, command="bash bench/gpu/run.sh fp16")',
      'run(timeout_s=600, command="bash bench/gpu/run.sh engine-fp16")',
      'run(timeout_s=600, command="bash bench/gpu/run.sh pytorch")',
      'run(timeout_s=600, command="bash bench/gpu/run.sh q4f16")',
      'run(timeout_s=600, command="bash bench/gpu/run.sh engine-q4f16")',
      'run(timeout_s=600, command="bash bench/gpu/run.sh concurrency")',
    ]);
  });
});

describe('report', () => {
  const results: Result[] = [
    { kind: 'meta', date: '2026-11-22T23:00Z', commit: 'abc1234', machine: 'NVIDIA H100 80GB HBM3, 580.1, 81559 MiB; 16 cores; node v20.20.2' },
    { kind: 'floor', bandwidthGBs: 3000, device: 'NVIDIA H100 80GB HBM3' },
    { kind: 'stack', stack: 'fused-loop carry K=32', dtype: 'fp16', device: 'cuda', loadS: 12.34, ttftMs: 80.4, decodeTokS: 150, promptTokens: 573, newTokens: 512, gpuMemMiB: null, weightBytes: 8e9 },
    { kind: 'memory', scope: 'fused+stepwise fp16', peakMiB: 20480 },
    { kind: 'stack', stack: 'pytorch generate eager (seed\'s stack)', dtype: 'bf16', device: 'H100', loadS: 3, ttftMs: 54, decodeTokS: 11.4, promptTokens: 573, newTokens: 512, gpuMemMiB: 17000, weightBytes: 8.04e9 },
    { kind: 'stack', stack: 'engine (transformers.js generate)', dtype: 'fp16', device: 'cuda', loadS: null, ttftMs: null, decodeTokS: null, promptTokens: 573, newTokens: 0, gpuMemMiB: null, weightBytes: null, note: 'stopped: budget' },
    { kind: 'concurrency', stack: 'server (engine)', dtype: 'fp16', concurrency: 4, p50Ms: 1500, p95Ms: 2500, maxMs: 2600, aggregateTokS: 310.25, budgetCut: 0, errors: 0 },
  ];

  it('formats the stack table with % of floor and the concurrency table', () => {
    const md = formatReport(results);
    expect(md).toContain('## GPU benchmark — 2026-11-22T23:00Z');
    expect(md).toContain('Commit: `abc1234`');
    expect(md).toContain('| stack | dtype | load s | TTFT ms | decode tok/s | new tokens | GPU memory | % of floor |');
    // floor fp16 = 3000e9 / 8e9 = 375 tok/s → 150 is 40%
    expect(md).toContain('| fused-loop carry K=32 | fp16 | 12.3 | 80 | 150.0 | 512 | 20.0 GiB | 40.0% |');
    expect(md).toContain("| pytorch generate eager (seed's stack) | bf16 | 3.0 | 54 | 11.4 | 512 | 16.6 GiB | 3.1% |");
    expect(md).toContain('| engine (transformers.js generate) (stopped: budget) | fp16 | – | – | – | 0 | – | – |');
    expect(md).toContain('| floor (bandwidth ÷ 8.00 GB weights) | fp16 | | | 375 | | | 100% |');
    expect(md).toContain('| server (engine) | fp16 | 4 | 1.50 | 2.50 | 2.60 | 310.3 | 0 | 0 |');
  });

  it('floorTokS needs both numbers', () => {
    expect(floorTokS(3000, 8e9)).toBe(375);
    expect(floorTokS(null, 8e9)).toBeNull();
    expect(floorTokS(3000, null)).toBeNull();
  });

  it('the prompt uses Qwen3 chat markup', () => {
    expect(chatText([{ role: 'system', content: 'S' }, { role: 'user', content: 'U' }])).toBe(
      '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n',
    );
  });
});
