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
var specUrls = [new URL('openapi.json', base).href, new URL('_mock/openapi.json', base).href];
// Per document: its path on this mock (its first server's path), and the operations that
// take an Idempotency-Key, as [method, RegExp of the URL] pairs.
var loaded = {};

// The Servers list names the address this page was loaded from: a mock on another port,
// or mounted under a prefix, is where "Try it out" should go.
function localServer(doc) {
  var first = doc.servers && doc.servers[0] && doc.servers[0].url;
  var path = first ? new URL(first, base).pathname.replace(/^\\//, '') : '';
  return new URL(path, base).href.replace(/\\/$/, '');
}

function isIdempotencyKey(param) {
  return param && param.in === 'header' && String(param.name).toLowerCase() === 'idempotency-key';
}

// The key is not pre-filled with the spec's example (a second Execute would replay the
// first create, and an edited body would be a 409): each Execute gets a fresh one instead.
function prepare(doc) {
  var server = localServer(doc);
  var idempotent = [];
  var resolve = function (p) { return p && p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p; };
  Object.keys((doc.components && doc.components.parameters) || {}).forEach(function (name) {
    var param = doc.components.parameters[name];
    if (isIdempotencyKey(param)) { delete param.example; delete param.examples; if (param.schema) delete param.schema.example; }
  });
  Object.keys(doc.paths || {}).forEach(function (path) {
    var item = doc.paths[path];
    Object.keys(item).forEach(function (method) {
      var params = (item[method] && item[method].parameters) || [];
      if (!Array.isArray(params) || !params.map(resolve).some(isIdempotencyKey)) return;
      params.map(resolve).filter(isIdempotencyKey).forEach(function (param) { delete param.example; delete param.examples; });
      var pattern = path.split(/\\{[^}]+\\}/).map(function (part) { return part.replace(/[.*+?^$()|[\\]\\\\]/g, '\\\\$&'); }).join('[^/?#]+');
      idempotent.push([method.toUpperCase(), new RegExp('^' + server.replace(/[.*+?^$()|[\\]\\\\]/g, '\\\\$&') + pattern + '([?#]|$)')]);
    });
  });
  doc.servers = [{ url: server, description: 'This mock (where this page was loaded from)' }];
  return { server: server, idempotent: idempotent };
}

function freshKey() {
  var bytes = new Uint8Array(16);
  // getRandomValues, not randomUUID: it works on a page that is not a secure context too.
  window.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join('');
  return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
}

window.ui = SwaggerUIBundle({
  urls: [
    { url: specUrls[0], name: 'CortexEDR API v1' },
    { url: specUrls[1], name: 'Mock control API (/_mock)' }
  ],
  'urls.primaryName': 'CortexEDR API v1',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
  responseInterceptor: function (res) {
    if (specUrls.indexOf(res.url) !== -1 && res.ok && typeof res.text === 'string') {
      try {
        var doc = JSON.parse(res.text);
        loaded[res.url] = prepare(doc);
        res.text = JSON.stringify(doc);
        res.data = res.text;
      } catch (e) { /* not JSON: Swagger UI shows its own error */ }
    }
    return res;
  },
  requestInterceptor: function (req) {
    if (req.loadSpec) return req;
    // A document may still name another server (production): send requests here.
    req.url = req.url.replace(/^https?:\\/\\/[^/]+\\/(v1|_mock)(?=[/?]|$)/, function (_m, prefix) { return new URL(prefix, base).href; });
    var method = String(req.method || 'GET').toUpperCase();
    var takesKey = Object.keys(loaded).some(function (url) {
      return loaded[url].idempotent.some(function (op) { return op[0] === method && op[1].test(req.url); });
    });
    var headers = req.headers || (req.headers = {});
    var typed = Object.keys(headers).some(function (name) { return name.toLowerCase() === 'idempotency-key' && String(headers[name]).trim() !== ''; });
    if (takesKey && !typed) headers['Idempotency-Key'] = freshKey();
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
  router.use('/assets', express.static(swaggerUiAssets(), { index: false, fallthrough: true }));
  return router;
}
