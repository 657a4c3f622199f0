// The same 304 through every way in (node:http, an Express mount, MSW), and CORS that lets a
// front end on another origin send If-None-Match and read the ETag: both derived from the
// spec's header parameters and documented response headers.
import express from 'express';
import request from 'supertest';
import { setupServer } from 'msw/node';
import { startMockServer } from '../../mock/server';
import { createMock } from '../../mock/app';
import { createMswHandlers } from '../../mock/surfaces/msw';
import { KEYS, T0_ISO } from '../helpers/fixtures';
import { expectResponse } from '../helpers/expect-response';

const CONFIG = { clock: T0_ISO, plans: { developer: { requests_per_window: 5, window_seconds: 60 } } };

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
}

type Send = (path: string, headers: Record<string, string>) => Promise<Answer>;

async function viaFetch(url: string, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), text: await res.text() };
}

const surfaces: Array<[string, () => Promise<{ send: Send; close(): Promise<void> }>]> = [
  [
    'node:http',
    async () => {
      const running = await startMockServer({ config: CONFIG });
      return { send: (p, h) => viaFetch(`${running.baseUrl}${p}`, h), close: () => running.close() };
    },
  ],
  [
    'an Express mount',
    async () => {
      const host = express();
      host.use('/cortex', createMock({ config: CONFIG }).router());
      const send: Send = async (p, h) => {
        const res = await request(host).get(`/cortex/v1${p}`).set(h);
        return { status: res.status, headers: res.headers as Record<string, string>, text: res.text ?? '' };
      };
      return { send, close: async () => undefined };
    },
  ],
  [
    'MSW',
    async () => {
      const { handlers } = createMswHandlers({ baseUrl: 'https://api.cortex-edr.com/v1', config: CONFIG });
      const server = setupServer(...handlers);
      server.listen({ onUnhandledRequest: 'error' });
      return { send: (p, h) => viaFetch(`https://api.cortex-edr.com/v1${p}`, h), close: async () => server.close() };
    },
  ],
];

describe.each(surfaces)('through %s', (_name, open) => {
  it('answers a matching If-None-Match 304 with no body and the rate-limit fields, at no cost', async () => {
    const surface = await open();
    try {
      const auth = { Authorization: `Bearer ${KEYS.read}` };
      const got = await surface.send('/scans', auth);
      expectResponse({ status: got.status, headers: got.headers, body: JSON.parse(got.text) }, 200, 'listScans');
      const etag = got.headers.etag as string;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      const res = await surface.send('/scans', { ...auth, 'If-None-Match': etag });
      expectResponse({ status: res.status, headers: res.headers, body: undefined }, 304, 'listScans');
      expect(res.text).toBe('');
      expect(res.headers.etag).toBe(etag);
      expect(res.headers['x-ratelimit-remaining']).toBe(got.headers['x-ratelimit-remaining']);
    } finally {
      await surface.close();
    }
  });
});

describe('CORS for conditional requests', () => {
  it('allows If-None-Match in a preflight and exposes ETag to the page', async () => {
    const mock = createMock({ config: CONFIG });
    const preflight = await request(mock.app).options('/v1/scans').set('Origin', 'http://localhost:5173').set('Access-Control-Request-Method', 'GET').set('Access-Control-Request-Headers', 'authorization, if-none-match');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers'].split(', ')).toContain('If-None-Match');
    const res = await request(mock.app).get('/v1/scans').set('Origin', 'http://localhost:5173').set('Authorization', `Bearer ${KEYS.read}`);
    expectResponse(res, 200);
    expect(res.headers['access-control-expose-headers'].split(', ')).toContain('ETag');
  });
});
