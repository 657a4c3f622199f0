// Checks a fault rule before it is added: control.yaml's FaultRuleInput schema first, then
// what a schema cannot say (a window that ends before it starts, min_ms past max_ms, a
// status the matched operations do not document). The answer names the field, for a 400
// (failureToError's wording) or a config error (`faults[0].when.first`).
import { describeFailure, type SchemaFailure } from '../../../lib/openapi/schema-validator';
import { parseDateTime } from '../../../lib/date-time';

/** What is wrong with a rule: the field (`['when', 'first']`), why, and the schema keyword that broke, if one did. */
export interface FaultRuleProblem {
  path: string[];
  reason: string;
  schemaPath?: string;
}

/** An operation of the public spec, as a rule's `match` can name it. */
export interface FaultOperation {
  operationId: string;
  /** Upper case, as in a request line. */
  method: string;
  path: string;
}

/** What checking a rule needs; createFaultRuleChecks (spec-tables.ts) builds it from the spec. */
export interface FaultRuleChecks {
  /** control.yaml's FaultRuleInput. */
  validateRule(value: unknown): SchemaFailure[];
  /**
   * The fault alone against its kind's schema (Fault's discriminator mapping), so a
   * failure names the field of the kind that was meant, not of the first oneOf branch;
   * undefined for a kind the spec does not have.
   */
  validateFault(kind: unknown, value: unknown): SchemaFailure[] | undefined;
  /** control.yaml's FaultKind, to name an unknown kind. */
  validateKind(value: unknown): SchemaFailure[];
  /** The schedules of FaultWhen (its oneOf), to say which one is missing or doubled. */
  schedules: readonly string[];
  operations: readonly FaultOperation[];
  /** The statuses an operation documents (numbers only: no `default`). */
  documentedStatuses(operationId: string): readonly number[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function fromFailure(f: SchemaFailure, under: string[] = []): FaultRuleProblem {
  const { path, reason } = describeFailure(f);
  return { path: [...under, ...path], reason, schemaPath: f.schemaPath };
}

/** The operations a match can reach (a field left out matches every operation). */
export function operationsMatched(match: Record<string, unknown>, operations: readonly FaultOperation[]): FaultOperation[] {
  return operations.filter(
    (op) =>
      (match.operation === undefined || op.operationId === match.operation) &&
      (match.method === undefined || op.method === match.method) &&
      (match.path === undefined || op.path === match.path),
  );
}

/** The first problem of a rule, or undefined when it may be added. */
export function checkFaultRule(value: unknown, checks: FaultRuleChecks): FaultRuleProblem | undefined {
  const failures = checks.validateRule(value);
  if (failures.length > 0) return schemaProblem(value, failures, checks);
  const rule = value as { match?: Record<string, unknown>; when: Record<string, unknown>; fault: Record<string, unknown> };
  return whenProblem(rule.when) ?? faultProblem(rule.fault) ?? matchProblem(rule.match ?? {}, rule.fault, checks);
}

/** The schema's failure, named by the field that was meant. */
function schemaProblem(value: unknown, failures: SchemaFailure[], checks: FaultRuleChecks): FaultRuleProblem {
  const first = failures[0];
  const fault = isObject(value) ? value.fault : undefined;
  if (first.instancePath.startsWith('/fault') && isObject(fault)) {
    // Fault is a oneOf by kind: Ajv reports every branch; the kind's own schema names the field.
    if (!('kind' in fault)) return { path: ['fault', 'kind'], reason: 'is required', schemaPath: first.schemaPath };
    const own = checks.validateFault(fault.kind, fault);
    if (own === undefined) {
      const kindFailure = checks.validateKind(fault.kind)[0];
      return kindFailure ? fromFailure(kindFailure, ['fault', 'kind']) : { path: ['fault', 'kind'], reason: 'is not a fault kind' };
    }
    if (own.length > 0) return fromFailure(own[0], ['fault']);
  }
  const when = isObject(value) ? value.when : undefined;
  // FaultWhen's oneOf reports each schedule's `required` before itself: name the choice.
  const schedule = failures.find((f) => f.keyword === 'oneOf' && f.instancePath === '/when');
  if (schedule && first.instancePath === '/when' && isObject(when)) {
    const given = checks.schedules.filter((s) => s in when);
    return {
      path: ['when'],
      reason: given.length === 0 ? `must give one of ${checks.schedules.join(', ')}` : `must give only one of ${checks.schedules.join(', ')} (it gives ${given.join(' and ')})`,
      schemaPath: schedule.schemaPath,
    };
  }
  return fromFailure(first);
}

function whenProblem(when: Record<string, unknown>): FaultRuleProblem | undefined {
  const between = when.between as { from: string; to: string } | undefined;
  if (between && parseDateTime(between.to)! <= parseDateTime(between.from)!) return { path: ['when', 'between', 'to'], reason: 'must be later than from' };
  return undefined;
}

function faultProblem(fault: Record<string, unknown>): FaultRuleProblem | undefined {
  if (fault.kind === 'latency') {
    const forms = ['ms', 'min_ms', 'median_ms'].filter((f) => f in fault);
    if (forms.length !== 1) return { path: ['fault'], reason: 'must give ms, or min_ms with max_ms, or median_ms with sigma: exactly one of them' };
    if ((fault.min_ms as number) > (fault.max_ms as number)) return { path: ['fault', 'max_ms'], reason: `must be >= min_ms (${fault.min_ms as number})` };
  }
  if (fault.kind === 'truncate' && 'bytes' in fault && 'fraction' in fault) return { path: ['fault', 'fraction'], reason: 'cannot be given with bytes: the body is cut at one place' };
  return undefined;
}

function matchProblem(match: Record<string, unknown>, fault: Record<string, unknown>, checks: FaultRuleChecks): FaultRuleProblem | undefined {
  const { operations } = checks;
  if (match.operation !== undefined && !operations.some((op) => op.operationId === match.operation)) return { path: ['match', 'operation'], reason: `is not an operation of the spec: ${String(match.operation)}` };
  if (match.path !== undefined && !operations.some((op) => op.path === match.path)) return { path: ['match', 'path'], reason: `is not a path template of the spec: ${String(match.path)}` };
  const reached = operationsMatched(match, operations);
  if (reached.length === 0) return { path: ['match'], reason: 'matches no operation of the spec (its operation, method and path disagree)' };
  // A status fault answers in the spec's terms: every operation it can reach must document it.
  const status = fault.kind === 'status' ? (fault.status as number) : fault.kind === 'rate_limit' ? 429 : undefined;
  if (status === undefined) return undefined;
  const lacking = reached.find((op) => !checks.documentedStatuses(op.operationId).includes(status));
  if (!lacking) return undefined;
  const field = fault.kind === 'status' ? ['fault', 'status'] : ['fault', 'kind'];
  const scope = match.operation === undefined ? '; give match.operation to aim at operations that do' : '';
  return { path: field, reason: `${status} is not documented for ${lacking.operationId} (it documents ${checks.documentedStatuses(lacking.operationId).join(', ')})${scope}` };
}
