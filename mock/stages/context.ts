// What one /v1 request carries through the stages. Each field is set by the stage that owns
// it (routing `route`, then `routed`: the operation and its path parameters; credentials
// `caller`; rate limit `rate`; validation `prefs`, `forced`, `input` and `bodyBytes`; the operation
// `answer`; the fault point after credentials `fault`), and a stage that reads a field is
// typed with it set: the runner (pipeline.ts) proves it before the stage runs, so no stage
// reads one with `!`.
import type { ApiError } from '../errors/api-error';
import type { Principal } from '../domain/auth/credentials';
import type { Limit, RateLimitState } from '../domain/limits/rate-limit';
import type { MockRequest } from '../http/exchange';
import type { ResponseHeaders } from '../http/response-headers';
import type { Plan } from '../../lib/openapi/load-spec';
import type { OutcomeFault } from '../domain/faults/rule';
import type { Preferences } from './forced-outcome';
import type { ValidatedParameters } from './request-validator';
import type { Route, Routed } from './routing';

/** Who is calling (credentials): the principal, its account's plan and the plan's limit. */
export interface Caller {
  principal: Principal;
  plan: Plan;
  limit: Limit;
}

/** The request's input, checked (validation): its parameters and its parsed body. */
export type Input = ValidatedParameters;

/** The success answer (operation): its status and body. */
export interface Answer {
  status: number;
  body: unknown;
}

/** One request's passage. Every field is there from the start: one object shape for all. */
export interface Context {
  readonly req: MockRequest;
  /** The path below the base path, split from the query. */
  readonly path: string;
  readonly search: URLSearchParams;
  /** The mock's clock, read once for the request. */
  readonly now: number;
  /** What the stages contribute to the response's headers; only the renderer merges them. */
  readonly headers: ResponseHeaders;
  /** What routing found (a miss is answered by the first stage that needs the operation). */
  readonly route: Route;
  /** The operation and its path parameters, once a stage has reached them. */
  routed: Routed | undefined;
  caller: Caller | undefined;
  rate: RateLimitState | undefined;
  /** What the Prefer header asks, read once the caller is let in. */
  prefs: Preferences;
  /** Whether the answer is one the client forced (Prefer). */
  forced: boolean;
  input: Input | undefined;
  /** The request body's bytes as validation read them; undefined when it read none (a request refused before it, or without a body). */
  bodyBytes: Uint8Array | undefined;
  answer: Answer | undefined;
  /** The fault a rule shaped the request with (the fault point, after credentials), or null. */
  fault: OutcomeFault | null;
  /** Set by a stage whose call to the shared store was fenced and found the state fresh (mock/store/replication.ts). */
  fenced: boolean;
}

/** A context past credentials. */
export type Identified = Context & { caller: Caller };
/** A context past credentials whose operation a stage has reached. */
export type Reached = Identified & { routed: Routed };
/** A context past every check: what the operation stage runs on. */
export type Checked = Reached & { rate: RateLimitState; input: Input };

/** What a stage gives back: nothing to go on, the error to answer with, or a promise of one. */
export type StageResult = void | ApiError | Promise<void | ApiError>;

/** A stage: runs on a context with the fields it reads set. */
export type Stage<C extends Context = Context> = (ctx: C) => StageResult;

/** Whether credentials have let the caller in. */
export const identified = (ctx: Context): ctx is Identified => ctx.caller !== undefined;

/** Whether a stage has reached the operation (routing.ts reach). */
export const isReached = (ctx: Identified): ctx is Reached => ctx.routed !== undefined;

/** Whether every check before the operation has run. */
export const checked = (ctx: Reached): ctx is Checked => ctx.rate !== undefined && ctx.input !== undefined;
