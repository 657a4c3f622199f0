// The fault registry's schedules, caps, windows, order and seeded replay, on injected facts
// and an injected clock: no HTTP, no waiting.
import { createFaultRegistry, DEFAULT_FAULTS_SEED, type FaultFacts, type FaultRuleInput } from '../../mock/domain/faults';
import { CONTROL_VALIDATOR } from './fault-checks';

const T0 = Date.parse('2026-11-01T09:00:00.000Z');
const LIST: FaultFacts = { operationId: 'listScans', method: 'GET', pathTemplate: '/scans', keyId: 'key_read', accountId: 'acct_developer', now: T0 };
const GET_SCAN: FaultFacts = { ...LIST, operationId: 'getScan', pathTemplate: '/scans/{scan_id}' };
const ruleValid = CONTROL_VALIDATOR.compile('#/components/schemas/FaultRule');

/** Which of `n` requests with `facts` a registry shapes, 1-based. */
function firings(registry: ReturnType<typeof createFaultRegistry>, n: number, facts: FaultFacts = LIST): number[] {
  const fired: number[] = [];
  for (let i = 1; i <= n; i++) if (registry.decide({ ...facts, now: facts.now + i }) !== null) fired.push(i);
  return fired;
}

const status503 = (when: FaultRuleInput['when'], match: FaultRuleInput['match'] = { operation: 'listScans' }): FaultRuleInput => ({ match, when, fault: { kind: 'status', status: 503 } });

describe('fault schedules', () => {
  it('fails the first 2 matching requests, then lets every request through', () => {
    const registry = createFaultRegistry();
    registry.add(status503({ first: 2 }));
    expect(firings(registry, 6)).toEqual([1, 2]);
  });

  it('fires on every request after the first N', () => {
    const registry = createFaultRegistry();
    registry.add(status503({ after: 3 }));
    expect(firings(registry, 6)).toEqual([4, 5, 6]);
  });

  it('fires on every Nth matching request', () => {
    const registry = createFaultRegistry();
    registry.add(status503({ every: 3 }));
    expect(firings(registry, 10)).toEqual([3, 6, 9]);
  });

  it('stops firing after `times` firings, and keeps counting what it matches', () => {
    const registry = createFaultRegistry();
    const id = registry.add(status503({ every: 2, times: 2 }));
    expect(firings(registry, 10)).toEqual([2, 4]);
    expect(registry.get(id)).toMatchObject({ seen: 10, fired: 2 });
  });

  it('fires only inside its window on the mock clock, from included, to excluded, and counts only there', () => {
    const registry = createFaultRegistry();
    const id = registry.add(status503({ after: 0, between: { from: '2026-11-01T09:00:10Z', to: '2026-11-01T09:00:20Z' } }));
    const at = (s: number) => registry.decide({ ...LIST, now: T0 + s * 1000 });
    expect(at(9.999)).toBeNull();
    expect(at(10)).not.toBeNull();
    expect(at(19.999)).not.toBeNull();
    expect(at(20)).toBeNull();
    expect(registry.get(id)).toMatchObject({ seen: 2, fired: 2 });
  });

  it('never shapes a request its match does not hold for (operation, method, path, key, account)', () => {
    const registry = createFaultRegistry();
    registry.add(status503({ after: 0 }, { operation: 'listScans', method: 'GET', path: '/scans', key_id: 'key_read', account_id: 'acct_developer' }));
    expect(registry.decide(LIST)).not.toBeNull();
    for (const other of [GET_SCAN, { ...LIST, method: 'POST' }, { ...LIST, keyId: 'key_admin' }, { ...LIST, accountId: 'acct_enterprise' }, { ...LIST, keyId: null }]) {
      expect(registry.decide(other)).toBeNull();
    }
  });

  it('gives the request to the first rule added that fires, while every matching rule counts it', () => {
    const registry = createFaultRegistry();
    const a = registry.add(status503({ every: 2 }));
    const b = registry.add({ match: { path: '/scans' }, when: { after: 0 }, fault: { kind: 'reset' } });
    const kinds = [1, 2, 3, 4].map((i) => registry.decide({ ...LIST, now: T0 + i })?.fault.kind);
    expect(kinds).toEqual(['reset', 'status', 'reset', 'status']);
    expect(registry.get(a)).toMatchObject({ seen: 4, fired: 2 });
    expect(registry.get(b)).toMatchObject({ seen: 4, fired: 2 });
  });

  it('answers with the id of the rule that fired and the fault with its defaults filled in', () => {
    const registry = createFaultRegistry();
    const id = registry.add({ when: { first: 1 }, fault: { kind: 'hang' } });
    expect(registry.decide(LIST)).toEqual({ ruleId: id, fault: { kind: 'hang', ms: 30_000 } });
    const status = registry.add(status503({ first: 1 }));
    expect(registry.decide(LIST)).toEqual({ ruleId: status, fault: { kind: 'status', status: 503, retry_after: 1 } });
  });
});

describe('the fault registry', () => {
  it('numbers rules flt_1, flt_2... and lists them in the shape control.yaml gives FaultRule', () => {
    const registry = createFaultRegistry();
    expect(registry.add(status503({ first: 2 }))).toBe('flt_1');
    expect(registry.add({ when: { probability: 0.5, seed: 7 }, fault: { kind: 'latency', min_ms: 10, max_ms: 20 } })).toBe('flt_2');
    registry.decide(LIST);
    const listed = registry.list();
    expect(listed.map((r) => [r.id, r.source, r.seen, r.fired])).toEqual([
      ['flt_1', 'runtime', 1, 1],
      ['flt_2', 'runtime', 1, expect.any(Number)],
    ]);
    expect(listed[1].seed).toBe(7);
    for (const rule of listed) expect(ruleValid(rule)).toEqual([]);
  });

  it('removes a rule by id, and says false for an id it does not have', () => {
    const registry = createFaultRegistry();
    const id = registry.add(status503({ after: 0 }));
    expect(registry.remove('flt_99')).toBe(false);
    expect(registry.remove(id)).toBe(true);
    expect(registry.decide(LIST)).toBeNull();
    expect(registry.size).toBe(0);
  });

  it("resets to the configuration's rules with counts at zero, drops the added ones, and restarts ids", () => {
    const registry = createFaultRegistry({ rules: [status503({ first: 1 })] });
    registry.add({ when: { after: 0 }, fault: { kind: 'close' } });
    firings(registry, 3);
    expect(registry.list().map((r) => [r.id, r.source, r.seen])).toEqual([
      ['flt_1', 'config', 3],
      ['flt_2', 'runtime', 3],
    ]);
    registry.clear();
    expect(registry.list()).toEqual([]);
    registry.reset();
    expect(registry.list().map((r) => [r.id, r.source, r.seen, r.fired])).toEqual([['flt_1', 'config', 0, 0]]);
    expect(registry.add({ when: { after: 0 }, fault: { kind: 'close' } })).toBe('flt_2');
  });

  it('does not change the rule it was given, nor let a listed copy change its own', () => {
    const input = status503({ first: 1 });
    const registry = createFaultRegistry();
    const id = registry.add(input);
    (input.when as { first?: number }).first = 50;
    (registry.get(id)!.when as { first?: number }).first = 50;
    expect(firings(registry, 3)).toEqual([1]);
  });
});

describe('seeded replay', () => {
  const rules: FaultRuleInput[] = [
    { match: { operation: 'listScans' }, when: { probability: 0.3 }, fault: { kind: 'status', status: 503 } },
    { when: { probability: 0.5 }, fault: { kind: 'latency', median_ms: 200, sigma: 0.5 } },
  ];
  const requests = Array.from({ length: 200 }, (_, i) => ({ ...(i % 3 === 0 ? GET_SCAN : LIST), now: T0 + i }));
  const run = (seed?: number) => {
    const registry = createFaultRegistry({ seed, rules });
    return requests.map((facts) => registry.decide(facts));
  };

  it('gives the same firings and the same latency draws for the same faults_seed and requests, in two registries', () => {
    const first = run(1234);
    expect(run(1234)).toEqual(first);
    expect(first.filter((d) => d?.ruleId === 'flt_1').length).toBeGreaterThan(0);
    expect(first.filter((d) => d?.fault.kind === 'latency').length).toBeGreaterThan(0);
  });

  it('gives other firings for another seed', () => {
    expect(run(1235)).not.toEqual(run(1234));
  });

  it('uses a fixed default seed without faults_seed, and reports each rule its own seed', () => {
    expect(run()).toEqual(run(DEFAULT_FAULTS_SEED));
    const [a, b] = createFaultRegistry({ rules }).list();
    expect(a.seed).not.toBe(b.seed);
  });

  it('replays a rule from the seed list() reports, given as when.seed in another registry', () => {
    const one = createFaultRegistry({ seed: 99, rules: [rules[0]] });
    const seed = one.list()[0].seed;
    const again = createFaultRegistry({ seed: 1, rules: [{ ...rules[0], when: { probability: 0.3, seed } }] });
    const fired = (r: ReturnType<typeof createFaultRegistry>) => requests.map((f) => r.decide(f) !== null);
    expect(fired(again)).toEqual(fired(one));
  });

  it('replays the same schedule after reset()', () => {
    const registry = createFaultRegistry({ seed: 5, rules });
    const before = requests.map((f) => registry.decide(f));
    registry.reset();
    expect(requests.map((f) => registry.decide(f))).toEqual(before);
  });

  it('fires p = 0.3 over 1000 matching requests within a 4-sigma binomial bound (fixed seed: deterministic)', () => {
    const registry = createFaultRegistry({ seed: 2026 });
    registry.add({ when: { probability: 0.3 }, fault: { kind: 'reset' } });
    const n = 1000;
    const count = firings(registry, n).length;
    const sd = Math.sqrt(n * 0.3 * 0.7); // 14.5
    expect(Math.abs(count - 300)).toBeLessThan(4 * sd);
    expect(count).not.toBe(0);
  });

  it('never fires p = 0, always fires p = 1', () => {
    const registry = createFaultRegistry();
    registry.add({ when: { probability: 0 }, fault: { kind: 'reset' } });
    expect(firings(registry, 100)).toEqual([]);
    registry.add({ when: { probability: 1 }, fault: { kind: 'close' } });
    expect(firings(registry, 100)).toHaveLength(100);
  });

  it('draws uniform latencies within [min_ms, max_ms] and lognormal ones around their median', () => {
    const registry = createFaultRegistry();
    registry.add({ when: { after: 0 }, fault: { kind: 'latency', min_ms: 100, max_ms: 110 } });
    const uniform = Array.from({ length: 500 }, (_, i) => registry.decide({ ...LIST, now: T0 + i })!.fault as { delay_ms: number });
    expect(Math.min(...uniform.map((d) => d.delay_ms))).toBe(100);
    expect(Math.max(...uniform.map((d) => d.delay_ms))).toBe(110);
    const logn = createFaultRegistry({ rules: [{ when: { after: 0 }, fault: { kind: 'latency', median_ms: 200, sigma: 0.25 } }] });
    const delays = Array.from({ length: 1001 }, (_, i) => (logn.decide({ ...LIST, now: T0 + i })!.fault as { delay_ms: number }).delay_ms).sort((x, y) => x - y);
    expect(delays[500]).toBeGreaterThan(180);
    expect(delays[500]).toBeLessThan(220);
  });
});
