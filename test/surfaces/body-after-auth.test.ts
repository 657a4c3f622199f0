// The body is read after authentication, on every way in: a large POST with no key is
// answered 401 without its body being read (x-cortex-check-order: credentials come first,
// the body is the validation stage's). Over node:http and an Express mount the body is never
// sent, and the 401 arrives anyway; through MSW the body is a stream that counts its pulls.
import { request as httpRequest, createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import { startMockServer } from '../../mock/server';
import { createMock } from '../../mock/app';
import { createMswHandlers } from '../../mock/surfaces/msw';
import { expectFetched, expectResponse } from '../helpers/expect-response';
import { KEYS, SPEC } from '../helpers/fixtures';

/** 200 KB of a JSON body, declared and never sent. */
const DECLARED = 200 * 1024;

/** POSTs a create with headers only: the body it declares is never written, and the request never ends. */
function postWithoutBody(port: number, path: string): Promise<{ status: number; headers: IncomingMessage['headers']; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': DECLARED } });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

/** The MSW body: 200 KB of JSON in 16 KB chunks, each made only when its reader asks (highWaterMark 0). */
const CHUNK = new TextEncoder().encode(`{"target":"${'a'.repeat(16 * 1024 - 14)}"}`);
const CHUNKS = Math.ceil(DECLARED / CHUNK.length);

/** POSTs the counted stream with no key through `handlers` (setupServer and fetch): the answer, and how many chunks were pulled by then. */
async function postCounted(handlers: RequestHandler[], url: string, key?: string): Promise<{ res: Response; status: number; pulls: number }> {
  const server = setupServer(...handlers);
  server.listen({ onUnhandledRequest: 'error' });
  let pulls = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulls++ === CHUNKS) controller.close();
        else controller.enqueue(CHUNK);
      },
    },
    { highWaterMark: 0 },
  );
  try {
    const headers = { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) };
    const res = await fetch(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
    return { res, status: res.status, pulls };
  } finally {
    server.close();
  }
}

const listening = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

describe('a large POST without a key', () => {
  it('is answered 401 over node:http while its body has not been sent', async () => {
    const running = await startMockServer();
    try {
      const res = await postWithoutBody(running.port, '/v1/scans');
      expectResponse(res, 401, 'createScan');
      expect((res.body as { error: { details: { reason: string } } }).error.details.reason).toBe('missing');
    } finally {
      await running.close();
    }
  });

  it('is answered 401 under an Express mount while its body has not been sent', async () => {
    const host = express();
    host.use('/cortex', createMock().router());
    const server = createServer(host);
    try {
      const res = await postWithoutBody(await listening(server), '/cortex/v1/scans');
      expectResponse(res, 401, 'createScan');
      expect((res.body as { error: { details: { reason: string } } }).error.details.reason).toBe('missing');
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });

  it('is answered 401 through MSW with no more of its body pulled than MSW pulls for a handler that never reads it', async () => {
    const { handlers, mock } = createMswHandlers({ baseUrl: 'https://api.cortex-edr.com/v1' });
    const url = 'https://api.cortex-edr.com/v1/scans';
    // MSW clones each request it hands a handler, and a clone's tee pulls a chunk: that much
    // is MSW's, whatever the handler does.
    const bare = await postCounted([http.post(url, () => new HttpResponse(null, { status: 401 }))], url);
    expect(bare.status).toBe(401);
    expect(bare.pulls).toBeLessThan(CHUNKS);
    const answered = await postCounted(handlers, url);
    await expectFetched(answered.res, 401, 'createScan');
    expect(answered.pulls).toBe(bare.pulls);
    expect(mock.journal.list().map((e) => [e.status, e.error_code])).toEqual([[401, 'UNAUTHORIZED']]);
  });

  it('with a key, is a 413 through MSW once it passes the body limit, its stream cancelled there and not read to the end', async () => {
    const { handlers } = createMswHandlers({ baseUrl: 'https://api.cortex-edr.com/v1' });
    const url = 'https://api.cortex-edr.com/v1/scans';
    const limit = (SPEC.document as unknown as { 'x-cortex-limits': { max_body_bytes: number } })['x-cortex-limits'].max_body_bytes;
    const answered = await postCounted(handlers, url, KEYS.write);
    await expectFetched(answered.res, 413, 'createScan');
    // The chunks up to the limit, the one past it, and what MSW's clone had pulled ahead.
    expect(answered.pulls).toBeLessThanOrEqual(Math.ceil(limit / CHUNK.length) + 2);
    expect(answered.pulls).toBeLessThan(CHUNKS);
  });

  it('reads the whole body, after authentication, where a browser\'s Request has no body stream (Firefox)', async () => {
    const { handlers } = createMswHandlers({ baseUrl: 'https://api.cortex-edr.com/v1' });
    const streamless = (key?: string) => {
      const request = new Request('https://api.cortex-edr.com/v1/scans', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ target: 'ws-0142.corp.example', scan_type: 'quick' }),
      });
      const read = jest.fn(() => Request.prototype.arrayBuffer.call(request));
      Object.defineProperties(request, { body: { value: undefined }, arrayBuffer: { value: read } });
      return { request, read };
    };
    const answer = async (request: Request) => {
      for (const handler of handlers) {
        const result = await handler.run({ request, requestId: 'streamless' });
        if (result?.response) return result.response;
      }
      throw new Error('no handler answered');
    };
    const refused = streamless();
    await expectFetched(await answer(refused.request), 401, 'createScan');
    expect(refused.read).not.toHaveBeenCalled();
    const created = streamless(KEYS.write);
    await expectFetched(await answer(created.request), 201, 'createScan');
    expect(created.read).toHaveBeenCalledTimes(1);
  });
});
