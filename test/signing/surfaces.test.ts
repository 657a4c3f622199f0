// Request signing on every surface: node:http, an Express mount (the @target-uri is the URL
// the client sent, mount prefix included) and MSW (the same components from the Fetch
// request; @target-uri is the SDK's URL, https://api.cortex-edr.com/v1/...).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { setupServer } from 'msw/node';
import { signRequest, type SigningKey } from '../../contracts/lib/signing';
import { createMock } from '../../mock/app';
import { startMockServer } from '../../mock/server';
import { createMswHandlers } from '../../mock/surfaces/msw';
import { T0, T0_ISO } from '../helpers/fixtures';
import { operation, specProblems } from '../helpers/spec-check';

const SECRET = Buffer.from('the signing secret of the surfaces test').toString('base64');
const KEY = 'sk_test_signedsurface_0000000000000001';
const config = {
  clock: T0_ISO,
  keys: [{ id: 'key_signed', name: 'signed', secret: KEY, account_id: 'acct_developer', permissions: ['admin' as const], signing: { alg: 'hmac-sha256' as const, secret: SECRET } }],
};
const signing: SigningKey = { keyId: 'key_signed', alg: 'hmac-sha256', secret: SECRET };
const CREATED = Math.floor(T0 / 1000);
const SCAN = JSON.stringify({ target: 'ws-0142.corp.example', scan_type: 'quick' });

async function call(url: string, method: string, options: { body?: string; sign?: boolean; digest?: boolean } = {}) {
  const headers: Record<string, string> = { Authorization: `Bearer ${KEY}`, ...(options.body ? { 'Content-Type': 'application/json' } : {}) };
  let signed = options.sign === false ? {} : signRequest(signing, method, url, headers, options.body, { created: CREATED });
  // Signed as if there were no body, and sent with one: no Content-Digest at all.
  if (options.digest === false) signed = signRequest(signing, method, url, headers, undefined, { created: CREATED });
  const res = await fetch(url, { method, headers: { ...headers, ...signed }, body: options.body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: Object.fromEntries(res.headers) };
}

type Open = () => Promise<{ base: string; close: () => Promise<void> }>;

// The reason for a body with no Content-Digest: node:http and Express see Content-Length, so
// the signature must cover content-digest; MSW's Fetch request has none, and validation finds
// the body's bytes with no digest.
const surfaces: Array<[string, Open, string]> = [
  [
    'node:http',
    async () => {
      const running = await startMockServer({ port: 0, config });
      return { base: running.baseUrl, close: () => running.close() };
    },
    'signature_components',
  ],
  [
    'an Express mount behind express.json()',
    async () => {
      const host = express();
      host.use(express.json());
      host.use('/cortex', createMock({ config }).router());
      const server: Server = createServer(host);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return { base: `http://127.0.0.1:${port}/cortex/v1`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    },
    'signature_components',
  ],
  [
    'MSW handlers',
    async () => {
      const { handlers } = createMswHandlers({ baseUrl: 'https://api.cortex-edr.com/v1', config });
      const server = setupServer(...handlers);
      server.listen({ onUnhandledRequest: 'error' });
      return { base: 'https://api.cortex-edr.com/v1', close: async () => server.close() };
    },
    'digest_mismatch',
  ],
];

describe.each(surfaces)('request signing through %s', (_name, open, undigested) => {
  let surface: Awaited<ReturnType<Open>>;
  beforeEach(async () => {
    surface = await open();
  });
  afterEach(() => surface.close());

  it('lets a signed GET and a signed POST with its Content-Digest in', async () => {
    const listed = await call(`${surface.base}/scans`, 'GET');
    expect(listed.status).toBe(200);
    expect(specProblems(operation('listScans'), listed)).toEqual([]);
    const created = await call(`${surface.base}/scans`, 'POST', { body: SCAN });
    expect(created.status).toBe(201);
    expect(specProblems(operation('createScan'), created)).toEqual([]);
  });

  it('refuses an unsigned request with signature_missing and says what it expects', async () => {
    const res = await call(`${surface.base}/scans`, 'GET', { sign: false });
    expect(res.status).toBe(401);
    expect(specProblems(operation('listScans'), res)).toEqual([]);
    expect(res.body.error.details.reason).toBe('signature_missing');
    expect(res.headers['accept-signature']).toBe('sig1=("@method" "@target-uri" "authorization");keyid="key_signed";alg="hmac-sha256";created;nonce');
  });

  it('refuses a body sent with no Content-Digest: it is not the digest of an empty body', async () => {
    const res = await call(`${surface.base}/scans`, 'POST', { body: SCAN, digest: false });
    expect(res.status).toBe(401);
    expect(specProblems(operation('createScan'), res)).toEqual([]);
    expect(res.body.error.details.reason).toBe(undigested);
  });
});
