// The credentials stage (400, 401): who is calling, from the key the request presents by
// the spec's securitySchemes. Sets the context's `caller` (the principal, its plan and the
// plan's limit). Guessing keys from one client is limited (OWASP API2).
import { resolveCredentials, type CredentialPolicy, type Presented } from '../domain/auth/credentials';
import type { KeyStore } from '../domain/auth/key-store';
import { isStale, type Limit, type RateLimiter, type RateLimitState, type Stale } from '../domain/limits/rate-limit';
import { StaleStateError, type StateFence } from '../store/fence';
import { ApiError } from '../errors/api-error';
import type { CredentialScheme, LoadedSpec, Plan } from '../../lib/openapi/load-spec';
import type { MockRequest } from '../http/exchange';
import type { Caller, Context, Stage } from './context';
import type { ContributeRateLimit } from './rate-limit-headers';
import { checkSignature } from './signature-check';
import type { ReplayCache } from '../domain/auth/signing/replay-cache';
import type { SigningPolicy } from '../domain/auth/signing/policy';

export interface CredentialsDeps {
  spec: LoadedSpec;
  keys: KeyStore;
  policy: CredentialPolicy;
  /** Effective plans by id (config overrides applied). */
  plans: ReadonlyMap<string, Plan>;
  /** Counts guessed keys (well-formed, unknown) per client address. */
  failureLimiter: RateLimiter;
  /** false: no limit on failed authentications. */
  failureLimit: { max_failures: number; window_seconds: number } | false;
  /** The rate-limit fields of the failed-authentication 429. */
  contributeRateLimit: ContributeRateLimit;
  /** A signing key's requests (RFC 9421): the policy, and the nonces seen. */
  signing: SigningPolicy;
  replay: ReplayCache;
  /** The shared state's fence (mock/store/fence.ts), when the state is shared. */
  fence?: StateFence;
}

/** One client for the failed-authentication limit: every loopback address is the same machine. */
export function clientOf(address: string | undefined): string {
  if (!address) return 'unknown';
  return /^(127\.|::1$|::ffff:127\.)/.test(address) ? 'loopback' : address;
}

/** What a request presents for each of the spec's schemes: the `Authorization` lines, the `api_key` values. */
export function presentedCredentials(req: Pick<MockRequest, 'headersDistinct'>, search: URLSearchParams, schemes: readonly CredentialScheme[]): Presented[] {
  return schemes.map((scheme) => ({
    scheme,
    values: scheme.in === 'query' ? search.getAll(scheme.parameter) : (req.headersDistinct[scheme.parameter.toLowerCase()] ?? []),
  }));
}

const MULTIPLE_CREDENTIALS_POINTER = '#/components/securitySchemes';

/** Creates the credentials stage. */
export function createCredentialsStage(deps: CredentialsDeps): Stage<Context> {
  const { keys, policy, failureLimiter, contributeRateLimit } = deps;
  // The IETF policy the failed-authentication 429 names: a per-client limit, not a plan.
  const failurePolicy = deps.spec.authFailureLimit.policy;
  const schemes = deps.spec.credentialSchemes;
  const words = deps.spec.vocabulary;
  const failureLimit: Limit | undefined = deps.failureLimit === false ? undefined : { limit: deps.failureLimit.max_failures, windowSeconds: deps.failureLimit.window_seconds };
  // Each plan's limit, made once.
  const plans = new Map([...deps.plans].map(([id, plan]) => [id, { plan, limit: { limit: plan.requests_per_window, windowSeconds: plan.window_seconds } }]));

  const callerOf = (principal: Caller['principal']): Caller => {
    const found = plans.get(principal.account.plan);
    if (!found) throw new Error(`account ${principal.account.id} is on plan ${principal.account.plan}, which the mock does not have`);
    return { principal, plan: found.plan, limit: found.limit };
  };

  return (ctx) => {
    const { req, search, now } = ctx;
    const presented = presentedCredentials(req, search, schemes);
    // A key in a URL must not be cached anywhere on the way back (RFC 6750 section 2.3).
    if (presented.some((c) => c.scheme.in === 'query' && c.values.length > 0)) ctx.headers.set('Cache-Control', 'no-store');
    // The domain notes the key's use (lastUsedAt) when it authenticates.
    const outcome = resolveCredentials(presented, keys, policy, now);
    if (outcome.kind === 'principal') {
      // A key that requires signing is let in only with a valid signature (signature-check.ts).
      const signing = outcome.principal.key.signing;
      if (signing) {
        const secret = presented.find((c) => c.values.length > 0)?.values[0].trim().split(/\s+/).pop() ?? '';
        const refused = checkSignature(req, outcome.principal, signing, secret, { policy: deps.signing, replay: deps.replay, words, now });
        if (refused) return refused;
      }
      ctx.caller = callerOf(outcome.principal);
      return;
    }
    if (outcome.kind === 'ambiguous') {
      return ApiError.invalidRequest(
        `Send the API key once, by one method (${schemes.map((s) => s.parameter).join(' or ')}), not more (RFC 6750 section 2)`,
        { parameter: outcome.parameter, location: outcome.location, schema_path: MULTIPLE_CREDENTIALS_POINTER, reason: 'multiple_credentials' },
      );
    }
    // Past the limit a guess gets 429, which a valid key never does. Only a well-formed
    // unknown key can be a guess: no key, a malformed one and the deterministic scenarios
    // (expired, revoked, live) always get their 401, however often an SDK's tests send them.
    const unauthorized = ApiError.unauthorized(outcome.reason, words);
    if (failureLimit && outcome.reason === 'unknown') {
      const decide = (failures: RateLimitState | Stale) => {
        if (isStale(failures)) throw new StaleStateError(failures.version);
        if (deps.fence) ctx.fenced = true;
        if (failures.allowed) return unauthorized;
        contributeRateLimit(ctx.headers, failures, failurePolicy, now);
        return ApiError.rateLimited(failures);
      };
      // On Redis, one script counts the failure (and fences the state); in memory, at once.
      const failures = failureLimiter.consume(clientOf(req.remoteAddress), failureLimit, now, deps.fence?.version());
      return failures instanceof Promise ? failures.then(decide) : decide(failures);
    }
    return unauthorized;
  };
}
