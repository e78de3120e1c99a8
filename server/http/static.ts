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
import type { MiddlewareHandler } from 'hono';
import type { App, AppEnv } from './context.ts';

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

/** UI folders being built by `ensureUiBuilt` in this process: their pages say so and reload themselves. */
const building = new Set<string>();

/**
 * What a page route answers while the first `vite build` runs: a small page
 * that says so and reloads itself every 2 s (a meta refresh: the CSP allows
 * no inline script), so the person who opened it sees the app when it is ready.
 */
const BUILDING_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Building the UI… · Mermaid Flow Generator</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1f2937}
@media (prefers-color-scheme:dark){body{background:#111827;color:#e5e7eb}}</style></head>
<body><h1>The UI is being built…</h1>
<p>This is the first start: the server is running <code>vite build</code> (about 15 seconds). This page reloads itself when the UI is ready.</p>
<p>The API already answers: <a href="/docs">/docs</a>, <a href="/api/status">/api/status</a>.</p></body></html>
`;

/** Paths that belong to the API, never to the SPA fallback. */
const API_PREFIXES = ['/api/', '/gradio_api/', '/docs', '/openapi.json', '/metrics', '/config'];

export function registerStatic(app: App, staticDir: string | null, quiet: MiddlewareHandler<AppEnv>): void {
  if (!staticDir) return;
  app.use('/assets/*', quiet); // hashed assets: routine, debug-level logs
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
    if (!html && building.has(root)) {
      return c.body(BUILDING_PAGE, 503, { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-store', 'Retry-After': '2' });
    }
    if (!html) return c.text('The UI is not built: run `npm run build`. The API is up (see /docs).', 503);
    return c.body(new Uint8Array(html), 200, { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-cache' });
  });
}

/**
 * Builds the UI when `dir/index.html` is missing and the sources are there,
 * in a child process (the server keeps answering meanwhile; pages show the
 * "being built" page, which reloads itself, until it is done). `onStart` is
 * called when a build really starts (the terminal says so). Resolves with
 * what happened, for the log; never rejects (the API works without the UI).
 */
export function ensureUiBuilt(
  dir: string,
  projectRoot: string,
  onStart?: () => void,
): Promise<{ built: boolean; ok: boolean; message: string }> {
  if (existsSync(join(dir, 'index.html'))) return Promise.resolve({ built: false, ok: true, message: 'UI already built' });
  if (!existsSync(join(projectRoot, 'index.html'))) return Promise.resolve({ built: false, ok: false, message: 'no UI sources (index.html) to build' });
  // Never empty a folder someone filled: build only into a missing or empty one.
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    return Promise.resolve({ built: false, ok: false, message: `${dir} has files but no index.html; run \`npm run build\`` });
  }
  const vite = join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) return Promise.resolve({ built: false, ok: false, message: 'vite is not installed; run `npm ci` then `npm run build`' });
  const root = resolve(dir);
  building.add(root);
  onStart?.();
  return new Promise<{ built: boolean; ok: boolean; message: string }>((done) => {
    const child = spawn(process.execPath, [vite, 'build', '--outDir', dir], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      done({ built: true, ok: false, message: `vite build could not start: ${err.message}` });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const ok = code === 0 && existsSync(join(dir, 'index.html'));
      done({ built: true, ok, message: ok ? 'UI built' : `vite build failed (exit ${code ?? signal})` });
    });
  }).finally(() => building.delete(root));
}
