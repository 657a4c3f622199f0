// cortex-contract --ca FILE: the harness checks an HTTPS server whose certificate a CA of
// the user's signed (the mock's --tls). Without the CA, the run stops before the suites with
// one message naming the certificate error, exit code 2, as the other preflight stops do;
// it never turns validation off.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockServer, type RunningMock } from '../../mock/server';
import { CONTRACT_ENV, runContracts } from '../helpers/contract-run';
import { T0_ISO } from '../helpers/start-time';

jest.setTimeout(180_000);

let dir: string;
let running: RunningMock;
let caFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cortex-tls-harness-'));
  running = await startMockServer({ config: { clock: T0_ISO, log_level: 'silent' }, tls: true, tlsDir: join(dir, 'tls') });
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, running.ca!);
});
afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

const lastLine = (output: string) => output.trimEnd().split('\n').pop();

it('passes against the mock over HTTPS given its CA with --ca', async () => {
  const run = await runContracts(['--base-url', running.baseUrl, '--ca', caFile], CONTRACT_ENV);
  expect(run.results.failures).toEqual([]);
  expect(run.results.passed).toBeGreaterThan(50);
  expect(lastLine(run.output)).toMatch(/^contract: PASSED/);
  expect(run.code).toBe(0);
});

it('stops with exit code 2 naming the certificate error, and sends nothing, without --ca', async () => {
  running.mock.journal.clear();
  const run = await runContracts(['--base-url', running.baseUrl], CONTRACT_ENV);
  expect(run.code).toBe(2);
  expect(run.results.stopped).toMatchObject({ kind: 'certificate' });
  expect(run.results.stopped!.message).toMatch(/the server's certificate was refused: UNABLE_TO_VERIFY_LEAF_SIGNATURE .*--ca FILE/);
  expect(run.results.passed).toBe(0);
  expect(run.results.failures).toEqual([]);
  expect(lastLine(run.output)).toMatch(/^contract: FAILED: stopped \(certificate\): .*UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  expect(running.mock.journal.list(1000)).toEqual([]);
});

it('refuses a --ca file that holds no certificate, naming the flag', async () => {
  writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
  const run = await runContracts(['--base-url', running.baseUrl, '--ca', join(dir, 'junk.pem')], CONTRACT_ENV);
  expect(run.code).toBe(2);
  expect(run.output).toContain(`cortex-contract: --ca ${join(dir, 'junk.pem')} holds no PEM certificate that loads`);
});
