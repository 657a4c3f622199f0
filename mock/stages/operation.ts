// The operation stage (404, 409, 2xx): the operation's handler, bound to its stores (and its
// idempotency) by bindHandlers, answers with the operation's documented success status. Sets
// the context's `answer`; a Prefer example answers instead of the handler.
import type { BoundOperation, OperationResult } from '../domain/operations/types';
import type { Checked, Stage } from './context';
import { appliedPreferences } from './forced-outcome';

/**
 * An operation as the stage runs it: a bound one, or one whose answer waits for the shared
 * state (mock/store/: a mutation appended to the log of instances that share a store).
 */
export type StagedOperation = (request: Parameters<BoundOperation>[0]) => OperationResult | Promise<OperationResult>;

/** Creates the operation stage over the bound operations, by operationId. */
export function createOperationStage(operations: ReadonlyMap<string, StagedOperation>): Stage<Checked> {
  /** The success answer honours the preferences it can (RFC 7240 section 3: say which). */
  const succeed = (ctx: Checked, body: unknown) => {
    const applied = appliedPreferences(ctx.prefs, false);
    if (applied) ctx.headers.set('Preference-Applied', applied);
    ctx.answer = { status: ctx.routed.op.successStatus, body };
  };

  return (ctx) => {
    const { caller, input } = ctx;
    const { op } = ctx.routed;
    // Prefer: example=NAME answers with the spec's example instead of the handler's result.
    if (ctx.prefs.example) {
      ctx.forced = true;
      succeed(ctx, ctx.prefs.example.value);
      return;
    }
    const operation = operations.get(op.operationId);
    if (!operation) throw new Error(`${op.operationId} has no bound handler`);
    const result = operation({
      op,
      principal: caller.principal,
      params: input.params,
      query: input.query,
      headers: input.headers,
      body: input.body,
      now: ctx.now,
      rateLimit: ctx.rate,
      plan: caller.plan,
    });
    if (result instanceof Promise) {
      // A shared mutation: the log's answer holds every entry before it, so the state it ran on
      // was the newest (and running it again would append it twice).
      ctx.fenced = true;
      return result.then((answered) => void answer(ctx, answered));
    }
    answer(ctx, result);
  };

  function answer(ctx: Checked, result: OperationResult): void {
    if (result.headers) for (const name in result.headers) ctx.headers.set(name, result.headers[name]);
    succeed(ctx, result.body);
  }
}
