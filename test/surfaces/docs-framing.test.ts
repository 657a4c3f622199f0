// No page the mock serves may be framed by another site (clickjacking: a framed /docs can be
// clicked into driving /_mock), and /docs serves only the Swagger UI files its own page loads.
import request from 'supertest';
import { testMock } from '../helpers/fixtures';

const HTML_PAGES = ['/docs/', '/dashboard/'];

describe('framing', () => {
  it.each(HTML_PAGES)('sends frame-ancestors \'none\' and X-Frame-Options: DENY with %s', async (path) => {
    const res = await request(testMock().handler).get(path).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toMatch(/(^|;\s*)frame-ancestors 'none'(;|$)/);
  });

  it('sends them with the docs\' script, styles and redirect too', async () => {
    const mock = testMock();
    for (const path of ['/docs', '/docs/init.js', '/docs/assets/swagger-ui.css', '/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui-standalone-preset.js']) {
      const res = await request(mock.handler).get(path);
      expect({ path, status: res.status < 400, xfo: res.headers['x-frame-options'], csp: /frame-ancestors 'none'/.test(res.headers['content-security-policy'] ?? '') }).toEqual({ path, status: true, xfo: 'DENY', csp: true });
    }
  });
});

describe('every HTML answer of /docs and /dashboard', () => {
  // A redirect asked for by a browser is HTML too (Express writes "Redirecting to ..."), and
  // a framed redirect would load the page it names.
  it.each([
    ['GET', '/docs', 301],
    ['GET', '/docs?x=1', 301],
    ['GET', '/docs/', 200],
    ['HEAD', '/docs', 301],
    ['GET', '/dashboard', 301],
    ['GET', '/dashboard?x=1', 301],
    ['GET', '/dashboard/', 200],
    ['HEAD', '/dashboard', 301],
    ['HEAD', '/dashboard/', 200],
  ])('%s %s (Accept: text/html) answers %i as HTML with frame-ancestors \'none\' and X-Frame-Options: DENY', async (method, path, status) => {
    const mock = testMock();
    const req = method === 'HEAD' ? request(mock.handler).head(path) : request(mock.handler).get(path);
    const res = await req.set('Accept', 'text/html');
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    if (status === 301) expect(res.headers.location).toBe(`${path.split('?')[0]}/`);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toMatch(/(^|;\s*)frame-ancestors 'none'(;|$)/);
  });
});

describe('/docs/assets', () => {
  // Swagger UI's stock index.html loads petstore.swagger.io; the OAuth redirect page is for
  // flows this API has none of. Only what /docs/ itself loads is served.
  it.each(['index.html', 'oauth2-redirect.html', 'swagger-initializer.js', 'index.css', 'swagger-ui.js', 'swagger-ui-es-bundle.js', 'package.json', 'LICENSE', 'swagger-ui-bundle.js.map', '../package.json', ''])('does not serve %s: 404 in the error shape', async (name) => {
    const res = await request(testMock().handler).get(`/docs/assets/${name}`).expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(res.text).not.toMatch(/petstore|swagger/i);
  });

  it.each(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js'])('serves %s, which /docs/ loads', async (name) => {
    const mock = testMock();
    const page = await request(mock.handler).get('/docs/').expect(200);
    expect(page.text).toContain(`assets/${name}`);
    await request(mock.handler).get(`/docs/assets/${name}`).expect(200);
  });
});
