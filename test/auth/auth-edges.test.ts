// The auth domain unit by unit: credential resolution, the permission check, the key
// store's rotation, the Authorization parser and the client a failed key is counted against.
// Each case pins one decision that a changed operator would flip (found by the mutation runs).
import request from 'supertest';
import { resolveCredentials, type Presented } from '../../mock/domain/auth/credentials';
import { createPermissionCheck } from '../../mock/domain/auth/permissions';
import { parseAuthorization } from '../../mock/domain/auth/bearer';
import { createKeyStore, type KeyRecord } from '../../mock/domain/auth/key-store';
import { clientOf } from '../../mock/stages/pipeline';
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

describe('keys, permissions, credentials', () => {
  it('rotates only the key it names, and knows no key whose account is gone', () => {
    const store = createKeyStore();
    store.addAccount({ id: 'acct_a', name: 'A', plan: 'developer' });
    const key = (id: string): KeyRecord => ({ id, name: id, accountId: 'acct_a', permissions: [], mode: 'test', createdAt: 0, expiresAt: null, revoked: false, last4: '0000' });
    store.addKey(key('key_1'), 'sk_test_one_000000000000000000000001');
    store.addKey(key('key_2'), 'sk_test_two_000000000000000000000002');
    store.rotate('key_1', 'sk_test_one_000000000000000000000003', 10);
    expect(store.lookup('sk_test_one_000000000000000000000001', 5).ok).toBe(true);
    expect(store.lookup('sk_test_one_000000000000000000000001', 10)).toEqual({ ok: false, reason: 'expired' });
    expect(store.lookup('sk_test_two_000000000000000000000002', 1000).ok).toBe(true);
    // Rotating again leaves an already rotated-out secret's end where it was.
    store.rotate('key_1', 'sk_test_one_000000000000000000000004', 500);
    expect(store.lookup('sk_test_one_000000000000000000000003', 400).ok).toBe(true);
    expect(store.lookup('sk_test_one_000000000000000000000001', 6).ok).toBe(true);
    expect(store.lookup('sk_test_one_000000000000000000000001', 10)).toEqual({ ok: false, reason: 'expired' });
    expect(store.lookup('sk_test_two_000000000000000000000002', 10_000).ok).toBe(true);
    const orphan = createKeyStore();
    orphan.addKey({ ...key('key_3'), accountId: 'acct_gone' }, 'sk_test_orphan_0000000000000000000003');
    expect(orphan.lookup('sk_test_orphan_0000000000000000000003', 0)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('follows implications transitively and lets an operation with no requirements in', () => {
    const check = createPermissionCheck({ owner: ['admin'], admin: ['read', 'write'], read: [], write: [] });
    expect(check.decide(['read'], ['owner'])).toEqual({ allowed: true });
    expect([...check.effective(['owner'])].sort()).toEqual(['admin', 'owner', 'read', 'write']);
    expect(check.permit([], 'bearerAuth', [])).toEqual({ allowed: true });
    expect(check.permit([{}], 'bearerAuth', [])).toEqual({ allowed: true });
    // An alternative that needs two schemes at once cannot be met by one key.
    expect(check.permit([{ bearerAuth: [], apiKeyQuery: [] }], 'bearerAuth', ['admin'])).toEqual({ allowed: false, scheme: 'bearerAuth' });
    expect(check.permit([{ bearerAuth: ['write'] }], 'bearerAuth', ['read'])).toEqual({ allowed: false, required: ['write'], provided: ['read'] });
  });

  it('parses Authorization: surrounding space ignored, a scheme alone has empty credentials', () => {
    expect(parseAuthorization('  Bearer   abc  ')).toEqual({ scheme: 'Bearer', credentials: 'abc' });
    expect(parseAuthorization(' Bearer')).toEqual({ scheme: 'Bearer', credentials: '' });
    expect(parseAuthorization('   ')).toBeNull();
  });

  it('counts every loopback address as one client, and others by address', () => {
    for (const a of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) expect(clientOf(a)).toBe('loopback');
    for (const a of ['10.0.0.127', '::1:2', '1.127.0.0', '::ffff:10.0.0.1']) expect(clientOf(a)).toBe(a);
    expect(clientOf(undefined)).toBe('unknown');
  });
});
