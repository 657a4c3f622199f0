// Limits at the HTTP layer: oversized headers and malformed requests still get the spec's
// error shape, from the server itself, and the server keeps serving.
import { KEYS } from '../helpers/fixtures';
import { expectFetched } from '../helpers/expect-response';
import { raw } from '../helpers/raw-http';
import { withMockServer } from '../helpers/mock-server';

it('should answer oversized headers and a malformed request line with a 400 in the error shape', async () => {
  await withMockServer({}, async (server) => {
    const big = await raw(server.port, `GET /v1/scans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(70_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4));
    expect(body.error).toMatchObject({ code: 'INVALID_REQUEST', details: { reason: 'headers_too_large', location: 'header' } });
    expect(big).not.toContain('aaaaaaaa');
    const garbage = await raw(server.port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)).error.details.reason).toBe('malformed_request');
    const ok = await fetch(`${server.baseUrl}/whoami`, { headers: { Authorization: `Bearer ${KEYS.read}` } });
    await expectFetched(ok, 200);
  });
});
