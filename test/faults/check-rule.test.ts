// A bad fault rule is refused with the field it is about and why: the schema's failures of
// control.yaml's FaultRuleInput, named by the kind that was meant, then the checks no schema
// can make (a window backwards, min_ms past max_ms, a status the operation does not document).
import { checkFaultRule, createFaultRegistry, FaultRuleError } from '../../mock/domain/faults';
import { CHECKS } from './fault-checks';

const named = (rule: unknown) => {
  const problem = checkFaultRule(rule, CHECKS);
  return problem && `${problem.path.join('.')}: ${problem.reason}`;
};
const ok = { match: { operation: 'listScans' }, when: { first: 2 }, fault: { kind: 'status', status: 503 } };

describe('checkFaultRule', () => {
  it.each([
    ['the example of the issue', ok],
    ['a rule with no match (every operation) and a kind every operation can take', { when: { every: 3 }, fault: { kind: 'reset' } }],
    ['a lognormal latency', { when: { probability: 0.2, seed: 9 }, fault: { kind: 'latency', median_ms: 100, sigma: 0.5 } }],
    ['a uniform latency with min_ms = max_ms', { when: { after: 1 }, fault: { kind: 'latency', min_ms: 5, max_ms: 5 } }],
    ['a windowed truncate at a fraction', { when: { first: 1, between: { from: '2026-11-01T09:00:00Z', to: '2026-11-01T10:00:00Z' } }, fault: { kind: 'truncate', fraction: 0.25 } }],
    ['a slow body on a path template', { match: { path: '/scans/{scan_id}', method: 'GET' }, when: { first: 1 }, fault: { kind: 'slow_body', bytes_per_second: 64 } }],
  ])('accepts %s', (_what, rule) => {
    expect(named(rule)).toBeUndefined();
  });

  it.each([
    ['a schedule below its minimum', { ...ok, when: { first: 0 } }, 'when.first: must be >= 1'],
    ['a probability past 1', { ...ok, when: { probability: 1.5 } }, 'when.probability: must be <= 1'],
    ['no schedule', { ...ok, when: { times: 2 } }, 'when: must give one of first, after, every, probability'],
    ['two schedules', { ...ok, when: { first: 1, every: 2 } }, 'when: must give only one of first, after, every, probability (it gives first and every)'],
    ['an unknown field of when', { ...ok, when: { first: 1, last: 2 } }, 'when.last: is not a known field'],
    ['a rule without a fault', { when: { first: 1 } }, 'fault: is required'],
    ['a fault without a kind', { ...ok, fault: { status: 503 } }, 'fault.kind: is required'],
    ['an unknown kind', { ...ok, fault: { kind: 'explode' } }, 'fault.kind: must be one of status, rate_limit, latency, reset, close, hang, truncate, slow_body'],
    ['a status without its status', { ...ok, fault: { kind: 'status' } }, 'fault.status: is required'],
    ['a field another kind has', { ...ok, fault: { kind: 'reset', ms: 5 } }, 'fault.ms: is not a known field'],
    ['a negative latency', { ...ok, fault: { kind: 'latency', ms: -1 } }, 'fault.ms: must be >= 0'],
    ['min_ms without max_ms', { ...ok, fault: { kind: 'latency', min_ms: 5 } }, 'fault: must have property max_ms when property min_ms is present'],
    ['a hang cap past ten minutes', { ...ok, fault: { kind: 'hang', ms: 600_001 } }, 'fault.ms: must be <= 600000'],
    ['a slow body without its rate', { ...ok, fault: { kind: 'slow_body' } }, 'fault.bytes_per_second: is required'],
    ['a truncate at the whole body', { ...ok, fault: { kind: 'truncate', fraction: 1 } }, 'fault.fraction: must be < 1'],
    ['a window that is not a date-time', { ...ok, when: { first: 1, between: { from: 'noon', to: '2026-11-01T10:00:00Z' } } }, expect.stringMatching(/^when\.between\.from: must be an RFC 3339 date-time/)],
    ['an unknown method', { ...ok, match: { method: 'FETCH' } }, 'match.method: must be one of GET, PUT, POST, DELETE, PATCH, OPTIONS, HEAD'],
  ])('refuses %s by its schema, naming the field', (_what, rule, expected) => {
    expect(named(rule)).toEqual(expected);
  });

  it.each([
    ['a window that ends before it starts', { ...ok, when: { first: 1, between: { from: '2026-11-01T10:00:00Z', to: '2026-11-01T09:00:00Z' } } }, 'when.between.to: must be later than from'],
    ['min_ms past max_ms', { ...ok, fault: { kind: 'latency', min_ms: 50, max_ms: 10 } }, 'fault.max_ms: must be >= min_ms (50)'],
    ['two latency forms', { ...ok, fault: { kind: 'latency', ms: 5, median_ms: 10, sigma: 1 } }, 'fault: must give ms, or min_ms with max_ms, or median_ms with sigma: exactly one of them'],
    ['no latency form', { ...ok, fault: { kind: 'latency' } }, 'fault: must give ms, or min_ms with max_ms, or median_ms with sigma: exactly one of them'],
    ['a truncate cut two ways', { ...ok, fault: { kind: 'truncate', bytes: 5, fraction: 0.5 } }, 'fault.fraction: cannot be given with bytes: the body is cut at one place'],
    ['an operation the spec does not have', { ...ok, match: { operation: 'listScanz' } }, 'match.operation: is not an operation of the spec: listScanz'],
    ['a path the spec does not have', { ...ok, match: { path: '/scan/{id}' } }, 'match.path: is not a path template of the spec: /scan/{id}'],
    ['a match that no operation fits', { ...ok, match: { operation: 'listScans', method: 'DELETE' } }, 'match: matches no operation of the spec (its operation, method and path disagree)'],
  ])('refuses %s, naming the field', (_what, rule, expected) => {
    expect(named(rule)).toBe(expected);
  });

  it('refuses a status the matched operation does not document, listing the ones it does', () => {
    const documented = CHECKS.documentedStatuses('listScans');
    expect(documented).not.toContain(418);
    expect(named({ ...ok, fault: { kind: 'status', status: 418 } })).toBe(`fault.status: 418 is not documented for listScans (it documents ${documented.join(', ')})`);
  });

  it('refuses a status with no operation named unless every operation documents it', () => {
    const everywhere = [400, 401, 429, 500, 503].filter((s) => CHECKS.operations.every((op) => CHECKS.documentedStatuses(op.operationId).includes(s)));
    const nowhere = [404, 409].find((s) => CHECKS.operations.some((op) => !CHECKS.documentedStatuses(op.operationId).includes(s)))!;
    expect(named({ when: { first: 1 }, fault: { kind: 'status', status: nowhere } })).toMatch(new RegExp(`^fault.status: ${nowhere} is not documented for \\w+ .*give match.operation`));
    for (const status of everywhere) expect(named({ when: { first: 1 }, fault: { kind: 'status', status } })).toBeUndefined();
  });

  it('carries the schema path of the keyword that broke, for the 400', () => {
    expect(checkFaultRule({ ...ok, when: { first: 0 } }, CHECKS)?.schemaPath).toBe('#/components/schemas/FaultWhen/properties/first/minimum');
  });

  it('is what the registry runs: add() throws FaultRuleError with the problem and adds nothing', () => {
    const registry = createFaultRegistry({ check: (rule) => checkFaultRule(rule, CHECKS) });
    expect(() => registry.add({ ...ok, when: { first: 0 } })).toThrow(new FaultRuleError({ path: ['when', 'first'], reason: 'must be >= 1' }));
    expect(() => registry.add({ ...ok, when: { first: 0 } })).toThrow('when.first: must be >= 1');
    expect(registry.list()).toEqual([]);
    expect(registry.add(ok)).toBe('flt_1');
  });
});
