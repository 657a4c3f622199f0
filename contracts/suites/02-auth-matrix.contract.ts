// The auth matrix of every operation: no key, a malformed, unknown, expired or revoked key,
// both methods at once, a key lacking the permission. Each gives exactly the documented
// status (401 and 403 are not interchangeable), the error shape and the RFC 6750 challenge.
import { expectAuthError } from '../lib/checks';
import { withArticle, type Harness, type Precondition, type Role } from '../lib/harness';

const MALFORMED = 'sk_test_short';
const UNKNOWN = `sk_test_${'0'.repeat(30)}unknown`;

/** The conduct rules of the mock's report this suite breaks by design (docs/harness.md#the-conduct-report). */
export const conductBreaks = {
  key_in_query: 'it sends each refused kind of key in ?api_key= as well as in Authorization, to check both give the same 401',
};

export function register(h: Harness): void {
  const { call, can, cannot, existingIds, exampleBody, itWhen, keyMissing, keyOf, lackingRoles, settings } = h;

  for (const op of h.spec.operations) {
    h.describe(op.operationId, () => {
      const mutating = op.method !== 'get';
      const writesOk: Precondition = [!mutating || settings.allowWrites, 'a mutating operation: pass --allow-writes'];
      const request = async () => {
        const params = await existingIds(op);
        return { params: typeof params === 'string' ? undefined : params, body: exampleBody(op) };
      };

      itWhen([writesOk])('answers 401 to a request with no key, with a challenge that has no error attribute', async () => {
        const res = await call(op, { auth: 'none', expect: { status: 401, why: 'no key' }, ...(await request()) });
        if (!cannot('auth-details')) expectAuthError(op, res, { status: 401, reason: 'missing', presented: false });
      });

      const presented: Array<[string, () => string | undefined, Precondition[]]> = [
        ['malformed', () => MALFORMED, []],
        ['unknown', () => UNKNOWN, []],
        ['expired', () => settings.keys.expired, [keyMissing('expired')]],
        ['revoked', () => settings.keys.revoked, [keyMissing('revoked')]],
      ];
      for (const [name, key, pre] of presented) {
        itWhen([writesOk, can('key-validity'), ...pre])(`answers 401 (${name}) with error="invalid_token" to ${withArticle(name)} key`, async () => {
          const res = await call(op, { key: key(), auth: name, expect: { status: 401, why: `${withArticle(name)} key` }, ...(await request()) });
          expectAuthError(op, res, { status: 401, reason: name, presented: true });
        });
      }

      itWhen([writesOk, can('auth-details'), keyMissing('read')])('answers 400 to a key in both the header and the URL (RFC 6750 section 2)', async () => {
        await call(op, { key: keyOf('read'), auth: 'both-methods', query: { api_key: keyOf('read')! }, expect: { status: 400, why: 'two authentication methods in one request' }, ...(await request()) });
      });

      for (const role of lackingRoles(op)) {
        itWhen([writesOk, can('permissions'), keyMissing(role as Role)])(`answers 403 with the required permissions to ${withArticle(role)} key`, async () => {
          const res = await call(op, { key: keyOf(role), auth: 'forbidden', expect: { status: 403, why: `${withArticle(role)} key lacks ${op.requiredPermissions.join(', ')}` }, ...(await request()) });
          expectAuthError(op, res, { status: 403 });
        });
      }
    });
  }
}
