// The conduct watch over real HTTPS (docs/conduct.md, docs/tls.md): a key sent as plain HTTP
// to the --tls port is plaintext_http, under the 400's request id, which the journal and the
// log carry too (the key redacted); a request completed on a bad-certificate profile's port
// is accepted_bad_certificate, naming the profile. Just under: plain HTTP without a key, a
// client that verifies the good port against the CA, and a handshake the client refuses
// raise nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockServer, type RunningMock } from '../../mock/server';
import { CONTROL_SPEC_PATH, readSpecFile } from '../../lib/openapi/load-spec';
import { expectResponse } from '../helpers/expect-response';
import { KEYS, UNKNOWN_KEY, bearer, captureLogs } from '../helpers/fixtures';
import { httpsGet } from '../helpers/https';
import { parsed, raw } from '../helpers/raw-http';
import { controlProblems } from '../helpers/spec-check';

jest.setTimeout(90_000);

const PROFILES = (readSpecFile(CONTROL_SPEC_PATH)['x-cortex-tls-profiles'] as Array<{ name: string; expected_error: string }>).map((p) => p.name);

let dir: string;
let running: RunningMock;
const logs = captureLogs();
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cortex-conduct-tls-'));
  running = await startMockServer({ logger: logs.logger, tls: true, tlsProfiles: true, tlsDir: dir });
});
afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  running.reset();
  logs.lines.length = 0;
});

type Report = { clients: Array<{ key_id: string; findings: Array<{ rule: string; severity: string; count: number; request_ids: string[]; message: string }> }> };

/** GET /_mock/conduct over HTTPS, checked against control.yaml. */
async function report(): Promise<Report> {
  const res = await httpsGet(`${running.url}/_mock/conduct`, { ca: running.ca });
  if ('error' in res) throw new Error(res.error);
  expect(controlProblems('getConduct', res)).toEqual([]);
  expect(res.body).toEqual(running.mock.conduct());
  return res.body as Report;
}

/** One plain-HTTP request to `port`, read to the close the 400 asks for. */
async function plain(port: number, target: string, headers: Record<string, string> = {}) {
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  const answer = await raw(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${head}\r\n`, true);
  return { answer, res: parsed(answer) };
}

const portOf = (url: string) => Number(new URL(url).port);

describe('plaintext_http', () => {
  it('a Bearer key over plain HTTP to the --tls port: the 400 https_required, the finding under the key id with the 400\'s request id, journaled and logged', async () => {
    const { answer, res } = await plain(running.port, '/v1/whoami', bearer(KEYS.read));
    expectResponse(res, 400, 'getWhoami');
    expect(res.body.error.details.reason).toBe('https_required');
    expect(res.headers.connection).toBe('close');
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^req_\d+$/);
    expect(answer).not.toContain(KEYS.read);

    const body = await report();
    expect(body.clients).toEqual([
      { key_id: 'key_read', findings: [expect.objectContaining({ rule: 'plaintext_http', severity: 'error', practice: 'Request Security: always use HTTPS.', count: 1, request_ids: [id] })] },
    ]);
    const entry = running.mock.journal.list().find((e) => e.id === id);
    expect(entry).toMatchObject({ method: 'GET', path: '/v1/whoami', status: 400, error_code: 'INVALID_REQUEST', key_id: 'key_read', operation_id: null });
    const line = logs.lines.map((l) => JSON.parse(l)).find((l) => l.req_id === id);
    expect(line).toMatchObject({ status: 400, path: '/v1/whoami', key_id: 'key_read', error: 'INVALID_REQUEST' });
    expect(logs.lines.join('\n')).not.toContain(KEYS.read);
  });

  it('a key in ?api_key= over plain HTTP: plaintext_http and key_in_query, the key redacted in the journal and the log', async () => {
    const { res } = await plain(running.port, `/v1/scans?limit=5&api_key=${KEYS.read}`);
    expectResponse(res, 400, 'listScans');
    const id = res.headers['x-request-id'];
    const body = await report();
    expect(body.clients.map((c) => c.key_id)).toEqual(['key_read']);
    expect(body.clients[0].findings.map((f) => [f.rule, f.request_ids])).toEqual([
      ['key_in_query', [id]],
      ['plaintext_http', [id]],
    ]);
    const entry = running.mock.journal.list().find((e) => e.id === id)!;
    expect(entry.status).toBe(400);
    expect(entry.path).toContain('api_key=');
    expect(entry.path).not.toContain(KEYS.read);
    expect(logs.lines.some((l) => JSON.parse(l).req_id === id)).toBe(true);
    expect(logs.lines.join('\n')).not.toContain(KEYS.read);
    expect(JSON.stringify(body)).not.toContain(KEYS.read);
  });

  it('an unknown key is judged under its hash, never the key; the budget of no account is spent', async () => {
    const { res } = await plain(running.port, '/v1/whoami', bearer(UNKNOWN_KEY));
    expectResponse(res, 400, 'getWhoami');
    const body = await report();
    expect(body.clients).toHaveLength(1);
    expect(body.clients[0].key_id).toMatch(/^presented:[0-9a-f]{16}$/);
    expect(body.clients[0].findings.map((f) => f.rule)).toEqual(['plaintext_http']);
    expect(JSON.stringify(body)).not.toContain(UNKNOWN_KEY);
  });

  it('the same on every route, a bad-certificate profile\'s port too: the control API\'s is refused and journaled', async () => {
    const { res } = await plain(running.port, '/_mock/journal', bearer(KEYS.read));
    expectResponse(res, 400, 'getWhoami');
    expect(res.body.error.details.reason).toBe('https_required');
    const onProfile = await plain(portOf(running.profiles![0].url), '/v1/whoami', bearer(KEYS.admin));
    expectResponse(onProfile.res, 400, 'getWhoami');
    const body = await report();
    expect(body.clients.map((c) => [c.key_id, c.findings.map((f) => [f.rule, f.request_ids])])).toEqual([
      ['key_read', [['plaintext_http', [res.headers['x-request-id']]]]],
      ['key_admin', [['plaintext_http', [onProfile.res.headers['x-request-id']]]]],
    ]);
    expect(running.mock.journal.list().map((e) => [e.id, e.path, e.status])).toEqual([
      [res.headers['x-request-id'], '/_mock/journal', 400],
      [onProfile.res.headers['x-request-id'], '/v1/whoami', 400],
    ]);
  });

  it('just under: plain HTTP without a key gets the same 400 (journaled) and raises nothing', async () => {
    const { res } = await plain(running.port, '/v1/whoami');
    expectResponse(res, 400, 'getWhoami');
    expect(res.body.error.details.reason).toBe('https_required');
    expect(running.mock.journal.list().map((e) => [e.id, e.status])).toEqual([[res.headers['x-request-id'], 400]]);
    expect(await report()).toEqual({ clients: [] });
  });
});

describe('accepted_bad_certificate', () => {
  it.each(PROFILES)('a client that does not verify completes a request on the %s port: the finding names the profile, with the request id', async (name) => {
    const profile = running.profiles!.find((p) => p.name === name)!;
    const res = await httpsGet(`${profile.url}/v1/whoami`, { rejectUnauthorized: false, headers: bearer(KEYS.read) });
    if ('error' in res) throw new Error(res.error);
    expectResponse(res, 200, 'getWhoami');
    const body = await report();
    expect(body.clients).toEqual([
      {
        key_id: 'key_read',
        findings: [expect.objectContaining({ rule: 'accepted_bad_certificate', severity: 'error', practice: 'Request Security: validate SSL certificates.', count: 1, request_ids: [res.headers['x-request-id']] })],
      },
    ]);
    expect(body.clients[0].findings[0].message).toContain(name);
  });

  it('just under: a client that verifies the good port against the CA gets a clean report', async () => {
    const res = await httpsGet(`${running.baseUrl}/whoami`, { ca: running.ca, headers: bearer(KEYS.read) });
    if ('error' in res) throw new Error(res.error);
    expectResponse(res, 200, 'getWhoami');
    expect(running.mock.journal.list().map((e) => e.id)).toEqual([res.headers['x-request-id']]);
    expect(await report()).toEqual({ clients: [] });
    expect(() => running.mock.conduct.assertClean()).not.toThrow();
  });

  it('just under: a handshake the client refuses completes no request and raises nothing', async () => {
    for (const name of PROFILES) {
      const profile = running.profiles!.find((p) => p.name === name)!;
      expect(await httpsGet(`${profile.url}/v1/whoami`, { ca: running.ca, headers: bearer(KEYS.read) })).toEqual({ error: profile.expected_error });
    }
    expect(running.mock.journal.list()).toEqual([]);
    expect(await report()).toEqual({ clients: [] });
  });
});

describe('a core that serves HTTPS, reached over plain HTTP another way', () => {
  it('refuses a request a surface says came as plain HTTP with the 400 and plaintext_http; one over TLS, or whose surface does not say, is answered', async () => {
    const { testMock } = await import('../helpers/fixtures');
    const mock = testMock({ servesTls: true });
    const request = (secure: boolean | undefined, url = '/v1/whoami') => ({
      method: 'GET',
      url,
      headers: { host: '127.0.0.1:4010', authorization: `Bearer ${KEYS.read}` },
      headersDistinct: { host: ['127.0.0.1:4010'], authorization: [`Bearer ${KEYS.read}`] },
      httpVersion: '1.1',
      body: { kind: 'bytes' as const, bytes: new Uint8Array(0) },
      secure,
    });
    const refused = await mock.serve(request(false));
    const headers = Object.fromEntries(Object.entries(refused.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
    expectResponse({ status: refused.status, headers, body: JSON.parse(refused.body!) }, 400, 'getWhoami');
    // Other reads: repeating one at once would be uncached_repeat.
    expect((await mock.serve(request(true, '/v1/scans'))).status).toBe(200);
    expect((await mock.serve(request(undefined, '/v1/reports'))).status).toBe(200);
    expect(mock.conduct().clients).toEqual([{ key_id: 'key_read', findings: [expect.objectContaining({ rule: 'plaintext_http', request_ids: [refused.headers['X-Request-Id']] })] }]);
    // Without servesTls a plain request is the mock's ordinary business.
    const plainMock = testMock();
    expect((await plainMock.serve(request(false))).status).toBe(200);
    expect(plainMock.conduct()).toEqual({ clients: [] });
  });
});
