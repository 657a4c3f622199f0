// @ts-nocheck
// Forced outcomes for SDK tests, compatible with Prism's `Prefer: code=NNN`: any status the
// spec documents for the operation, with a spec-valid body (the response's example, or the
// real figures where the body has to agree with headers) and consistent headers.
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
import type { Principal } from '../auth/credentials';
import { ApiError, type ErrorCode } from '../errors/api-error';
import type { RateLimitState } from '../rate-limit/rate-limit';
import type { SpecOperation } from '../../lib/openapi/load-spec';
const PREFER_CODE = stryMutAct_9fa48("305") ? /(?:^|[\s,;])code=(\d{3})(?=$|[\S,;])/ : stryMutAct_9fa48("304") ? /(?:^|[\s,;])code=(\d{3})(?=$|[^\s,;])/ : stryMutAct_9fa48("303") ? /(?:^|[\s,;])code=(\d{3})(?=[\s,;])/ : stryMutAct_9fa48("302") ? /(?:^|[\s,;])code=(\d{3})(?!$|[\s,;])/ : stryMutAct_9fa48("301") ? /(?:^|[\s,;])code=(\D{3})(?=$|[\s,;])/ : stryMutAct_9fa48("300") ? /(?:^|[\s,;])code=(\d)(?=$|[\s,;])/ : stryMutAct_9fa48("299") ? /(?:^|[\S,;])code=(\d{3})(?=$|[\s,;])/ : stryMutAct_9fa48("298") ? /(?:^|[^\s,;])code=(\d{3})(?=$|[\s,;])/ : stryMutAct_9fa48("297") ? /(?:[\s,;])code=(\d{3})(?=$|[\s,;])/ : (stryCov_9fa48("297", "298", "299", "300", "301", "302", "303", "304", "305"), /(?:^|[\s,;])code=(\d{3})(?=$|[\s,;])/);

/** The status a Prefer header asks for; 400 when it names one the spec does not document. */
export function preferredStatus(prefer: string | undefined, op: SpecOperation): number | null {
  if (stryMutAct_9fa48("306")) {
    {}
  } else {
    stryCov_9fa48("306");
    if (stryMutAct_9fa48("309") ? false : stryMutAct_9fa48("308") ? true : stryMutAct_9fa48("307") ? prefer : (stryCov_9fa48("307", "308", "309"), !prefer)) return null;
    const m = PREFER_CODE.exec(prefer);
    if (stryMutAct_9fa48("312") ? false : stryMutAct_9fa48("311") ? true : stryMutAct_9fa48("310") ? m : (stryCov_9fa48("310", "311", "312"), !m)) return null;
    if (stryMutAct_9fa48("315") ? false : stryMutAct_9fa48("314") ? true : stryMutAct_9fa48("313") ? op.responses[m[1]] : (stryCov_9fa48("313", "314", "315"), !op.responses[m[1]])) {
      if (stryMutAct_9fa48("316")) {
        {}
      } else {
        stryCov_9fa48("316");
        throw ApiError.invalidRequest(stryMutAct_9fa48("317") ? `` : (stryCov_9fa48("317"), `Prefer: code=${m[1]} is not a status ${op.operationId} documents (${Object.keys(op.responses).join(stryMutAct_9fa48("318") ? "" : (stryCov_9fa48("318"), ', '))})`), stryMutAct_9fa48("319") ? {} : (stryCov_9fa48("319"), {
          parameter: stryMutAct_9fa48("320") ? "" : (stryCov_9fa48("320"), 'Prefer'),
          location: stryMutAct_9fa48("321") ? "" : (stryCov_9fa48("321"), 'header'),
          schema_path: stryMutAct_9fa48("322") ? `` : (stryCov_9fa48("322"), `${op.pointer}/responses`),
          reason: stryMutAct_9fa48("323") ? "" : (stryCov_9fa48("323"), 'undocumented_status')
        }));
      }
    }
    return Number(m[1]);
  }
}

/** The error a forced status renders as, and the rate-limit figures it reports. */
export function forcedOutcome(op: SpecOperation, status: number, principal: Principal, rate: RateLimitState): {
  error: ApiError;
  rateLimit?: RateLimitState;
} {
  if (stryMutAct_9fa48("324")) {
    {}
  } else {
    stryCov_9fa48("324");
    const example = op.responses[String(status)].example as {
      error: {
        code: ErrorCode;
        message: string;
        details: Record<string, unknown>;
      };
    } | undefined;
    switch (status) {
      case 401:
        if (stryMutAct_9fa48("325")) {} else {
          stryCov_9fa48("325");
          return stryMutAct_9fa48("326") ? {} : (stryCov_9fa48("326"), {
            error: ApiError.unauthorized(stryMutAct_9fa48("327") ? example?.error.details.reason as 'expired' && 'expired' : (stryCov_9fa48("327"), example?.error.details.reason as 'expired' ?? (stryMutAct_9fa48("328") ? "" : (stryCov_9fa48("328"), 'expired'))))
          });
        }
      case 403:
        if (stryMutAct_9fa48("329")) {} else {
          stryCov_9fa48("329");
          return stryMutAct_9fa48("330") ? {} : (stryCov_9fa48("330"), {
            error: ApiError.forbidden(op.requiredPermissions, principal.key.permissions)
          });
        }
      case 429:
        if (stryMutAct_9fa48("331")) {} else {
          stryCov_9fa48("331");
          {
            if (stryMutAct_9fa48("332")) {
              {}
            } else {
              stryCov_9fa48("332");
              // A forced 429 looks like an exhausted window: Remaining 0, Retry-After to the reset.
              const exhausted = stryMutAct_9fa48("333") ? {} : (stryCov_9fa48("333"), {
                ...rate,
                remaining: 0,
                allowed: stryMutAct_9fa48("334") ? true : (stryCov_9fa48("334"), false)
              });
              return stryMutAct_9fa48("335") ? {} : (stryCov_9fa48("335"), {
                error: ApiError.rateLimited(stryMutAct_9fa48("336") ? {} : (stryCov_9fa48("336"), {
                  ...exhausted,
                  plan: principal.account.plan
                })),
                rateLimit: exhausted
              });
            }
          }
        }
      case 503:
        if (stryMutAct_9fa48("337")) {} else {
          stryCov_9fa48("337");
          return stryMutAct_9fa48("338") ? {} : (stryCov_9fa48("338"), {
            error: ApiError.serviceUnavailable(stryMutAct_9fa48("339") ? example?.error.details.retry_after_seconds as number && 1 : (stryCov_9fa48("339"), example?.error.details.retry_after_seconds as number ?? 1))
          });
        }
      default:
        if (stryMutAct_9fa48("340")) {} else {
          stryCov_9fa48("340");
          {
            if (stryMutAct_9fa48("341")) {
              {}
            } else {
              stryCov_9fa48("341");
              if (stryMutAct_9fa48("344") ? false : stryMutAct_9fa48("343") ? true : stryMutAct_9fa48("342") ? example : (stryCov_9fa48("342", "343", "344"), !example)) throw new Error(stryMutAct_9fa48("345") ? `` : (stryCov_9fa48("345"), `${op.operationId} ${status} has no example to force`));
              return stryMutAct_9fa48("346") ? {} : (stryCov_9fa48("346"), {
                error: new ApiError(status, example.error.code, example.error.message, example.error.details)
              });
            }
          }
        }
    }
  }
}