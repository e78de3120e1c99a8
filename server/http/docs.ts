/**
 * GET /openapi.json (generated from the route schemas) and GET /docs, an
 * interactive Swagger UI page. Swagger UI's assets are served from the
 * installed `swagger-ui-dist` package (no CDN: the CSP allows only 'self',
 * and deployments may have no internet), and its start-up code is a file,
 * not an inline script, so the strict CSP holds on this page too.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { MiddlewareHandler } from 'hono';
import type { App, AppEnv, RouteContext } from './context.ts';

const require = createRequire(import.meta.url);

/** The only files served from swagger-ui-dist. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    persistAuthorization: true,
  });
});
`;

const PAGE = (title: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} – API docs</title>
    <link rel="icon" href="/docs/assets/favicon-32x32.png" />
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/assets/init.js"></script>
  </body>
</html>
`;

function swaggerDir(): string | null {
  try {
    return dirname(require.resolve('swagger-ui-dist/package.json'));
  } catch {
    return null;
  }
}

export function registerDocs(app: App, { deps }: RouteContext, quiet: MiddlewareHandler<AppEnv>): void {
  const title = deps.config.title;
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: `${title} API`,
      version: '1.0.0',
      description:
        'Turn a plain-language process description into a Mermaid diagram. JSON, server-sent events, and a ' +
        'Gradio-compatible API (`/gradio_api/*`, for `@gradio/client` and `gradio_client`). ' +
        'When the server has an API key, send it as `X-API-Key` or `Authorization: Bearer`.',
    },
    security: deps.config.apiKey ? [{ ApiKey: [] }, { Bearer: [] }] : [],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'ApiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer' });

  const dir = swaggerDir();
  const cache = new Map<string, Buffer>();
  app.get('/docs', (c) => c.html(PAGE(title)));
  app.get('/docs/', (c) => c.redirect('/docs'));
  app.get('/docs/assets/:file', quiet, async (c) => {
    const file = c.req.param('file');
    if (file === 'init.js') {
      return c.body(INIT_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
    }
    const type = ASSETS[file];
    if (!type || !dir) return c.text('Not found', 404);
    let buf = cache.get(file);
    if (!buf) {
      buf = await readFile(join(dir, file));
      cache.set(file, buf);
    }
    return c.body(new Uint8Array(buf), 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
  });
}
