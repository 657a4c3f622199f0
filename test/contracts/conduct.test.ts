// The harness and the mock's conduct report (docs/harness.md#the-conduct-report): each suite
// names the conduct rules it breaks on purpose. A default run against the mock leaves a report
// with no finding outside them, and each named rule really fires, so the list cannot go stale;
// every named rule is one of control.yaml's x-cortex-conduct-rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runContracts } from '../helpers/contract-run';
import { SUITES } from '../../contracts/suites';
import { deliberateBreaks, judgeConduct } from '../../contracts/lib/conduct';
import { CONTROL_SPEC_PATH, readSpecFile } from '../../lib/openapi/load-spec';

// Spawns the harness, which starts the mock: sized for a machine with both cores busy.
jest.setTimeout(120_000);

const RULES = (readSpecFile(CONTROL_SPEC_PATH)['x-cortex-conduct-rules'] as Array<{ name: string }>).map((r) => r.name);

describe('the rules the suites break on purpose', () => {
  it('are rules of x-cortex-conduct-rules, each with its reason', () => {
    const breaks = deliberateBreaks(SUITES);
    expect(breaks.length).toBeGreaterThan(0);
    for (const b of breaks) {
      expect(RULES).toContain(b.rule);
      expect(b.why.length).toBeGreaterThan(20);
    }
  });

  it('are all the default run against the mock breaks, and each of them fires', async () => {
    const run = await runContracts(['--target', 'mock']);
    expect(run.code).toBe(0);
    const file = JSON.parse(readFileSync(join(run.reportDir, 'conduct.json'), 'utf8'));
    expect(file.unexpected).toEqual([]);
    expect(file.unfired).toEqual([]);
    expect(file.fired).toEqual([...new Set(deliberateBreaks(SUITES).map((b) => b.rule))].sort());
    expect(file.report.clients.length).toBeGreaterThan(0);
    expect(run.output).toMatch(/contract: conduct: the mock's findings are all of rules the suites break on purpose \(/);
  });
});

describe('judgeConduct', () => {
  const report = { clients: [{ key_id: 'key_read', findings: [{ rule: 'key_in_query', count: 2, request_ids: ['req_000001'], message: 'm' }] }] };

  it('lists a finding of a rule no suite named', () => {
    expect(judgeConduct(report, []).unexpected).toEqual([{ key_id: 'key_read', rule: 'key_in_query', count: 2, message: 'm' }]);
  });

  it('lists a named rule that did not fire', () => {
    const judged = judgeConduct(report, [{ suite: 's', rule: 'key_in_query', why: 'w' }, { suite: 's', rule: 'no_backoff', why: 'w' }]);
    expect(judged.unexpected).toEqual([]);
    expect(judged.unfired).toEqual(['no_backoff']);
  });
});
