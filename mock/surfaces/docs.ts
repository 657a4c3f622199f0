// /docs: an interactive reference of both documents, the public API and the mock's control
// API, with Swagger UI's definition selector. Swagger UI because its assets ship inside an
// npm package (swagger-ui-dist) and so work with no network, and because "Try it out"
// sends real requests to the mock it is served by. Every URL in the page is relative, so
// it works wherever the mock is mounted. The well-known admin test key is pre-authorized,
// so the first "Try it out" gets a 200: it is a public fixture, not a secret.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { PACKAGE_ROOT } from '../../lib/paths';

/** A key icon, so the browser's favicon request gets an answer. */
export const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="5" cy="8" r="3.5" fill="none" stroke="#1f6feb" stroke-width="2"/><path d="M8.5 8H15M12.5 8v3M14.5 8v2" stroke="#1f6feb" stroke-width="2"/></svg>';

function page(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>CortexEDR API v1 - reference (cortex-edr-mock)</title>
<link rel="icon" href="../favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="assets/swagger-ui-bundle.js"></script>
<script src="assets/swagger-ui-standalone-preset.js"></script>
<script src="init.js"></script>
</body>
</html>
`;
}

function init(preauthorizedKey: string | undefined): string {
  return `// Both documents, relative to this page; "Try it out" goes to this mock.
var base = new URL('..', window.location.href);
window.ui = SwaggerUIBundle({
  urls: [
    { url: new URL('openapi.json', base).href, name: 'CortexEDR API v1' },
    { url: new URL('_mock/openapi.json', base).href, name: 'Mock control API (/_mock)' }
  ],
  'urls.primaryName': 'CortexEDR API v1',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
  requestInterceptor: function (req) {
    // The documents name other servers (production, port 4010): send requests here.
    req.url = req.url.replace(/^https?:\\/\\/[^/]+\\/(v1|_mock)(?=[/?]|$)/, function (_m, prefix) { return new URL(prefix, base).href; });
    return req;
  },
  onComplete: function () {
    ${preauthorizedKey ? `window.ui.preauthorizeApiKey('bearerAuth', ${JSON.stringify(preauthorizedKey)});` : ''}
  }
});
`;
}

/**
 * Swagger UI's assets: the build copies the ones the page links to into dist/vendor
 * (scripts/vendor.js), so the installed package needs no swagger-ui-dist and none of its
 * install analytics (@scarf/scarf). swagger-ui-dist itself only before a build.
 */
function swaggerUiAssets(): string {
  const vendored = join(PACKAGE_ROOT, 'dist', 'vendor', 'swagger-ui');
  if (existsSync(vendored)) return vendored;
  return (require('swagger-ui-dist/absolute-path.js') as () => string)();
}

/** The /docs router; `preauthorizedKey` is a well-known test key, when the config has one. */
export function createDocsRouter(preauthorizedKey?: string): Router {
  const router = Router({ strict: true });
  const html = page();
  const script = init(preauthorizedKey);
  // /docs -> /docs/, so the page's relative URLs resolve inside it.
  router.get('/', (req, res, next) => {
    if (!req.originalUrl.split('?')[0].endsWith('/')) {
      res.redirect(301, `${req.originalUrl.split('?')[0]}/`);
      return;
    }
    next();
  });
  router.get('/', (_req, res) => {
    res.type('html').send(html);
  });
  router.get('/init.js', (_req, res) => {
    res.type('application/javascript').send(script);
  });
  router.use('/assets', express.static(swaggerUiAssets(), { index: false, fallthrough: true }));
  return router;
}
