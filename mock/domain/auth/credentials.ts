// Turns the credentials a request carries into a principal, or a reason why there is none.
// Knows nothing of HTTP statuses: the pipeline maps outcomes to 400 and 401. The schemes
// (names, where a key travels) come from the spec's securitySchemes.
import type { UnauthorizedReason } from '../../spec/types';
import { isBearer, parseAuthorization } from './bearer';
import { modeOf, type Account, type KeyRecord, type KeyStore } from './key-store';
import type { CredentialScheme } from '../../../lib/openapi/load-spec';

/** Who is calling: the key, its account, and the scheme it arrived by. */
export interface Principal {
  key: KeyRecord;
  account: Account;
  /** The securitySchemes entry the key arrived by: `bearerAuth`. */
  scheme: string;
  via: 'header' | 'query';
}

/** The values a request carries for one scheme (a repeated header or parameter gives several). */
export interface Presented {
  scheme: CredentialScheme;
  values: string[];
}

export type CredentialOutcome =
  | { kind: 'principal'; principal: Principal }
  | { kind: 'refused'; reason: UnauthorizedReason; via: 'header' | 'query' | 'none' }
  /** RFC 6750 section 2: more than one method, or one method more than once. */
  | { kind: 'ambiguous'; parameter: string; location: 'header' | 'query' };

export interface CredentialPolicy {
  /** The spec's ApiKeySecret pattern: the only shape a key can have. */
  keyPattern: RegExp;
  /** The spec's secret prefix of each mode. */
  keyModes: { test: string; live: string };
  allowLiveKeys: boolean;
  allowLiveKeysInQuery: boolean;
}

/**
 * Decides who the caller is from what it presented, scheme by scheme (only the schemes
 * present, in the document's order). Pure apart from the store: a key that authenticates
 * is noted as used at `now` (its lastUsedAt), the one write a read request makes.
 */
export function resolveCredentials(
  presented: readonly Presented[],
  store: KeyStore,
  policy: CredentialPolicy,
  now: number,
): CredentialOutcome {
  const present = presented.filter((p) => p.values.length > 0);
  const repeated = present.find((p) => p.values.length > 1);
  if (repeated) return { kind: 'ambiguous', parameter: repeated.scheme.parameter, location: repeated.scheme.in };
  if (present.length > 1) {
    const last = present[present.length - 1].scheme;
    return { kind: 'ambiguous', parameter: last.parameter, location: last.in };
  }
  if (present.length === 0) return { kind: 'refused', reason: 'missing', via: 'none' };

  const { scheme, values } = present[0];
  const via = scheme.in;
  let secret = values[0];
  if (scheme.kind === 'bearer') {
    const parsed = parseAuthorization(secret);
    // An empty header carries no authentication information (RFC 6750 section 3.1).
    if (!parsed) return { kind: 'refused', reason: 'missing', via: 'none' };
    if (!isBearer(parsed) || parsed.credentials === '') return { kind: 'refused', reason: 'malformed', via };
    secret = parsed.credentials;
  } else if (secret === '') {
    return { kind: 'refused', reason: 'missing', via: 'none' };
  }

  if (!policy.keyPattern.test(secret)) return { kind: 'refused', reason: 'malformed', via };
  // Live keys are refused before any lookup: a local tool must never make someone paste a
  // production secret, and a live key in a URL has already leaked into logs.
  if (modeOf(secret, policy.keyModes) === 'live') {
    if (via === 'query' && !policy.allowLiveKeysInQuery) return { kind: 'refused', reason: 'live_key_in_query', via };
    if (!policy.allowLiveKeys) return { kind: 'refused', reason: 'live_key_refused', via };
  }
  const found = store.lookup(secret, now);
  if (!found.ok) return { kind: 'refused', reason: found.reason, via };
  store.markUsed(found.key.id, now);
  return { kind: 'principal', principal: { key: found.key, account: found.account, scheme: scheme.name, via } };
}
