// What a handler receives and returns, typed per operationId from the types generated from
// the spec (mock/generated/api-types.ts): its path and query parameters, its request body,
// and the body of its documented success response. A handler returns only that body: the
// status is the operation's documented success status, so a handler cannot answer with an
// undocumented status or shape and still compile. Handlers never see HTTP: the pipeline
// has checked credentials, limits, permissions and input before one runs.
import type { Principal } from '../auth/credentials';
import type { Operations as operations, OperationId, Schemas } from '../../spec/types';
import type { RateLimitState } from '../limits/rate-limit';
import type { MockState } from '../resources/state';
import type { LoadedSpec, SpecOperation } from '../../../lib/openapi/load-spec';

export type { OperationId, Schemas };

type Responses<Id extends OperationId> = operations[Id]['responses'];
type SuccessStatus<Id extends OperationId> = Extract<keyof Responses<Id>, 200 | 201 | 202 | 204>;
type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : undefined;
type Parameters<Id extends OperationId, In extends 'path' | 'query'> =
  NonNullable<operations[Id]['parameters'][In]> extends infer P ? ([P] extends [never] ? Record<string, never> : P) : never;

/** The body of the operation's documented success response (undefined for 204). */
export type SuccessBody<Id extends OperationId> = JsonOf<Responses<Id>[SuccessStatus<Id>]>;
/** The operation's JSON request body, as validated (undefined when it takes none). */
export type RequestBody<Id extends OperationId> = JsonOf<NonNullable<operations[Id]['requestBody']>>;

export interface HandlerContext<Id extends OperationId = OperationId> {
  op: SpecOperation;
  spec: LoadedSpec;
  principal: Principal;
  /** Path parameters, decoded and validated. */
  params: Parameters<Id, 'path'>;
  /** Query parameters, coerced to their schema types, defaults applied. */
  query: Parameters<Id, 'query'>;
  /** The parsed, validated JSON body, if the operation takes one. */
  body: RequestBody<Id>;
  /** The clock's time when the request arrived. */
  now: number;
  state: MockState;
  /** The caller's rate-limit window after this request. */
  rateLimit: RateLimitState;
  /** The effective plan of the caller's account (config overrides applied). */
  plan: { id: string; name: string; requests_per_window: number; window_seconds: number };
}

/** The handler of one operation. */
export type Handler<Id extends OperationId = OperationId> = (ctx: HandlerContext<Id>) => SuccessBody<Id>;

/** One handler for every operation of the spec, each typed by its operationId. */
export type Handlers = { [Id in OperationId]: Handler<Id> };

/** A handler as the pipeline calls it, once validation has vouched for the context's types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = (ctx: HandlerContext<any>) => unknown;
