// @ts-nocheck
// The /v1 request pipeline. Every request passes the spec's x-cortex-check-order:
// credentials (400, 401) -> rate limit (429) -> permission (403) -> request validation
// (400) -> the operation (404, 409, 2xx). Forced outcomes (Prefer: code=NNN) are decided
// after the permission check, so they never bypass authentication.
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock';
import { resolveCredentials, type CredentialPolicy, type Principal } from '../auth/credentials';
import { createPermissionCheck } from '../auth/permissions';
import { ApiError } from '../errors/api-error';
import { isClientAbort, sendError, sendJson, toApiError } from '../errors/render';
import type { Handler } from '../handlers/types';
import type { RateLimiter, RateLimitState } from '../rate-limit/rate-limit';
import { fingerprint } from '../resources/idempotency';
import type { MockState } from '../resources/state';
import type { LoadedSpec, Plan, SpecOperation } from '../../lib/openapi/load-spec';
import { forcedOutcome, preferredStatus } from './forced-outcome';
import { readJsonBody } from './body';
import type { RequestValidator } from './request-validator';
import { createRouter } from './router';

/** What the pipeline notes on each response for the log and the journal. */
export interface RequestNotes {
  operationId: string | null;
  keyId: string | null;
  accountId: string | null;
  errorCode: string | null;
  forced: boolean;
  /** The client closed the connection before the response. */
  aborted?: boolean;
}
export interface PipelineDeps {
  spec: LoadedSpec;
  clock: Clock;
  state: MockState;
  limiter: RateLimiter;
  validator: RequestValidator;
  handlers: Map<string, Handler>;
  plans: Map<string, Plan>;
  policy: CredentialPolicy;
  /** Counts guessed keys (well-formed, unknown) per client address. */
  failureLimiter: RateLimiter;
  /** false: no limit on failed authentications. */
  failureLimit: {
    max_failures: number;
    window_seconds: number;
  } | false;
}

/** One client for the failed-authentication limit: every loopback address is the same machine. */
export function clientOf(address: string | undefined): string {
  if (stryMutAct_9fa48("347")) {
    {}
  } else {
    stryCov_9fa48("347");
    if (stryMutAct_9fa48("350") ? false : stryMutAct_9fa48("349") ? true : stryMutAct_9fa48("348") ? address : (stryCov_9fa48("348", "349", "350"), !address)) return stryMutAct_9fa48("351") ? "" : (stryCov_9fa48("351"), 'unknown');
    return (stryMutAct_9fa48("353") ? /^(127\.|::1|::ffff:127\.)/ : stryMutAct_9fa48("352") ? /(127\.|::1$|::ffff:127\.)/ : (stryCov_9fa48("352", "353"), /^(127\.|::1$|::ffff:127\.)/)).test(address) ? stryMutAct_9fa48("354") ? "" : (stryCov_9fa48("354"), 'loopback') : address;
  }
}
const MULTIPLE_CREDENTIALS_POINTER = stryMutAct_9fa48("355") ? "" : (stryCov_9fa48("355"), '#/components/securitySchemes');
function setRateLimitHeaders(res: ServerResponse, s: RateLimitState): void {
  if (stryMutAct_9fa48("356")) {
    {}
  } else {
    stryCov_9fa48("356");
    res.setHeader(stryMutAct_9fa48("357") ? "" : (stryCov_9fa48("357"), 'X-RateLimit-Limit'), s.limit);
    res.setHeader(stryMutAct_9fa48("358") ? "" : (stryCov_9fa48("358"), 'X-RateLimit-Remaining'), s.remaining);
    res.setHeader(stryMutAct_9fa48("359") ? "" : (stryCov_9fa48("359"), 'X-RateLimit-Reset'), s.reset);
  }
}

/** Creates the pipeline: `(req, res, notes)` answers one request below the base path. */
export function createPipeline(deps: PipelineDeps) {
  if (stryMutAct_9fa48("360")) {
    {}
  } else {
    stryCov_9fa48("360");
    const {
      spec,
      clock,
      state,
      limiter,
      validator,
      handlers,
      plans,
      policy,
      failureLimiter
    } = deps;
    const failureLimit = (stryMutAct_9fa48("363") ? deps.failureLimit !== false : stryMutAct_9fa48("362") ? false : stryMutAct_9fa48("361") ? true : (stryCov_9fa48("361", "362", "363"), deps.failureLimit === (stryMutAct_9fa48("364") ? true : (stryCov_9fa48("364"), false)))) ? undefined : stryMutAct_9fa48("365") ? {} : (stryCov_9fa48("365"), {
      limit: deps.failureLimit.max_failures,
      windowSeconds: deps.failureLimit.window_seconds
    });
    const router = createRouter(spec.operations);
    const permissions = createPermissionCheck(spec.permissionImplications);
    const maxBodyBytes = spec.limits.max_body_bytes;
    function authenticate(req: IncomingMessage, search: URLSearchParams, res: ServerResponse, now: number): Principal {
      if (stryMutAct_9fa48("366")) {
        {}
      } else {
        stryCov_9fa48("366");
        const apiKeys = search.getAll(stryMutAct_9fa48("367") ? "" : (stryCov_9fa48("367"), 'api_key'));
        // A key in a URL must not be cached anywhere on the way back (RFC 6750 section 2.3).
        if (stryMutAct_9fa48("371") ? apiKeys.length <= 0 : stryMutAct_9fa48("370") ? apiKeys.length >= 0 : stryMutAct_9fa48("369") ? false : stryMutAct_9fa48("368") ? true : (stryCov_9fa48("368", "369", "370", "371"), apiKeys.length > 0)) res.setHeader(stryMutAct_9fa48("372") ? "" : (stryCov_9fa48("372"), 'Cache-Control'), stryMutAct_9fa48("373") ? "" : (stryCov_9fa48("373"), 'no-store'));
        const outcome = resolveCredentials(stryMutAct_9fa48("374") ? {} : (stryCov_9fa48("374"), {
          authorization: stryMutAct_9fa48("375") ? req.headersDistinct.authorization && [] : (stryCov_9fa48("375"), req.headersDistinct.authorization ?? (stryMutAct_9fa48("376") ? ["Stryker was here"] : (stryCov_9fa48("376"), []))),
          apiKeys
        }), state.keys, policy, now);
        if (stryMutAct_9fa48("379") ? outcome.kind !== 'principal' : stryMutAct_9fa48("378") ? false : stryMutAct_9fa48("377") ? true : (stryCov_9fa48("377", "378", "379"), outcome.kind === (stryMutAct_9fa48("380") ? "" : (stryCov_9fa48("380"), 'principal')))) return outcome.principal;
        if (stryMutAct_9fa48("383") ? outcome.kind !== 'ambiguous' : stryMutAct_9fa48("382") ? false : stryMutAct_9fa48("381") ? true : (stryCov_9fa48("381", "382", "383"), outcome.kind === (stryMutAct_9fa48("384") ? "" : (stryCov_9fa48("384"), 'ambiguous')))) {
          if (stryMutAct_9fa48("385")) {
            {}
          } else {
            stryCov_9fa48("385");
            throw ApiError.invalidRequest(stryMutAct_9fa48("386") ? "" : (stryCov_9fa48("386"), 'Send the API key once, by one method: the Authorization header or ?api_key=, not both (RFC 6750 section 2)'), stryMutAct_9fa48("387") ? {} : (stryCov_9fa48("387"), {
              parameter: outcome.parameter,
              location: outcome.location,
              schema_path: MULTIPLE_CREDENTIALS_POINTER,
              reason: stryMutAct_9fa48("388") ? "" : (stryCov_9fa48("388"), 'multiple_credentials')
            }));
          }
        }
        // Guessing keys from one client is limited (OWASP API2): past the limit a guess gets 429,
        // which a valid key never does. Only a well-formed unknown key can be a guess: no key,
        // a malformed one and the deterministic scenarios (expired, revoked, live) always get
        // their 401, however often an SDK's tests send them.
        if (stryMutAct_9fa48("391") ? failureLimit || outcome.reason === 'unknown' : stryMutAct_9fa48("390") ? false : stryMutAct_9fa48("389") ? true : (stryCov_9fa48("389", "390", "391"), failureLimit && (stryMutAct_9fa48("393") ? outcome.reason !== 'unknown' : stryMutAct_9fa48("392") ? true : (stryCov_9fa48("392", "393"), outcome.reason === (stryMutAct_9fa48("394") ? "" : (stryCov_9fa48("394"), 'unknown')))))) {
          if (stryMutAct_9fa48("395")) {
            {}
          } else {
            stryCov_9fa48("395");
            const failures = failureLimiter.consume(clientOf(req.socket.remoteAddress), failureLimit);
            if (stryMutAct_9fa48("398") ? false : stryMutAct_9fa48("397") ? true : stryMutAct_9fa48("396") ? failures.allowed : (stryCov_9fa48("396", "397", "398"), !failures.allowed)) {
              if (stryMutAct_9fa48("399")) {
                {}
              } else {
                stryCov_9fa48("399");
                setRateLimitHeaders(res, failures);
                throw ApiError.rateLimited(failures);
              }
            }
          }
        }
        throw ApiError.unauthorized(outcome.reason);
      }
    }
    async function run(req: IncomingMessage, res: ServerResponse, notes: RequestNotes, url: string): Promise<void> {
      if (stryMutAct_9fa48("400")) {
        {}
      } else {
        stryCov_9fa48("400");
        const now = clock.now();
        // Date follows the mock's clock, so Date + Retry-After agrees with X-RateLimit-Reset.
        res.setHeader(stryMutAct_9fa48("401") ? "" : (stryCov_9fa48("401"), 'Date'), new Date(now).toUTCString());
        const q = url.indexOf(stryMutAct_9fa48("402") ? "" : (stryCov_9fa48("402"), '?'));
        const path = (stryMutAct_9fa48("405") ? q !== -1 : stryMutAct_9fa48("404") ? false : stryMutAct_9fa48("403") ? true : (stryCov_9fa48("403", "404", "405"), q === (stryMutAct_9fa48("406") ? +1 : (stryCov_9fa48("406"), -1)))) ? url : stryMutAct_9fa48("407") ? url : (stryCov_9fa48("407"), url.slice(0, q));
        const search = new URLSearchParams((stryMutAct_9fa48("410") ? q !== -1 : stryMutAct_9fa48("409") ? false : stryMutAct_9fa48("408") ? true : (stryCov_9fa48("408", "409", "410"), q === (stryMutAct_9fa48("411") ? +1 : (stryCov_9fa48("411"), -1)))) ? stryMutAct_9fa48("412") ? "Stryker was here!" : (stryCov_9fa48("412"), '') : stryMutAct_9fa48("413") ? url : (stryCov_9fa48("413"), url.slice(stryMutAct_9fa48("414") ? q - 1 : (stryCov_9fa48("414"), q + 1))));

        // 1. Credentials.
        const principal = authenticate(req, search, res, now);
        notes.keyId = principal.key.id;
        notes.accountId = principal.account.id;

        // 2. Rate limit, per account, on the plan's (possibly overridden) limit.
        const plan = plans.get(principal.account.plan)!;
        const limit = stryMutAct_9fa48("415") ? {} : (stryCov_9fa48("415"), {
          limit: plan.requests_per_window,
          windowSeconds: plan.window_seconds
        });
        const rate = limiter.consume(principal.account.id, limit);
        setRateLimitHeaders(res, rate);
        if (stryMutAct_9fa48("418") ? false : stryMutAct_9fa48("417") ? true : stryMutAct_9fa48("416") ? rate.allowed : (stryCov_9fa48("416", "417", "418"), !rate.allowed)) throw ApiError.rateLimited(stryMutAct_9fa48("419") ? {} : (stryCov_9fa48("419"), {
          ...rate,
          plan: plan.id
        }));
        const route = router.match(stryMutAct_9fa48("420") ? req.method && 'GET' : (stryCov_9fa48("420"), req.method ?? (stryMutAct_9fa48("421") ? "" : (stryCov_9fa48("421"), 'GET'))), path);
        if (stryMutAct_9fa48("424") ? route.kind !== 'not_found' : stryMutAct_9fa48("423") ? false : stryMutAct_9fa48("422") ? true : (stryCov_9fa48("422", "423", "424"), route.kind === (stryMutAct_9fa48("425") ? "" : (stryCov_9fa48("425"), 'not_found')))) throw ApiError.notFound(stryMutAct_9fa48("426") ? "" : (stryCov_9fa48("426"), 'route'));
        if (stryMutAct_9fa48("429") ? route.kind !== 'method_not_allowed' : stryMutAct_9fa48("428") ? false : stryMutAct_9fa48("427") ? true : (stryCov_9fa48("427", "428", "429"), route.kind === (stryMutAct_9fa48("430") ? "" : (stryCov_9fa48("430"), 'method_not_allowed')))) throw ApiError.methodNotAllowed(route.allowed);
        const op = route.op;
        notes.operationId = op.operationId;

        // 3. Permission, from the operation's security roles.
        const decision = permissions.decide(op.requiredPermissions, principal.key.permissions);
        if (stryMutAct_9fa48("433") ? false : stryMutAct_9fa48("432") ? true : stryMutAct_9fa48("431") ? decision.allowed : (stryCov_9fa48("431", "432", "433"), !decision.allowed)) throw ApiError.forbidden(decision.required, decision.provided);

        // Forced outcome: a documented status other than the success status, on request.
        const preferred = preferredStatus(stryMutAct_9fa48("434") ? req.headersDistinct.prefer.join(', ') : (stryCov_9fa48("434"), req.headersDistinct.prefer?.join(stryMutAct_9fa48("435") ? "" : (stryCov_9fa48("435"), ', '))), op);
        if (stryMutAct_9fa48("438") ? preferred !== null || preferred !== op.successStatus : stryMutAct_9fa48("437") ? false : stryMutAct_9fa48("436") ? true : (stryCov_9fa48("436", "437", "438"), (stryMutAct_9fa48("440") ? preferred === null : stryMutAct_9fa48("439") ? true : (stryCov_9fa48("439", "440"), preferred !== null)) && (stryMutAct_9fa48("442") ? preferred === op.successStatus : stryMutAct_9fa48("441") ? true : (stryCov_9fa48("441", "442"), preferred !== op.successStatus)))) {
          if (stryMutAct_9fa48("443")) {
            {}
          } else {
            stryCov_9fa48("443");
            notes.forced = stryMutAct_9fa48("444") ? false : (stryCov_9fa48("444"), true);
            const forced = forcedOutcome(op, preferred, principal, rate);
            if (stryMutAct_9fa48("446") ? false : stryMutAct_9fa48("445") ? true : (stryCov_9fa48("445", "446"), forced.rateLimit)) setRateLimitHeaders(res, forced.rateLimit);
            throw forced.error;
          }
        }

        // 4. Request validation: parameters, then the body.
        const input = validator.parameters(op, route.params, search, req.headers);
        let body: unknown;
        if (stryMutAct_9fa48("448") ? false : stryMutAct_9fa48("447") ? true : (stryCov_9fa48("447", "448"), op.requestBody)) {
          if (stryMutAct_9fa48("449")) {
            {}
          } else {
            stryCov_9fa48("449");
            body = await readJsonBody(req, maxBodyBytes, op.requestBody.required, op.requestBody.schemaPointer);
            if (stryMutAct_9fa48("452") ? body === undefined : stryMutAct_9fa48("451") ? false : stryMutAct_9fa48("450") ? true : (stryCov_9fa48("450", "451", "452"), body !== undefined)) validator.body(op, body);
          }
        }

        // 5. The operation, with Idempotency-Key replay for creates that accept one.
        const idempotencyKey = input.headers[stryMutAct_9fa48("453") ? "" : (stryCov_9fa48("453"), 'Idempotency-Key')];
        const scope = stryMutAct_9fa48("454") ? `` : (stryCov_9fa48("454"), `${principal.account.id}:${op.operationId}`);
        const print = (stryMutAct_9fa48("457") ? idempotencyKey !== undefined : stryMutAct_9fa48("456") ? false : stryMutAct_9fa48("455") ? true : (stryCov_9fa48("455", "456", "457"), idempotencyKey === undefined)) ? stryMutAct_9fa48("458") ? "Stryker was here!" : (stryCov_9fa48("458"), '') : fingerprint(body);
        if (stryMutAct_9fa48("461") ? idempotencyKey === undefined : stryMutAct_9fa48("460") ? false : stryMutAct_9fa48("459") ? true : (stryCov_9fa48("459", "460", "461"), idempotencyKey !== undefined)) {
          if (stryMutAct_9fa48("462")) {
            {}
          } else {
            stryCov_9fa48("462");
            const earlier = state.idempotency.check(scope, idempotencyKey, print, now);
            if (stryMutAct_9fa48("465") ? earlier.kind !== 'conflict' : stryMutAct_9fa48("464") ? false : stryMutAct_9fa48("463") ? true : (stryCov_9fa48("463", "464", "465"), earlier.kind === (stryMutAct_9fa48("466") ? "" : (stryCov_9fa48("466"), 'conflict')))) {
              if (stryMutAct_9fa48("467")) {
                {}
              } else {
                stryCov_9fa48("467");
                throw ApiError.conflict(stryMutAct_9fa48("468") ? "" : (stryCov_9fa48("468"), 'This Idempotency-Key was used with another request body'), stryMutAct_9fa48("469") ? {} : (stryCov_9fa48("469"), {
                  reason: stryMutAct_9fa48("470") ? "" : (stryCov_9fa48("470"), 'idempotency_key_reused')
                }));
              }
            }
            if (stryMutAct_9fa48("473") ? earlier.kind !== 'replay' : stryMutAct_9fa48("472") ? false : stryMutAct_9fa48("471") ? true : (stryCov_9fa48("471", "472", "473"), earlier.kind === (stryMutAct_9fa48("474") ? "" : (stryCov_9fa48("474"), 'replay')))) {
              if (stryMutAct_9fa48("475")) {
                {}
              } else {
                stryCov_9fa48("475");
                res.setHeader(stryMutAct_9fa48("476") ? "" : (stryCov_9fa48("476"), 'Idempotent-Replayed'), stryMutAct_9fa48("477") ? "" : (stryCov_9fa48("477"), 'true'));
                sendJson(res, earlier.response.status, earlier.response.body);
                return;
              }
            }
          }
        }
        const handler = handlers.get(op.operationId)!;
        const result = handler(stryMutAct_9fa48("478") ? {} : (stryCov_9fa48("478"), {
          op,
          spec,
          principal,
          params: input.params,
          query: input.query,
          body,
          now,
          state,
          rateLimit: rate,
          plan
        }));
        if (stryMutAct_9fa48("481") ? idempotencyKey === undefined : stryMutAct_9fa48("480") ? false : stryMutAct_9fa48("479") ? true : (stryCov_9fa48("479", "480", "481"), idempotencyKey !== undefined)) state.idempotency.remember(scope, idempotencyKey, print, result, now);
        sendJson(res, result.status, result.body);
      }
    }
    return async function pipeline(req: IncomingMessage, res: ServerResponse, notes: RequestNotes, url: string): Promise<void> {
      if (stryMutAct_9fa48("482")) {
        {}
      } else {
        stryCov_9fa48("482");
        try {
          if (stryMutAct_9fa48("483")) {
            {}
          } else {
            stryCov_9fa48("483");
            await run(req, res, notes, url);
          }
        } catch (err) {
          if (stryMutAct_9fa48("484")) {
            {}
          } else {
            stryCov_9fa48("484");
            if (stryMutAct_9fa48("487") ? !(err instanceof ApiError) || isClientAbort(err, req) : stryMutAct_9fa48("486") ? false : stryMutAct_9fa48("485") ? true : (stryCov_9fa48("485", "486", "487"), (stryMutAct_9fa48("488") ? err instanceof ApiError : (stryCov_9fa48("488"), !(err instanceof ApiError))) && isClientAbort(err, req))) {
              if (stryMutAct_9fa48("489")) {
                {}
              } else {
                stryCov_9fa48("489");
                notes.aborted = stryMutAct_9fa48("490") ? false : (stryCov_9fa48("490"), true);
                return;
              }
            }
            const apiError = toApiError(err);
            notes.errorCode = apiError.code;
            if (stryMutAct_9fa48("493") ? false : stryMutAct_9fa48("492") ? true : stryMutAct_9fa48("491") ? res.headersSent : (stryCov_9fa48("491", "492", "493"), !res.headersSent)) sendError(res, apiError);
            // Only a bug goes on to be logged as one; a forced 503 is an answer, not a fault.
            if (stryMutAct_9fa48("496") ? false : stryMutAct_9fa48("495") ? true : stryMutAct_9fa48("494") ? err instanceof ApiError : (stryCov_9fa48("494", "495", "496"), !(err instanceof ApiError))) throw err;
          }
        }
      }
    };
  }
}
export type { SpecOperation };