// /docs: an interactive reference of the spec. Swagger UI, because its assets ship inside
// an npm package (swagger-ui-dist) and so work with no network, and because "Try it out"
// sends real requests with an Authorization header to the mock it is served by.
import express, { Router } from 'express';
// Only the path helper: the package's index would load the whole UI bundle into the server.
import getAbsoluteFSPath = require('swagger-ui-dist/absolute-path.js');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>CortexEDR API v1 - reference (cortex-edr-mock)</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
  requestInterceptor: function (req) {
    // Send "Try it out" to this mock, whatever port it listens on.
    req.url = req.url.replace(/^https?:\\/\\/[^/]+\\/v1/, window.location.origin + '/v1');
    return req;
  }
});
</script>
</body>
</html>
`;

export function createDocsRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.use('/assets', express.static(getAbsoluteFSPath(), { index: false, fallthrough: true }));
  return router;
}
