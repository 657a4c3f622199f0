// The Express mount behind a host's own body parser: what express.json() refuses under the
// mount is answered in the mock's JSON error shape, as the standalone mock answers it (after
// the same credential checks), never with Express's HTML page and its stack trace. The
// host's parser errors elsewhere stay the host's.
import express from 'express';
import request from 'supertest';
import { KEYS, bearer, testMock } from '../helpers/fixtures';
import { operation, specProblems } from '../helpers/spec-check';

const createScan = operation('createScan');

function hostApp(parser = express.json()) {
  const mock = testMock();
  const app = express();
  app.use(parser);
  app.use('/cortex', mock.router());
  app.post('/host/echo', (req, res) => {
    res.json(req.body);
  });
  return { app, mock };
}

const noHtmlNoStack = (res: request.Response) => {
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.text).not.toMatch(/<html|<!DOCTYPE|\n\s+at |SyntaxError/i);
};

describe('an Express mount behind the host app\'s express.json()', () => {
  it('answers malformed JSON under the mount with the mock\'s 400 invalid_json, as the standalone mock does', async () => {
    const { app, mock } = hostApp();
    const res = await request(app).post('/cortex/v1/scans').set(bearer(KEYS.write)).set('Content-Type', 'application/json').send('{"target": ');
    expect(res.status).toBe(400);
    noHtmlNoStack(res);
    expect(specProblems(createScan, res)).toEqual([]);
    expect(res.body.error.details).toMatchObject({ parameter: 'body', location: 'body', reason: 'invalid_json' });
    const standalone = await request(testMock().app).post('/v1/scans').set(bearer(KEYS.write)).set('Content-Type', 'application/json').send('{"target": ');
    expect(res.body).toEqual(standalone.body);
    expect(mock.state.scans.listOf('acct_developer')).toHaveLength(14);
    expect(mock.journal.list().at(-1)).toMatchObject({ status: 400, operation_id: 'createScan', error_code: 'INVALID_REQUEST' });
  });

  it('checks credentials first, as the standalone mock does: no key is a 401, not a 400', async () => {
    const res = await request(hostApp().app).post('/cortex/v1/scans').set('Content-Type', 'application/json').send('{nope');
    expect(res.status).toBe(401);
    noHtmlNoStack(res);
    expect(specProblems(createScan, res)).toEqual([]);
  });

  it('answers a body over the host parser\'s limit with the mock\'s documented 413', async () => {
    const res = await request(hostApp(express.json({ limit: '1kb' })).app)
      .post('/cortex/v1/scans')
      .set(bearer(KEYS.write))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ target: 'x'.repeat(4096), scan_type: 'quick' }));
    expect(res.status).toBe(413);
    noHtmlNoStack(res);
    expect(specProblems(createScan, res)).toEqual([]);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers malformed JSON to the control API under the mount in its JSON error shape', async () => {
    const res = await request(hostApp().app).put('/cortex/_mock/clock').set('Content-Type', 'application/json').send('{"now": ');
    expect(res.status).toBe(400);
    noHtmlNoStack(res);
    expect(res.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: { reason: 'invalid_json' } });
  });

  it('reads a body the host\'s parser would not (another charset) itself, as the standalone mock does', async () => {
    const send = (app: Parameters<typeof request>[0], path: string) =>
      request(app).post(path).set(bearer(KEYS.write)).set('Content-Type', 'application/json; charset=latin1').send('{"target": "ws-1.corp.example", "scan_type": "quick"}');
    const mounted = await send(hostApp().app, '/cortex/v1/scans');
    const standalone = await send(testMock().app, '/v1/scans');
    expect(mounted.status).toBe(standalone.status);
    expect(mounted.status).toBe(201);
    noHtmlNoStack(mounted);
    expect(specProblems(createScan, mounted)).toEqual([]);
  });

  it('leaves the host\'s own routes\' parser errors to the host', async () => {
    const res = await request(hostApp().app).post('/host/echo').set('Content-Type', 'application/json').send('{bad');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });

  it('still takes a body the host parsed', async () => {
    const res = await request(hostApp().app).post('/cortex/v1/scans').set(bearer(KEYS.write)).send({ target: 'ws-1.corp.example', scan_type: 'quick' });
    expect(res.status).toBe(201);
    expect(specProblems(createScan, res)).toEqual([]);
  });
});
