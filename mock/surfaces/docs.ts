// /docs: an interactive reference of both documents, the public API and the mock's control
// API, with Swagger UI's definition selector. Swagger UI because its assets ship inside an
// npm package (swagger-ui-dist) and so work with no network, and because "Try it out"
// sends real requests to the mock it is served by. Every URL in the page is relative, so
// it works wherever the mock is mounted. The well-known admin test key is pre-authorized,
// so the first "Try it out" gets a 200: it is a public fixture, not a secret.
import express, { Router } from 'express';
// Only the path helper: the package's index would load the whole UI bundle into the server.
import getAbsoluteFSPath = require('swagger-ui-dist/absolute-path.js');

/** The Swagger UI files /docs/assets serves: the ones page() loads, and no other (the package's stock index.html loads petstore.swagger.io). */
export const DOCS_ASSETS: ReadonlySet<string> = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js']);

/**
 * No other site may frame the docs: a framed page's clicks are the user's, and the docs'
 * "Try it out" drives /_mock (CSP frame-ancestors, with X-Frame-Options for older browsers).
 */
export const NO_FRAMING = { 'Content-Security-Policy': "frame-ancestors 'none'", 'X-Frame-Options': 'DENY' } as const;

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

/** The /docs router; `preauthorizedKey` is a well-known test key, when the config has one. */
export function createDocsRouter(preauthorizedKey?: string): Router {
  const router = Router({ strict: true });
  router.use((_req, res, next) => {
    res.set(NO_FRAMING);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
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
  // Anything else under assets/ is the mock's 404, as for any path it does not serve.
  router.use('/assets', (req, _res, next) => next(DOCS_ASSETS.has(req.path.slice(1)) ? undefined : 'router'));
  router.use('/assets', express.static(getAbsoluteFSPath(), { index: false, fallthrough: true }));
  return router;
}
