// The conduct report as JUnit XML (mock/observability/conduct-junit.ts), read back by an
// independent parser: a testcase per client and rule, an error finding a <failure> with its
// count and request ids, a warning a passing testcase that says it in <system-out>, a clean
// client a green list; hostile text (quotes, <, &, controls XML 1.0 forbids, lone
// surrogates) cannot break the document; the file is replaced atomically.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { conductTable, type ConductReport } from '../../mock/domain/conduct';
import { conductJunit } from '../../mock/observability/conduct-junit';
import { reportPathProblem, writeFileAtomically } from '../../mock/observability/report-file';
import { CONTROL_SPEC_PATH, readSpecFile } from '../../lib/openapi/load-spec';
import { readJunit } from '../helpers/junit';
import { bearer, KEYS, testMock } from '../helpers/fixtures';
import { expectResponse } from '../helpers/expect-response';

const RULES = [...conductTable(readSpecFile(CONTROL_SPEC_PATH)).rules.values()];
const WIRED = RULES.map((r) => r.name);
const finding = (rule: string, severity: 'error' | 'warning', message: string, ids: string[]) => ({ rule, practice: RULES.find((r) => r.name === rule)!.practice, severity, count: ids.length + 2, request_ids: ids, message });

describe('the conduct report as JUnit XML', () => {
  it('gives each client seen a testsuite with a testcase per rule: an error is a failure, a warning passes and says so', () => {
    const report: ConductReport = {
      clients: [
        { key_id: 'key_read', findings: [finding('retry_before_reset', 'error', 'GET /v1/scans sent 59.0 s early', ['req_000003', 'req_000004']), finding('uncached_repeat', 'warning', 'GET /v1/scans repeated', ['req_000002'])] },
        { key_id: 'key_admin', findings: [] },
      ],
    };
    const junit = readJunit(conductJunit(report, RULES));
    // Sorted by client, so two runs' files compare.
    expect(junit.suites.map((s) => s.name)).toEqual(['key_admin', 'key_read']);
    expect(junit).toMatchObject({ tests: 2 * RULES.length, failures: 1, skipped: 2 * (RULES.length - WIRED.length) });
    const [admin, read] = junit.suites;
    expect(admin.cases.map((c) => [c.classname, c.name])).toEqual(RULES.map((r) => ['key_admin', r.name]));
    expect(admin.cases.filter((c) => c.failures.length || c.systemOut !== undefined)).toEqual([]);
    expect(admin.cases.filter((c) => !c.skipped).map((c) => c.name)).toEqual(WIRED);

    const early = read.cases.find((c) => c.name === 'retry_before_reset')!;
    expect(early.failures).toEqual([{ type: 'error', message: '4x: GET /v1/scans sent 59.0 s early', text: expect.stringContaining('request ids: req_000003 req_000004') }]);
    expect(early.failures[0].text).toContain('count: 4');
    expect(early.failures[0].text).toContain('practice: Handling Rate Limits');
    const repeat = read.cases.find((c) => c.name === 'uncached_repeat')!;
    expect(repeat.failures).toEqual([]);
    expect(repeat.systemOut).toMatch(/^warning: GET \/v1\/scans repeated\n.*\ncount: 3\nrequest ids: req_000002$/s);
  });

  it('gives an empty <testsuites> for a run that saw no client', () => {
    expect(readJunit(conductJunit({ clients: [] }, RULES))).toEqual({ tests: 0, failures: 0, skipped: 0, suites: [] });
  });

  it('escapes quotes, <, & and line breaks, and replaces the characters XML 1.0 forbids, in names, attributes and text', () => {
    const hostile = `a"b'c<d>e&f;\u0000\u0001\u001f\ufffe\ud800 \tg\nh\ri&#1;]]>`;
    // What survives: the forbidden ones become U+FFFD; the rest is read back as sent.
    const readBack = `a"b'c<d>e&f;\ufffd\ufffd\ufffd\ufffd\ufffd \tg\nh\ri&#1;]]>`;
    const report: ConductReport = { clients: [{ key_id: hostile, findings: [finding('no_backoff', 'error', hostile, [hostile]), finding('key_in_query', 'warning', hostile, ['req_1'])] }] };
    const xml = conductJunit(report, RULES);
    const junit = readJunit(xml);
    const [suite] = junit.suites;
    expect(suite.name).toBe(readBack);
    expect(new Set(suite.cases.map((c) => c.classname))).toEqual(new Set([readBack]));
    const backoff = suite.cases.find((c) => c.name === 'no_backoff')!;
    expect(backoff.failures[0].message).toBe(`3x: ${readBack}`);
    expect(backoff.failures[0].text).toContain(`request ids: ${readBack}`);
    expect(suite.cases.find((c) => c.name === 'key_in_query')!.systemOut).toContain(`warning: ${readBack}`);
    // A surrogate pair is a character like any other and stays.
    expect(readJunit(conductJunit({ clients: [{ key_id: 'key_\u{1f600}', findings: [] }] }, RULES)).suites[0].name).toBe('key_\u{1f600}');
  });

  it('redacts a key a message carries, in any parameter', () => {
    const report: ConductReport = { clients: [{ key_id: 'key_read', findings: [finding('uncached_repeat', 'warning', `GET /v1/scans?token=${KEYS.admin} repeated`, ['req_1'])] }] };
    const xml = conductJunit(report, RULES);
    expect(xml).not.toContain(KEYS.admin);
    expect(readJunit(xml).suites[0].cases.find((c) => c.name === 'uncached_repeat')!.systemOut).toContain('?token=[REDACTED] repeated');
  });

  it("reads the mock's own report, every client seen included, through mock.conduct({ everyClient: true })", async () => {
    const mock = testMock();
    expectResponse(await request(mock.handler).get('/v1/scans').set(bearer(KEYS.noPerms)), 403);
    const again = await request(mock.handler).get('/v1/scans').set(bearer(KEYS.noPerms));
    expectResponse(again, 403);
    expectResponse(await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.admin)), 200);
    // The report a test asserts on lists the clients with findings; the JUnit file every client.
    expect(mock.conduct().clients.map((c) => c.key_id)).toEqual(['key_noperms']);
    const every = mock.conduct({ everyClient: true });
    expect(every.clients.map((c) => c.key_id).sort()).toEqual(['key_admin', 'key_noperms']);
    const junit = readJunit(conductJunit(every, RULES));
    expect(junit.failures).toBe(1);
    const retried = junit.suites.find((s) => s.name === 'key_noperms')!.cases.find((c) => c.name === 'retried_auth_error')!;
    expect(retried.failures[0].text).toContain(`request ids: ${again.headers['x-request-id']}`);
  });
});

describe('the report file', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'cortex-conduct-file-'));

  it('replaces the file by a rename, leaving no temporary file behind', () => {
    const folder = dir();
    const file = join(folder, 'conduct.xml');
    writeFileSync(file, 'the old report');
    const before = statSync(file).ino;
    writeFileAtomically(file, 'the new report');
    expect(readFileSync(file, 'utf8')).toBe('the new report');
    // A new file took the name: the old one was never rewritten in place, so a reader (or a
    // kill) mid-write sees the whole old report or the whole new one.
    expect(statSync(file).ino).not.toBe(before);
    expect(readdirSync(folder)).toEqual(['conduct.xml']);
  });

  it('removes its temporary file and throws when the rename fails', () => {
    const folder = dir();
    const target = join(folder, 'taken');
    mkdirSync(join(target, 'inside'), { recursive: true });
    expect(() => writeFileAtomically(target, 'report')).toThrow();
    expect(readdirSync(folder)).toEqual(['taken']);
  });

  it.each([
    ['a folder that does not exist', (d: string) => join(d, 'missing', 'conduct.xml'), /^the folder .*missing does not exist$/],
    ['a folder', (d: string) => d, /is a folder$/],
    ['a file as the folder', (d: string) => (writeFileSync(join(d, 'plain'), ''), join(d, 'plain', 'conduct.xml')), /plain is not a folder$/],
    ['an empty path', () => '', /^an empty path$/],
  ])('refuses %s as the path', (_name, path, reason) => {
    expect(reportPathProblem(path(dir()))).toMatch(reason);
  });

  it('takes a new file in a folder that exists', () => {
    expect(reportPathProblem(join(dir(), 'conduct.xml'))).toBeUndefined();
  });
});
