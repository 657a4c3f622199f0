// The fault rule model (issue 22): the shapes control.yaml declares, as TypeScript types
// taken from the generated control types, plus what the registry decides for one request.
import type { components } from '../../generated/control-types';

type Schemas = components['schemas'];

/** A rule as it is added: `match`, `when` and `fault` (control.yaml FaultRuleInput). */
export type FaultRuleInput = Schemas['FaultRuleInput'];
/** A rule as the registry holds it: with its id, source, seed and counts (control.yaml FaultRule). */
export type FaultRule = Schemas['FaultRule'];
export type FaultMatch = Schemas['FaultMatch'];
export type FaultWhen = Schemas['FaultWhen'];
export type Fault = Schemas['Fault'];
export type FaultKind = Schemas['FaultKind'];

/** The facts of a request a rule matches on; null where the request has none (no key, no route). */
export interface FaultFacts {
  operationId: string | null;
  method: string;
  /** The spec's path template the request was routed to: `/scans/{scan_id}`. */
  pathTemplate: string | null;
  keyId: string | null;
  accountId: string | null;
  /** The mock's clock, epoch milliseconds. */
  now: number;
}

/**
 * A fault as it applies to one request, its draws made: a latency's `delay_ms` is drawn
 * when the rule fires, so the same seed and the same requests give the same delays.
 */
export type AppliedFault =
  | (Schemas['StatusFault'] & { retry_after: number })
  | Schemas['RateLimitFault']
  | { kind: 'latency'; delay_ms: number }
  | Schemas['ResetFault']
  | Schemas['CloseFault']
  | { kind: 'hang'; ms: number }
  | Schemas['TruncateFault']
  | Schemas['SlowBodyFault'];

/** What the registry decided for a request: which rule fired and what it does. */
export interface FaultDecision {
  ruleId: string;
  fault: AppliedFault;
}

/**
 * The fault that shaped one request, as the pipeline's outcome, the response a surface writes
 * and the journal carry it: the rule, its kind and the fault as it applied.
 */
export interface OutcomeFault {
  readonly ruleId: string;
  readonly kind: FaultKind;
  readonly applied: AppliedFault;
}

/** The longest a latency or a hang holds a request (control.yaml's maximum). */
export const MAX_FAULT_MS = 600_000;
/** How long a hang holds a request when the rule gives no `ms` (control.yaml's default). */
export const DEFAULT_HANG_MS = 30_000;
/** A 503's Retry-After when the rule gives none. */
export const DEFAULT_STATUS_RETRY_AFTER = 1;
/** A truncate's cut, as a fraction of the body, when the rule gives neither `bytes` nor `fraction`. */
export const DEFAULT_TRUNCATE_FRACTION = 0.5;

/**
 * Where a truncate cuts a body of `length` bytes: at `bytes`, or `fraction` of it (half by
 * default), and always short of the whole, so the client sees fewer bytes than
 * Content-Length promised (an empty body has nothing to cut: 0).
 */
export function truncateAt(fault: Schemas['TruncateFault'], length: number): number {
  const wanted = fault.bytes ?? Math.floor(length * (fault.fraction ?? DEFAULT_TRUNCATE_FRACTION));
  return Math.max(0, Math.min(wanted, length - 1));
}
