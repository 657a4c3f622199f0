// What the spec says about faults, read from the documents (no file access here, so the
// browser build can use it): each kind's budget (x-cortex-fault-budget), each surface's form
// of a kind (x-cortex-fault-surfaces), and the checks of a rule against control.yaml's
// schemas and the public spec's operations.
import type { SchemaValidator } from '../../../lib/openapi/schema-validator';
import type { FaultKind } from './rule';
import type { FaultOperation, FaultRuleChecks } from './check-rule';

/** Whether a request a kind shaped counts against the rate limit. */
export type FaultBudget = 'consumes' | 'free';
/** The mock's three ways in. */
export type FaultSurface = 'node' | 'express' | 'msw';
/** Per kind, how each surface expresses it; a surface left out cannot. */
export type FaultSurfaceTable = Record<FaultKind, Partial<Record<FaultSurface, string>>>;

const FAULT_KIND = '#/components/schemas/FaultKind';

function schemaAt(doc: Record<string, unknown>, name: string): Record<string, unknown> {
  const schema = (doc.components as { schemas?: Record<string, Record<string, unknown>> } | undefined)?.schemas?.[name];
  if (!schema) throw new Error(`control.yaml: components/schemas/${name} is missing`);
  return schema;
}

/** The kinds FaultKind enumerates. */
export function faultKinds(controlDoc: Record<string, unknown>): FaultKind[] {
  return schemaAt(controlDoc, 'FaultKind').enum as FaultKind[];
}

/** A per-kind table of FaultKind, checked to name every kind. */
function perKind<T>(controlDoc: Record<string, unknown>, extension: string, valid: (v: unknown) => boolean): Record<FaultKind, T> {
  const table = schemaAt(controlDoc, 'FaultKind')[extension] as Record<string, unknown> | undefined;
  for (const kind of faultKinds(controlDoc)) {
    if (!table || !valid(table[kind])) throw new Error(`control.yaml: FaultKind's ${extension} gives no valid entry for ${kind}`);
  }
  return table as Record<FaultKind, T>;
}

/** x-cortex-fault-budget: whether each kind consumes rate-limit budget. */
export function faultBudget(controlDoc: Record<string, unknown>): Record<FaultKind, FaultBudget> {
  return perKind<FaultBudget>(controlDoc, 'x-cortex-fault-budget', (v) => v === 'consumes' || v === 'free');
}

/**
 * StatusFault's x-cortex-decided-by: the stage of x-cortex-check-order that decides each
 * status it names (a status it does not name is the operation's), checked to name stages.
 */
export function faultStatusStages(controlDoc: Record<string, unknown>, stages: readonly string[]): Readonly<Record<string, string>> {
  const table = (schemaAt(controlDoc, 'StatusFault')['x-cortex-decided-by'] ?? {}) as Record<string, unknown>;
  for (const [status, stage] of Object.entries(table)) {
    if (!/^[45]\d\d$/.test(status) || typeof stage !== 'string' || !stages.includes(stage)) {
      throw new Error(`control.yaml: StatusFault's x-cortex-decided-by gives no valid stage for ${status} (stages: ${stages.join(', ')})`);
    }
  }
  return table as Record<string, string>;
}

/** x-cortex-fault-surfaces: how each surface expresses each kind. */
export function faultSurfaces(controlDoc: Record<string, unknown>): FaultSurfaceTable {
  return perKind<Partial<Record<FaultSurface, string>>>(controlDoc, 'x-cortex-fault-surfaces', (v) => v !== null && typeof v === 'object');
}

/** Why `surface` cannot take a rule of `kind`, or undefined when it can. */
export function surfaceRefusal(table: FaultSurfaceTable, kind: FaultKind, surface: FaultSurface): string | undefined {
  if (table[kind]?.[surface] !== undefined) return undefined;
  const able = Object.entries(table[kind] ?? {}).map(([s]) => s);
  return `cannot be expressed on the ${surface} surface${able.length > 0 ? ` (${kind} works on ${able.join(', ')})` : ''}`;
}

/** The public spec's side of the checks: its operations and their documented statuses. */
export interface FaultSpecFacts {
  operations: ReadonlyArray<{ operationId: string; method: string; path: string; responses: Record<string, unknown> }>;
}

/**
 * The checks of a rule: `validator` over control.yaml (with cortex-edr.yaml related), the
 * control document itself for its discriminator and schedules, and the public spec's
 * operations.
 */
export function createFaultRuleChecks(validator: SchemaValidator, controlDoc: Record<string, unknown>, spec: FaultSpecFacts): FaultRuleChecks {
  const mapping = (schemaAt(controlDoc, 'Fault').discriminator as { mapping: Record<string, string> }).mapping;
  const schedules = (schemaAt(controlDoc, 'FaultWhen').oneOf as Array<{ required: string[] }>).map((b) => b.required[0]);
  const operations: FaultOperation[] = spec.operations.map((op) => ({ operationId: op.operationId, method: op.method.toUpperCase(), path: op.path }));
  const statuses = new Map(spec.operations.map((op) => [op.operationId, Object.keys(op.responses).filter((s) => /^\d{3}$/.test(s)).map(Number)]));
  const validateRule = validator.compile('#/components/schemas/FaultRuleInput');
  return {
    validateRule,
    validateFault: (kind, value) => (typeof kind === 'string' && Object.hasOwn(mapping, kind) ? validator.validate(mapping[kind], value) : undefined),
    validateKind: (value) => validator.validate(FAULT_KIND, value),
    schedules,
    operations,
    documentedStatuses: (id) => statuses.get(id) ?? [],
  };
}
