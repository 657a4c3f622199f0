// A signing requirement set through POST /_mock/keys (control.yaml SigningRequirement): the
// key it adds must sign its requests, the key's view names the algorithm and never the
// secret, and a requirement of the wrong shape is a 400. The config's check takes the same
// schema as control.yaml's.
import request from 'supertest';
import { readSpecFile, CONTROL_SPEC_PATH } from '../../lib/openapi/load-spec';
import { SIGNING_REQUIREMENT_SCHEMA } from '../../mock/domain/auth/signing/policy';
import { buildConfig } from '../../mock/config/config';
import { signRequest } from '../../contracts/lib/signing';
import { SPEC, T0, bearer, testMock } from '../helpers/fixtures';
import { specStatus } from '../helpers/expect-response';
import { controlProblems } from '../helpers/spec-check';

const SECRET = Buffer.from('a secret set through the control api').toString('base64');
/** An Ed25519 private key (PKCS#8 PEM), a fixture: what a user might paste where the public key goes. */
const PRIVATE_PEM = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----';

describe('signing requirements through POST /_mock/keys', () => {
  it('adds a key that must sign, shown with its algorithm and not its secret', async () => {
    const mock = testMock();
    const added = await request(mock.app).post('/_mock/keys').send({ account_id: 'acct_developer', name: 'signed', permissions: ['read'], signing: { alg: 'hmac-sha256', secret: SECRET } });
    expect(added.status).toBe(201);
    expect(controlProblems('addMockKey', added)).toEqual([]);
    expect(added.body.signing).toEqual({ alg: 'hmac-sha256' });
    expect(added.text).not.toContain(SECRET);
    const key: string = added.body.key;

    const unsigned = await request(mock.app).get('/v1/scans').set(bearer(key)).expect(specStatus(401));
    expect(unsigned.body.error.details.reason).toBe('signature_missing');

    const url = `http://${'127.0.0.1'}/v1/scans`;
    const headers = { Authorization: `Bearer ${key}`, Host: '127.0.0.1' };
    const signed = signRequest({ keyId: added.body.id, alg: 'hmac-sha256', secret: SECRET }, 'GET', url, headers, undefined, { created: Math.floor(T0 / 1000) });
    await request(mock.app).get('/v1/scans').set(headers).set(signed).expect(specStatus(200));
  });

  it('refuses a requirement of the wrong shape, or a public key that is not Ed25519, with 400', async () => {
    const mock = testMock();
    const res = await request(mock.app).post('/_mock/keys').send({ account_id: 'acct_developer', name: 'x', permissions: [], signing: { alg: 'ed25519', secret: SECRET } });
    expect(res.status).toBe(400);
    expect(controlProblems('addMockKey', res)).toEqual([]);
    const garbage = await request(mock.app).post('/_mock/keys').send({ account_id: 'acct_developer', name: 'x', permissions: [], signing: { alg: 'ed25519', public_key: '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----' } });
    expect(garbage.status).toBe(400);
    expect(controlProblems('addMockKey', garbage)).toEqual([]);
    expect(garbage.body.error.details.parameter).toBe('signing.public_key');
  });

  it.each([
    { written: 'an algorithm the spec does not have', signing: { alg: 'rsa-pss-sha512', secret: SECRET }, parameter: 'signing.alg', message: /"signing\.alg" must be one of hmac-sha256, ed25519$/ },
    { written: 'an algorithm in the wrong case', signing: { alg: 'HMAC-SHA256', secret: SECRET }, parameter: 'signing.alg', message: /"signing\.alg" must be one of hmac-sha256, ed25519$/ },
    { written: 'no algorithm', signing: { secret: SECRET }, parameter: 'signing.alg', message: /"signing\.alg" is required: one of hmac-sha256, ed25519$/ },
    { written: 'an Ed25519 private key given as public_key', signing: { alg: 'ed25519', public_key: PRIVATE_PEM }, parameter: 'signing.public_key', message: /"signing\.public_key" must match pattern .*: an Ed25519 public key as SPKI PEM/ },
    { written: 'a secret for an Ed25519 key', signing: { alg: 'ed25519', secret: SECRET }, parameter: 'signing.public_key', message: /"signing\.public_key" is required$/ },
    { written: 'an HMAC secret too short', signing: { alg: 'hmac-sha256', secret: 'c2hvcnQ=' }, parameter: 'signing.secret', message: /"signing\.secret" must NOT have fewer than 24 characters$/ },
  ])('answers $written with a 400 naming $parameter', async ({ signing, parameter, message }) => {
    const mock = testMock();
    const res = await request(mock.app).post('/_mock/keys').send({ account_id: 'acct_developer', name: 'x', permissions: [], signing });
    expect(res.status).toBe(400);
    expect(controlProblems('addMockKey', res)).toEqual([]);
    expect(res.body.error.details.parameter).toBe(parameter);
    expect(res.body.error.message).toMatch(message);
    expect(res.text).not.toContain(SECRET);
    expect(res.text).not.toContain('MC4CAQAwBQYDK2VwBCIEI');
    expect(mock.state.keys.keysOf('acct_developer').some((k) => k.name === 'x')).toBe(false);
  });

  it("checks config keys[].signing with control.yaml's SigningRequirement, naming the field", () => {
    const control = readSpecFile(CONTROL_SPEC_PATH) as { components: { schemas: Record<string, unknown> } };
    const { description: _d, ...schema } = control.components.schemas.SigningRequirement as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(SIGNING_REQUIREMENT_SCHEMA))).toEqual(schema);
    const key = { id: 'key_s', name: 's', secret: 'sk_test_signedconfig_000000000000001', account_id: 'acct_developer', permissions: ['read'] };
    expect(() => buildConfig(SPEC, { keys: [{ ...key, signing: { alg: 'hmac-sha256' } }] })).toThrow(/keys\[0\]\.signing/);
    const notEd = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqIVYZVLCrPZHGHjP17CTW0/+D9Lf\nw0EkjqF7xB4FivAxzic30tMM4GF+hR6Dxh71Z50VGGdldkkDXZCnTNnoXQ==\n-----END PUBLIC KEY-----';
    expect(() => buildConfig(SPEC, { keys: [{ ...key, signing: { alg: 'ed25519', public_key: notEd } }] })).toThrow(/keys\[0\]\.signing\.public_key: is not an Ed25519 public key/);
  });
});
