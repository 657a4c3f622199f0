// @ts-nocheck
// What a handler receives and returns. Handlers are keyed by operationId (handlers/index.ts)
// and never see HTTP: the pipeline has checked credentials, limits, permissions and input.
import type { Principal } from '../auth/credentials';
import type { RateLimitState } from '../rate-limit/rate-limit';
import type { MockState } from '../resources/state';
import type { LoadedSpec, SpecOperation } from '../../lib/openapi/load-spec';

export interface HandlerContext {
  op: SpecOperation;
  spec: LoadedSpec;
  principal: Principal;
  /** Path parameters, decoded and validated. */
  params: Record<string, string>;
  /** Query parameters, coerced to their schema types, defaults applied. */
  query: Record<string, unknown>;
  /** The parsed, validated JSON body, if the operation takes one. */
  body: unknown;
  /** The clock's time when the request arrived. */
  now: number;
  state: MockState;
  /** The caller's rate-limit window after this request. */
  rateLimit: RateLimitState;
  /** The effective plan of the caller's account (config overrides applied). */
  plan: { id: string; name: string; requests_per_window: number; window_seconds: number };
}

export interface HandlerResult {
  status: number;
  body?: unknown;
}

export type Handler = (ctx: HandlerContext) => HandlerResult;
