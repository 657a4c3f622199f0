// Turns the credentials a request carries into a principal, or a reason why there is none.
// Knows nothing of HTTP statuses: the pipeline maps outcomes to 400 and 401.
import type { UnauthorizedReason } from '../errors/api-error';
import { isBearer, parseAuthorization } from './bearer';
import { modeOf, type Account, type KeyRecord, type KeyStore } from './key-store';

/** Who is calling: the key, its account, and how the key arrived. */
export interface Principal {
  key: KeyRecord;
  account: Account;
  via: 'header' | 'query';
}

/** The credentials found on a request, before any policy. */
export interface PresentedCredentials {
  /** Every Authorization header value (a repeated header gives several). */
  authorization: string[];
  /** Every `api_key` query value. */
  apiKeys: string[];
}

export type CredentialOutcome =
  | { kind: 'principal'; principal: Principal }
  | { kind: 'refused'; reason: UnauthorizedReason; via: 'header' | 'query' | 'none' }
  /** RFC 6750 section 2: more than one method, or one method more than once. */
  | { kind: 'ambiguous'; parameter: 'Authorization' | 'api_key'; location: 'header' | 'query' };

export interface CredentialPolicy {
  /** The spec's ApiKeySecret pattern: the only shape a key can have. */
  keyPattern: RegExp;
  allowLiveKeys: boolean;
  allowLiveKeysInQuery: boolean;
}

/** Decides who the caller is. Pure apart from the store lookup. */
export function resolveCredentials(
  presented: PresentedCredentials,
  store: KeyStore,
  policy: CredentialPolicy,
  now: number,
): CredentialOutcome {
  const { authorization, apiKeys } = presented;
  if (authorization.length > 1) return { kind: 'ambiguous', parameter: 'Authorization', location: 'header' };
  if (apiKeys.length > 1) return { kind: 'ambiguous', parameter: 'api_key', location: 'query' };
  if (authorization.length === 1 && apiKeys.length === 1) {
    return { kind: 'ambiguous', parameter: 'api_key', location: 'query' };
  }

  let secret: string;
  let via: 'header' | 'query';
  if (authorization.length === 1) {
    via = 'header';
    const parsed = parseAuthorization(authorization[0]);
    // An empty header carries no authentication information (RFC 6750 section 3.1).
    if (!parsed) return { kind: 'refused', reason: 'missing', via: 'none' };
    if (!isBearer(parsed) || parsed.credentials === '') return { kind: 'refused', reason: 'malformed', via };
    secret = parsed.credentials;
  } else if (apiKeys.length === 1) {
    via = 'query';
    secret = apiKeys[0];
    if (secret === '') return { kind: 'refused', reason: 'missing', via: 'none' };
  } else {
    return { kind: 'refused', reason: 'missing', via: 'none' };
  }

  if (!policy.keyPattern.test(secret)) return { kind: 'refused', reason: 'malformed', via };
  // Live keys are refused before any lookup: a local tool must never make someone paste a
  // production secret, and a live key in a URL has already leaked into logs.
  if (modeOf(secret) === 'live') {
    if (via === 'query' && !policy.allowLiveKeysInQuery) return { kind: 'refused', reason: 'live_key_in_query', via };
    if (!policy.allowLiveKeys) return { kind: 'refused', reason: 'live_key_refused', via };
  }
  const found = store.lookup(secret, now);
  if (!found.ok) return { kind: 'refused', reason: found.reason, via };
  return { kind: 'principal', principal: { key: found.key, account: found.account, via } };
}
