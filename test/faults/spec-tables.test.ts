// What control.yaml says of each fault kind, read as data: whether it consumes rate-limit
// budget, how each surface expresses it, and the refusal of a kind a surface cannot take.
import { createFaultRegistry, faultBudget, faultKinds, faultStatusStages, faultSurfaces, surfaceRefusal, FaultRuleError, type FaultSurfaceTable } from '../../mock/domain/faults';
import { CONTROL_DOC } from './fault-checks';
import { STAGES } from '../../lib/openapi/load-spec';

const withFaultKind = (change: (kind: Record<string, unknown>) => void) => {
  const doc = JSON.parse(JSON.stringify(CONTROL_DOC)) as { components: { schemas: { FaultKind: Record<string, unknown> } } };
  change(doc.components.schemas.FaultKind);
  return doc as unknown as Record<string, unknown>;
};

describe('x-cortex-fault-budget', () => {
  it('says what a real server would count: a 429, a reset and a close spend nothing; an answer, late, cut, slow or held, spends', () => {
    expect(faultBudget(CONTROL_DOC)).toEqual({
      status: 'consumes',
      rate_limit: 'free',
      latency: 'consumes',
      reset: 'free',
      close: 'free',
      hang: 'consumes',
      truncate: 'consumes',
      slow_body: 'consumes',
    });
  });

  it('refuses a spec whose table leaves a kind out or gives it another word', () => {
    expect(() => faultBudget(withFaultKind((k) => delete (k['x-cortex-fault-budget'] as Record<string, unknown>).hang))).toThrow(/x-cortex-fault-budget gives no valid entry for hang/);
    expect(() => faultBudget(withFaultKind((k) => ((k['x-cortex-fault-budget'] as Record<string, unknown>).reset = 'maybe')))).toThrow(/for reset/);
  });
});

describe("StatusFault's x-cortex-decided-by", () => {
  it('names the stage of the check order that decides 400, 401, 403 and 429 (any other status is the operation\'s)', () => {
    expect(faultStatusStages(CONTROL_DOC, STAGES)).toEqual({ '400': 'validation', '401': 'credentials', '403': 'permission', '429': 'rate_limit' });
  });

  it('refuses a spec whose table names a stage the check order does not have', () => {
    const doc = JSON.parse(JSON.stringify(CONTROL_DOC)) as { components: { schemas: { StatusFault: Record<string, Record<string, string>> } } };
    doc.components.schemas.StatusFault['x-cortex-decided-by']['401'] = 'auth';
    expect(() => faultStatusStages(doc as unknown as Record<string, unknown>, STAGES)).toThrow(/x-cortex-decided-by gives no valid stage for 401/);
  });
});

describe('x-cortex-fault-surfaces', () => {
  it('names how node:http, Express and MSW express every kind', () => {
    const table = faultSurfaces(CONTROL_DOC);
    for (const kind of faultKinds(CONTROL_DOC)) expect(Object.keys(table[kind]).sort()).toEqual(['express', 'msw', 'node']);
    expect(table.reset.msw).toMatch(/HttpResponse\.error\(\)/);
    expect(table.latency.msw).toMatch(/delay/);
  });

  it('refuses, when a rule is added, a kind its surface cannot express, saying so and where it works', () => {
    const table = faultSurfaces(withFaultKind((k) => delete ((k['x-cortex-fault-surfaces'] as FaultSurfaceTable).truncate as Record<string, unknown>).msw));
    expect(surfaceRefusal(table, 'truncate', 'msw')).toBe('cannot be expressed on the msw surface (truncate works on node, express)');
    expect(surfaceRefusal(table, 'truncate', 'node')).toBeUndefined();
    const registry = createFaultRegistry({ surface: { name: 'msw', table } });
    expect(() => registry.add({ when: { first: 1 }, fault: { kind: 'truncate' } })).toThrow(
      new FaultRuleError({ path: ['fault', 'kind'], reason: 'truncate cannot be expressed on the msw surface (truncate works on node, express)' }),
    );
    expect(registry.list()).toEqual([]);
    expect(registry.add({ when: { first: 1 }, fault: { kind: 'reset' } })).toBe('flt_1');
  });

  it("refuses a configuration rule its surface cannot express when the registry is made (a start-up error)", () => {
    const table = faultSurfaces(withFaultKind((k) => delete ((k['x-cortex-fault-surfaces'] as FaultSurfaceTable).hang as Record<string, unknown>).msw));
    expect(() => createFaultRegistry({ surface: { name: 'msw', table }, rules: [{ when: { first: 1 }, fault: { kind: 'hang' } }] })).toThrow('fault.kind: hang cannot be expressed on the msw surface');
  });

  it('takes every kind on every surface of the spec as it is', () => {
    const table = faultSurfaces(CONTROL_DOC);
    for (const name of ['node', 'express', 'msw'] as const) {
      const registry = createFaultRegistry({ surface: { name, table } });
      for (const kind of faultKinds(CONTROL_DOC)) expect(surfaceRefusal(table, kind, name)).toBeUndefined();
      expect(registry.add({ when: { first: 1 }, fault: { kind: 'slow_body', bytes_per_second: 10 } })).toBe('flt_1');
    }
  });
});
