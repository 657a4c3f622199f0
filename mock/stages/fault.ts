// The fault decision point (issue 22, docs/faults.md): once credentials have judged a request
// (so its operation, path template, key and account are known, or known to be absent), the
// registry decides whether a rule shapes it. This file decides and spends the budget the
// spec's x-cortex-fault-budget says; the kinds answered in the error shape (status,
// rate_limit) are answered here, the others are carried out by the surface that writes the
// response (surfaces/node-faults.ts, MSW's own).
import { after, type Maybe, type RateLimiter, type RateLimitState } from '../domain/limits/rate-limit';
import type { FaultBudget, FaultKind, FaultRegistry, OutcomeFault } from '../domain/faults';
import { ApiError, type AuthWords } from '../errors/api-error';
import type { Context } from './context';
import type { ContributeRateLimit } from './rate-limit-headers';
import { forcedOutcome } from './forced-outcome';
import type { StageName } from '../../lib/openapi/load-spec';

export type { OutcomeFault };

/** The header every response a fault shaped carries: `X-Mock-Fault: flt_1;kind=status`. */
export const FAULT_HEADER = 'X-Mock-Fault';

/** The kinds that send no response at all: the surface drops or holds the connection. */
export const CONNECTION_KINDS: ReadonlySet<FaultKind> = new Set(['reset', 'close', 'hang']);

/**
 * What the journal and the log record as the status of a request a fault answered with no
 * response (reset, close, hang): 444, as nginx logs a connection it closed without answering.
 */
export const NO_RESPONSE_STATUS = 444;

export interface FaultDeps {
  registry: FaultRegistry;
  /** x-cortex-fault-budget, read from control.yaml when a rule first fires. */
  budget(): Readonly<Record<FaultKind, FaultBudget>>;
  /** StatusFault's x-cortex-decided-by: the stage that decides a status (unnamed: the operation). */
  statusStages(): Readonly<Record<string, string>>;
  /** The spec's x-cortex-check-order. */
  checkOrder: readonly StageName[];
  limiter: RateLimiter;
  words: AuthWords;
  /** The rate-limit fields the configuration asks for (both forms by default). */
  contributeRateLimit: ContributeRateLimit;
}

/**
 * Decides the fault of a request whose credentials have run. Which kinds can shape it:
 * - status and rate_limit answer in an operation's and an account's terms: only a request
 *   with a valid key and a route (any other keeps the mock's own 400, 401, 404 or 405);
 * - a kind that consumes budget and is not answered in the error shape (latency, hang,
 *   truncate, slow_body) needs budget left: a request the limiter would refuse gets its 429,
 *   as a server refuses it before doing any work;
 * - every other kind (reset, close) takes every request its match takes.
 * A rule whose kind cannot shape the request does not match it (it neither counts nor fires).
 * `room` is the caller's budget as the limiter's peek found it (undefined: no caller).
 */
export function decideFault(ctx: Context, deps: FaultDeps, room: RateLimitState | undefined): Maybe<OutcomeFault | null> {
  const { route, caller, now } = ctx;
  const op = route.kind === 'operation' ? route.op : undefined;
  const hasRoom = () => room === undefined || room.allowed;
  // HEAD and a 204 success have no body to cut or dribble (an error answer of a 204
  // operation would have one; kept simple: docs/faults.md).
  const bodiless = ctx.req.method === 'HEAD' || op?.successStatus === 204;
  const canShape = (kind: FaultKind) => {
    if (kind === 'status' || kind === 'rate_limit') return caller !== undefined && op !== undefined;
    if ((kind === 'truncate' || kind === 'slow_body') && bodiless) return false;
    return deps.budget()[kind] === 'free' || hasRoom();
  };
  // With a shared store the counting is one script across the instances (a promise).
  const decision = deps.registry.decideAcross(
    {
      operationId: op?.operationId ?? null,
      method: ctx.req.method,
      pathTemplate: op?.path ?? null,
      keyId: caller?.principal.key.id ?? null,
      accountId: caller?.principal.account.id ?? null,
      now,
    },
    canShape,
  );
  return after(decision, (d) => d && { ruleId: d.ruleId, kind: d.fault.kind, applied: d.fault });
}

/**
 * Applies a fault at the decision point: contributes X-Mock-Fault (to a response that will be
 * sent), spends the budget x-cortex-fault-budget says, and gives the error a status or
 * rate_limit fault answers with. `stop` means no later stage runs (the request is answered
 * here, or never: reset, close, hang).
 */
export function applyFault(ctx: Context, fault: OutcomeFault, deps: FaultDeps): Maybe<{ error?: ApiError; stop: boolean }> {
  const { applied } = fault;
  const place = applied.kind === 'status' ? statusPlace(applied.status, deps) : undefined;
  const consumes = place ? place === 'after' : deps.budget()[fault.kind] === 'consumes';
  if (CONNECTION_KINDS.has(fault.kind)) {
    // No response: nothing to mark. A hang has read the request (its limiter counted it).
    if (consumes && ctx.caller) return after(deps.limiter.consume(ctx.caller.principal.account.id, ctx.caller.limit, ctx.now), () => ({ stop: true }));
    return { stop: true };
  }
  ctx.headers.set(FAULT_HEADER, `${fault.ruleId};kind=${fault.kind}`);
  if (applied.kind !== 'status' && applied.kind !== 'rate_limit') return { stop: false };
  // decideFault lets these shape only a request with a caller and a route.
  const { caller } = ctx;
  const op = ctx.route.kind === 'operation' ? ctx.route.op : undefined;
  if (!caller || !op) throw new Error(`fault ${fault.ruleId}: a ${applied.kind} fault on a request without a key or an operation`);
  const { principal, limit, plan } = caller;
  const account = principal.account.id;
  // Decided before the limiter (a 401 of credentials): no budget spent, and no
  // rate-limit fields, as the mock's own 401 carries none.
  if (place === 'before') {
    return after(deps.limiter.peek(account, limit, ctx.now), (peeked) => {
      const unlimited = { ...peeked, allowed: true };
      return { error: forcedOutcome(op, applied.kind === 'status' ? applied.status : 429, principal, deps.words, unlimited).error, stop: true };
    });
  }
  // status consumes whatever the budget (the limiter's own refusal counts nothing and shows 0);
  // rate_limit is free: the budget is only read.
  const shaped = applied;
  return after(consumes ? deps.limiter.consume(account, limit, ctx.now) : deps.limiter.peek(account, limit, ctx.now), (rate): { error: ApiError; stop: boolean } => {
    ctx.rate = rate;
    if (shaped.kind === 'rate_limit' || place === 'limiter') {
      // A 429 whatever the budget, as an exhausted window shows it; Retry-After never before the window's end figure `t`.
      const exhausted = { ...rate, remaining: 0, allowed: false };
      deps.contributeRateLimit(ctx.headers, exhausted, plan.id, ctx.now);
      const retryAfterSeconds = Math.max(shaped.retry_after ?? rate.retryAfterSeconds, rate.retryAfterSeconds);
      return { error: ApiError.rateLimited({ ...exhausted, retryAfterSeconds, plan: plan.id }), stop: true };
    }
    if (shaped.status === 503) {
      deps.contributeRateLimit(ctx.headers, rate, plan.id, ctx.now);
      return { error: ApiError.serviceUnavailable(shaped.retry_after), stop: true };
    }
    const forced = forcedOutcome(op, shaped.status, principal, deps.words, rate);
    deps.contributeRateLimit(ctx.headers, forced.rateLimit ?? rate, plan.id, ctx.now);
    return { error: forced.error, stop: true };
  });
}

/**
 * Where a status fault's status is decided, against the limiter: `before` it (credentials'
 * 401), by it (429), or `after` it (permission, validation, the operation), from StatusFault's
 * x-cortex-decided-by and the spec's check order.
 */
function statusPlace(status: number, deps: FaultDeps): 'before' | 'limiter' | 'after' {
  const stage = (deps.statusStages()[String(status)] ?? 'operation') as StageName;
  const at = deps.checkOrder.indexOf(stage);
  const limiter = deps.checkOrder.indexOf('rate_limit');
  return at < limiter ? 'before' : at === limiter ? 'limiter' : 'after';
}
