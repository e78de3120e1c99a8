/**
 * Serves the built UI (vite's `dist/`): hashed files under /assets/ with a
 * year-long immutable cache, everything else revalidated, and an SPA fallback
 * to index.html for page routes. `ensureUiBuilt()` runs `vite build` once at
 * start-up when dist/ has no index.html (a fresh clone), and is a single
 * stat() when it is already built.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { App } from './context.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/** Paths that belong to the API, never to the SPA fallback. */
const API_PREFIXES = ['/api/', '/gradio_api/', '/docs', '/openapi.json', '/metrics', '/config'];

export function registerStatic(app: App, staticDir: string | null): void {
  if (!staticDir) return;
  const root = resolve(staticDir);
  const index = join(root, 'index.html');

  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    let path: string;
    try {
      path = decodeURIComponent(c.req.path); // Hono leaves %2F, %25, … (and malformed escapes) encoded
    } catch {
      return next(); // malformed percent-encoding (`/100%`, `/%E0%A4%A`): no such file → 404, not a 500
    }
    if (API_PREFIXES.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`))) return next();
    const file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) return next(); // traversal
    const found = await stat(file).then((s) => s.isFile(), () => false);
    if (found) {
      const hashed = path.startsWith('/assets/');
      return c.body(new Uint8Array(await readFile(file)), 200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    }
    // A missing asset is a 404; a page route gets the app shell.
    if (extname(path) && path !== '/') return next();
    const html = await readFile(index).catch(() => null);
    if (!html) return c.text('The UI is not built: run `npm run build`. The API is up (see /docs).', 503);
    return c.body(new Uint8Array(html), 200, { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-cache' });
  });
}

/**
 * Builds the UI when `dir/index.html` is missing and the sources are there,
 * in a child process (the server keeps answering meanwhile; pages say 503
 * "UI not built" until it is done). Resolves with what happened, for the
 * log; never rejects (the API works without the UI).
 */
export function ensureUiBuilt(dir: string, projectRoot: string): Promise<{ built: boolean; ok: boolean; message: string }> {
  if (existsSync(join(dir, 'index.html'))) return Promise.resolve({ built: false, ok: true, message: 'UI already built' });
  if (!existsSync(join(projectRoot, 'index.html'))) return Promise.resolve({ built: false, ok: false, message: 'no UI sources (index.html) to build' });
  // Never empty a folder someone filled: build only into a missing or empty one.
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    return Promise.resolve({ built: false, ok: false, message: `${dir} has files but no index.html; run \`npm run build\`` });
  }
  const vite = join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) return Promise.resolve({ built: false, ok: false, message: 'vite is not installed; run `npm ci` then `npm run build`' });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vite, 'build', '--outDir', dir], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ built: true, ok: false, message: `vite build could not start: ${err.message}` });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const ok = code === 0 && existsSync(join(dir, 'index.html'));
      resolve({ built: true, ok, message: ok ? 'UI built' : `vite build failed (exit ${code ?? signal})` });
    });
  });
}
