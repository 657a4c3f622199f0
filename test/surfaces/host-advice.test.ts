// A refused Host says how to allow the name in the words of the way the mock was started:
// cortex-mock's --allowed-hosts flag on the command line (test/cli/cli.test.ts), the
// config's allowed_hosts for a mock started in code, mounted in a host app or behind MSW,
// where no command line exists; and the control token's refusal names the config too.
import { request as httpRequest } from 'node:http';
import express from 'express';
import request from 'supertest';
import { startMockServer } from '../../mock/server';
import { createMswHandlers } from '../../mock/surfaces/msw';
import { KEYS, bearer, testMock } from '../helpers/fixtures';
import { operation, specProblems } from '../helpers/spec-check';
import { withMockServer } from '../helpers/mock-server';

const CONFIG_ADVICE = "To allow it, add it to the mock's config: allowed_hosts: ['rebind.example'] (allowed_hosts: 'all' turns the check off)";

function expectConfigAdvice(message: string) {
  expect(message).toBe(`Host "rebind.example" is not one this mock answers to. ${CONFIG_ADVICE}`);
  expect(message).not.toContain('--allowed-hosts');
}

describe('the advice of a Host refusal', () => {
  it('names the config option inside a host app\'s Express mount', async () => {
    const app = express();
    app.use('/cortex', testMock().router());
    const res = await request(app).get('/cortex/v1/scans').set('Host', 'rebind.example').set(bearer(KEYS.read));
    expect(res.status).toBe(403);
    expect(specProblems(operation('listScans'), res)).toEqual([]);
    expectConfigAdvice(res.body.error.message);
  });

  it('names the config option for a server started in code (startMockServer)', async () => {
    await withMockServer({}, async (running) => {
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: running.port, path: '/v1/scans', headers: { Host: 'rebind.example' } }, (r) => {
          let body = '';
          r.on('data', (d) => (body += d));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
        });
        req.once('error', reject);
        req.end();
      });
      expect(res.status).toBe(403);
      expectConfigAdvice(JSON.parse(res.body).error.message);
    });
  });

  it('names the config option for the MSW handlers\' mock', () => {
    const { mock } = createMswHandlers({ baseUrl: 'https://api.cortex-edr.com/v1' });
    expectConfigAdvice(mock.admit({ headers: { host: 'rebind.example' }, httpVersion: '1.1' })!.message);
  });

  it('names the config option for the control token inside a host app\'s Express mount', async () => {
    const app = express();
    app.use('/cortex', testMock({ config: { control_token: 'a-long-random-control-token' } }).router());
    const res = await request(app).get('/cortex/_mock/keys');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'control_token' } });
    expect(res.body.error.message).toContain("the config's control_token");
    expect(res.body.error.message).not.toMatch(/^The control API needs the control token printed at start-up/);
  });
});
