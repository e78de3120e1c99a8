/**
 * What the page loads before anything lazy: the entry script named in
 * dist/index.html, its modulepreloads, and every chunk they import
 * statically (followed transitively). Dynamic import() targets, Mermaid
 * and CodeMirror among them, are not counted.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export interface ChunkSize {
  file: string;
  bytes: number;
  gzip: number;
  brotli: number;
}

const STATIC_IMPORT = /(?:^|[;\n}])\s*import\s*(?:[\w$*{},\s]+from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g;

function sizes(dist: string, file: string): ChunkSize {
  const buf = readFileSync(join(dist, file));
  return { file, bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length, brotli: brotliCompressSync(buf).length };
}

export function initialChunks(dist: string): ChunkSize[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const queue = [...html.matchAll(/<script[^>]+type="module"[^>]+src="\/([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g)].map(
    (m) => (m[1] ?? m[2])!,
  );
  const seen = new Set<string>();
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    for (const m of code.matchAll(STATIC_IMPORT)) queue.push(posix.join(posix.dirname(file), m[1]!));
  }
  return [...seen].map((f) => sizes(dist, f));
}

export function allChunks(dist: string): ChunkSize[] {
  return readdirSync(join(dist, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => sizes(dist, `assets/${f}`));
}

export const sum = (list: ChunkSize[], key: 'bytes' | 'gzip' | 'brotli') => list.reduce((n, c) => n + c[key], 0);
