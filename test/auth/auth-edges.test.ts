// Cases the first mutation run showed no test would notice: each pins one decision of the
// credential and permission checks that a changed operator would flip.
import request from 'supertest';
import { resolveCredentials, type Presented } from '../../mock/domain/auth/credentials';
import { createPermissionCheck } from '../../mock/domain/auth/permissions';
import { KEYS, bearer, testMock } from '../helpers/fixtures';
import { loadPublicSpec } from '../../lib/openapi/load-spec';
import { specStatus } from '../helpers/expect-response';

// The spec's schemes: the header (bearerAuth), then the query (apiKeyQuery).
const [headerScheme, queryScheme] = loadPublicSpec().credentialSchemes;
const presented = ({ authorization, apiKeys }: { authorization: string[]; apiKeys: string[] }): Presented[] => [
  { scheme: headerScheme, values: authorization },
  { scheme: queryScheme, values: apiKeys },
];

describe('credentials', () => {
  it.each(['Basic', 'Token', 'Digest', 'Bearerx'])('refuses a valid key under the %s scheme as malformed, never authenticating it', async (scheme) => {
    const mock = testMock();
    const res = await request(mock.handler).get('/v1/whoami').set('Authorization', `${scheme} ${KEYS.admin}`).expect(specStatus(401));
    expect(res.body.error.details.reason).toBe('malformed');
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('refuses "Bearer" with no token as malformed, and an empty api_key as missing', async () => {
    const mock = testMock();
    expect((await request(mock.handler).get('/v1/whoami').set('Authorization', 'Bearer').expect(specStatus(401))).body.error.details.reason).toBe('malformed');
    expect((await request(mock.handler).get('/v1/whoami?api_key=').expect(specStatus(401))).body.error.details.reason).toBe('missing');
  });

  it('gives each refusal its reason and where the key came from', () => {
    const mock = testMock();
    const policy = { keyPattern: /^sk_(test|live)_[A-Za-z0-9_]{24,96}$/, keyModes: { test: 'sk_test_', live: 'sk_live_' }, allowLiveKeys: false, allowLiveKeysInQuery: false };
    const now = mock.clock.now();
    const decide = (authorization: string[], apiKeys: string[]) => resolveCredentials(presented({ authorization, apiKeys }), mock.state.keys, policy, now);
    expect(decide([], [])).toEqual({ kind: 'refused', reason: 'missing', via: 'none' });
    expect(decide(['Basic x'], [])).toEqual({ kind: 'refused', reason: 'malformed', via: 'header' });
    expect(decide([], ['sk_test_short'])).toEqual({ kind: 'refused', reason: 'malformed', via: 'query' });
    expect(decide([], [KEYS.live])).toEqual({ kind: 'refused', reason: 'live_key_in_query', via: 'query' });
    expect(decide([`Bearer ${KEYS.live}`], [])).toEqual({ kind: 'refused', reason: 'live_key_refused', via: 'header' });
    expect(decide([`Bearer ${KEYS.expired}`], [])).toEqual({ kind: 'refused', reason: 'expired', via: 'header' });
    expect(decide(['a', 'b'], [])).toEqual({ kind: 'ambiguous', parameter: 'Authorization', location: 'header' });
    expect(decide([], ['a', 'b'])).toEqual({ kind: 'ambiguous', parameter: 'api_key', location: 'query' });
    expect(decide(['a'], ['b'])).toEqual({ kind: 'ambiguous', parameter: 'api_key', location: 'query' });
    const ok = decide([`bearer   ${KEYS.read}  `], []);
    expect(ok.kind === 'principal' && ok.principal.key.id).toBe('key_read');
    const viaQuery = decide([], [KEYS.read]);
    expect(viaQuery.kind === 'principal' && viaQuery.principal.via).toBe('query');
  });

  it('accepts live keys in the header only when allowed, and in the URL only when that is allowed too', () => {
    const mock = testMock({ config: { allow_live_keys: true } });
    const now = mock.clock.now();
    const policy = (inQuery: boolean) => ({ keyPattern: /^sk_(test|live)_[A-Za-z0-9_]{24,96}$/, keyModes: { test: 'sk_test_', live: 'sk_live_' }, allowLiveKeys: true, allowLiveKeysInQuery: inQuery });
    expect(resolveCredentials(presented({ authorization: [`Bearer ${KEYS.live}`], apiKeys: [] }), mock.state.keys, policy(false), now).kind).toBe('principal');
    expect(resolveCredentials(presented({ authorization: [], apiKeys: [KEYS.live] }), mock.state.keys, policy(false), now)).toMatchObject({ reason: 'live_key_in_query' });
    expect(resolveCredentials(presented({ authorization: [], apiKeys: [KEYS.live] }), mock.state.keys, policy(true), now).kind).toBe('principal');
  });
});

describe('permissions', () => {
  const check = createPermissionCheck({ read: [], write: [], admin: ['read', 'write'] });

  it('allows what is needed, through implications, and reports exactly what was required and declared', () => {
    expect(check.decide([], [])).toEqual({ allowed: true });
    expect(check.decide(['read'], ['admin'])).toEqual({ allowed: true });
    expect(check.decide(['read', 'write'], ['read', 'write'])).toEqual({ allowed: true });
    expect(check.decide(['read', 'write'], ['read'])).toEqual({ allowed: false, required: ['read', 'write'], provided: ['read'] });
    expect(check.decide(['admin'], ['read', 'write'])).toEqual({ allowed: false, required: ['admin'], provided: ['read', 'write'] });
    expect([...check.effective(['admin'])].sort()).toEqual(['admin', 'read', 'write']);
    expect([...check.effective([])]).toEqual([]);
  });

  it('refuses a key with no permissions on every operation that needs one, over HTTP', async () => {
    const mock = testMock();
    const res = await request(mock.handler).get('/v1/scans').set(bearer(KEYS.noPerms)).expect(specStatus(403));
    expect(res.body.error.details).toEqual({ required_permissions: ['read'], provided_permissions: [] });
  });
});
