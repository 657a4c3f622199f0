// Fault rules through the control API (/_mock/faults) and the in-process handle
// (mock.faults): one registry, one set of checks. A bad rule is a 400 naming the field, or a
// FaultRuleError from mock.faults.add; POST /_mock/reset (and mock.reset()) restores the
// configuration's rules with their counts at zero and removes the rest.
import request from 'supertest';
import { bearer, KEYS, testMock } from '../helpers/fixtures';
import { expectResponse } from '../helpers/expect-response';
import { controlProblems } from '../helpers/spec-check';
import { FaultRuleError, type FaultRuleInput } from '../../mock/domain/faults';
import { createCore } from '../../mock/core';
import { SPEC } from '../helpers/fixtures';

const CONFIG_RULE: FaultRuleInput = { match: { operation: 'getScan' }, when: { every: 2 }, fault: { kind: 'status', status: 503 } };
const RUNTIME_RULE: FaultRuleInput = { match: { operation: 'listScans' }, when: { first: 1 }, fault: { kind: 'status', status: 503, retry_after: 3 } };

const ok = (operationId: string) => (res: { status: number; body: unknown; text?: string }) => expect(controlProblems(operationId, res)).toEqual([]);

describe('fault rules through /_mock/faults and mock.faults', () => {
  it('adds a rule (201 with its id, seed and zero counts), lists it with its counts once it fired, and removes it', async () => {
    const mock = testMock();
    const added = await request(mock.handler).post('/_mock/faults').send(RUNTIME_RULE).expect(201);
    ok('addFault')(added);
    expect(added.body).toMatchObject({ id: 'flt_1', source: 'runtime', ...RUNTIME_RULE, seen: 0, fired: 0 });
    expect(typeof added.body.seed).toBe('number');

    const faulted = await request(mock.handler).get('/v1/scans').set(bearer(KEYS.read));
    expectResponse(faulted, 503);
    expect(faulted.headers['x-mock-fault']).toBe('flt_1;kind=status');
    expect(faulted.headers['retry-after']).toBe('3');
    await request(mock.handler).get('/v1/scans').set(bearer(KEYS.read)).expect(200);

    const listed = await request(mock.handler).get('/_mock/faults').expect(200);
    ok('listFaults')(listed);
    expect(listed.body.data).toEqual([{ ...added.body, seen: 2, fired: 1 }]);
    expect(mock.faults.list()).toEqual(listed.body.data);

    ok('removeFault')(await request(mock.handler).delete('/_mock/faults/flt_1').expect(204));
    const gone = await request(mock.handler).delete('/_mock/faults/flt_1').expect(404);
    ok('removeFault')(gone);
    expect(gone.body.error).toEqual({ code: 'NOT_FOUND', message: 'No fault rule with id flt_1', details: { resource: 'fault_rule', id: 'flt_1' } });
    expect(mock.faults.list()).toEqual([]);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['a schedule below its minimum', { when: { first: 0 }, fault: { kind: 'reset' } }, 'when.first', /must be >= 1/],
    ['no schedule', { when: {}, fault: { kind: 'reset' } }, 'when', /must give one of first, after, every, probability/],
    ['an unknown kind', { when: { first: 1 }, fault: { kind: 'explode' } }, 'fault.kind', /must be one of status, rate_limit, latency/],
    ['a field of another kind', { when: { first: 1 }, fault: { kind: 'hang', bytes: 3 } }, 'fault.bytes', /is not a known field/],
    ['a status the operation does not document', { match: { operation: 'listScans' }, when: { first: 1 }, fault: { kind: 'status', status: 418 } }, 'fault.status', /418 is not documented for listScans/],
    ['an operation the spec does not have', { match: { operation: 'listNothing' }, when: { first: 1 }, fault: { kind: 'reset' } }, 'match.operation', /is not an operation of the spec/],
    ['a range upside down', { when: { first: 1 }, fault: { kind: 'latency', min_ms: 9, max_ms: 1 } }, 'fault.max_ms', /must be >= min_ms \(9\)/],
  ])('refuses %s with a 400 naming the field, and mock.faults.add with a FaultRuleError naming it', async (_name, rule, field, reason) => {
    const mock = testMock();
    const res = await request(mock.handler).post('/_mock/faults').send(rule as object).expect(400);
    ok('addFault')(res);
    expect(res.body.error.details).toMatchObject({ parameter: field, location: 'body' });
    expect(res.body.error.message).toMatch(reason);
    let thrown: unknown;
    try {
      mock.faults.add(rule);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(FaultRuleError);
    expect((thrown as FaultRuleError).problem.path.join('.')).toBe(field);
    expect(mock.faults.list()).toEqual([]);
  });

  it('refuses a rule whose kind a surface of the mock cannot express, saying which surfaces can', () => {
    // A core for a surface the spec's x-cortex-fault-surfaces does not name for any kind.
    const core = createCore({ spec: SPEC, faultSurfaces: ['carrier-pigeon' as never] });
    expect(() => core.faults.add({ when: { first: 1 }, fault: { kind: 'reset' } })).toThrow('fault.kind: reset cannot be expressed on the carrier-pigeon surface (reset works on node, express, msw)');
    expect(() => createCore({ spec: SPEC, faultSurfaces: ['carrier-pigeon' as never], config: { faults: [{ when: { first: 1 }, fault: { kind: 'close' } }] } })).toThrow(/^faults\.0\.fault\.kind: close cannot be expressed on the carrier-pigeon surface/);
  });

  it('restores the configuration rules on POST /_mock/reset and mock.reset(): counts at zero, runtime rules gone, ids restarted after the config', async () => {
    const mock = testMock({ config: { faults: [CONFIG_RULE], faults_seed: 7 } });
    const seed = mock.faults.list()[0].seed;
    mock.faults.add(RUNTIME_RULE);
    await request(mock.handler).get('/v1/scans/scn_0001').set(bearer(KEYS.read));
    expect(mock.faults.list().map((r) => [r.id, r.source, r.seen])).toEqual([['flt_1', 'config', 1], ['flt_2', 'runtime', 0]]);

    await request(mock.handler).post('/_mock/reset').expect(204);
    expect(mock.faults.list()).toEqual([{ id: 'flt_1', source: 'config', ...CONFIG_RULE, seed, seen: 0, fired: 0 }]);
    expect(mock.faults.add(RUNTIME_RULE)).toBe('flt_2');

    mock.faults.clear();
    expect(mock.faults.list()).toEqual([]);
    mock.reset();
    expect(mock.faults.list().map((r) => r.id)).toEqual(['flt_1']);
  });
});
