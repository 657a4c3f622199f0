// What a handler receives and returns, typed per operationId from the types generated from
// the spec (mock/generated/api-types.ts): its path and query parameters, its request body,
// and the body of its documented success response. A handler returns only that body: the
// status is the operation's documented success status, so a handler cannot answer with an
// undocumented status or shape and still compile. Handlers never see HTTP: the pipeline
// has checked credentials, limits, permissions and input before one runs. A handler gets
// what it uses: the request's facts, and the stores its operation is bound with.
import type { Principal } from '../auth/credentials';
import type { Operations as operations, OperationId, Schemas } from '../../spec/types';
import type { RateLimitState } from '../limits/rate-limit';
import type { MockState } from '../resources/state';
import type { SpecOperation } from '../../../lib/openapi/load-spec';

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

/** The request as an operation sees it: who asks, with what input, and when. */
export interface OperationRequest<Id extends OperationId = OperationId> {
  op: SpecOperation;
  principal: Principal;
  /** Path parameters, decoded and validated. */
  params: Parameters<Id, 'path'>;
  /** Query parameters, coerced to their schema types, defaults applied. */
  query: Parameters<Id, 'query'>;
  /** Header parameters the operation declares, by the spec's names, validated. */
  headers: Record<string, string>;
  /** The parsed, validated JSON body, if the operation takes one. */
  body: RequestBody<Id>;
  /** The clock's time when the request arrived. */
  now: number;
  /** The caller's rate-limit window after this request. */
  rateLimit: RateLimitState;
  /** The effective plan of the caller's account (config overrides applied). */
  plan: { id: string; name: string; requests_per_window: number; window_seconds: number };
}

/** The stores each operation's handler uses, and so is bound with (bindHandlers). */
interface StoresUsed {
  listScans: 'scans';
  createScan: 'scans' | 'faker' | 'ids';
  getScan: 'scans';
  cancelScan: 'scans';
  listReports: 'scans';
  getReport: 'scans';
  listUsers: 'users';
  createUser: 'users' | 'ids' | 'limits';
  getUser: 'users';
  updateUser: 'users';
  deleteUser: 'users';
  listApiKeys: 'keys';
  createApiKey: 'keys' | 'ids' | 'limits';
  getApiKey: 'keys';
  rotateApiKey: 'keys' | 'ids';
  revokeApiKey: 'keys';
  getWhoami: 'keys';
}

/** The stores of the operation's handler; every store for an operation without an entry. */
export type StoresOf<Id extends OperationId> = Pick<MockState, Id extends keyof StoresUsed ? StoresUsed[Id] : Exclude<keyof MockState, 'reset'>>;

/** What a handler receives: the request, and the stores its operation uses. */
export interface HandlerContext<Id extends OperationId = OperationId> extends OperationRequest<Id> {
  stores: StoresOf<Id>;
}

/** The handler of one operation. */
export type Handler<Id extends OperationId = OperationId> = (ctx: HandlerContext<Id>) => SuccessBody<Id>;

/** One handler for every operation of the spec, each typed by its operationId. */
export type Handlers = { [Id in OperationId]: Handler<Id> };

/** A handler as the pipeline calls it, once validation has vouched for the context's types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = (ctx: HandlerContext<any>) => unknown;

/** What an operation answers: the success body, and headers it adds (a replay's mark). */
export interface OperationResult {
  body: unknown;
  headers?: Readonly<Record<string, string>>;
}

/** An operation bound to its stores (and its idempotency), as the operation stage calls it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BoundOperation = (request: OperationRequest<any>) => OperationResult;
