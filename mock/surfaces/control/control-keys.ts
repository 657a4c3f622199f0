// /_mock/keys: every key of every account, as the mock treats it now (its state, a
// fixture's public secret), and adding, rotating and revoking keys by the domain's rules
// (domain/auth/key-lifecycle.ts). A secret is in the response that made it, then only
// its hash is kept.
import type { Request, Router } from 'express';
import type { KeyRecord } from '../../domain/auth/key-store';
import type { SigningRequirement } from '../../domain/auth/signing/policy';
import { isEd25519PublicKey } from '../../domain/auth/signing/crypto';
import { signingRequirementProblem, type SigningRequirementSchema } from '../../domain/auth/signing/requirement-problem';
import { failureToError } from '../../stages/invalid';
import { modeOf } from '../../domain/auth/secrets';
import { mockKeyState } from '../../domain/auth/key-lifecycle';
import { keyView } from '../../domain/auth/key-view';
import { ApiError } from '../../errors/api-error';
import { sendJson } from '../../http/render';
import { parseDateTime } from '../../../lib/date-time';
import { schemaOf, type ControlSpec } from './control-spec';
import type { MockCore } from '../../core';

type KeyDeps = Pick<MockCore, 'clock' | 'state' | 'config' | 'spec' | 'mutations' | 'sharedJournal'>;

interface MockKeyCreate {
  id?: string;
  account_id: string;
  name: string;
  permissions: string[];
  secret?: string;
  mode?: 'test' | 'live';
  expires_at?: string | null;
  status?: 'active' | 'revoked';
  signing?: SigningRequirement;
}

/** Adds the keys' routes to the control router. */
export function keyRoutes(router: Router, { clock, state, config, spec: publicSpec, mutations, sharedJournal }: KeyDeps, spec: ControlSpec): void {
  const keyModes = publicSpec.vocabulary.keyModes;
  // The only secrets the control API lists: the public fixtures of the default config.
  const shownSecrets = new Map(config.keys.flatMap((k) => (k.well_known_secret ? [[k.id, k.well_known_secret] as const] : [])));

  /** The control API's MockKey: the API's view of the key, with the fixture's secret and the mock's state. */
  function mockKeyView(key: KeyRecord, secret?: string) {
    const now = clock.now();
    const view = keyView(key, state.keys, now);
    return {
      id: view.id,
      name: view.name,
      key: secret ?? shownSecrets.get(key.id) ?? null,
      masked: `${keyModes[view.mode]}…${view.last4}`,
      permissions: view.permissions,
      plan: view.plan,
      account_id: view.account_id,
      mode: view.mode,
      state: mockKeyState(key, state.keys, now, config.allow_live_keys),
      expires_at: view.expires_at,
      created_at: view.created_at,
      last_used_at: key.lastUsedAt === undefined ? null : new Date(key.lastUsedAt).toISOString(),
      // The requirement's algorithm only: its secret is never shown.
      ...(key.signing ? { signing: { alg: key.signing.alg } } : {}),
    };
  }

  /**
   * addMockKey's body, validated against MockKeyCreate. A failure inside `signing` is re-read
   * against the SigningRequirement branch its `alg` means, so the 400 names that field.
   */
  async function createBody(req: Request): Promise<MockKeyCreate> {
    const value = await spec.unvalidatedBody(req, 'addMockKey');
    const failures = spec.validate(schemaOf('MockKeyCreate'), value);
    if (failures.length === 0) return value as MockKeyCreate;
    const signing = (value as { signing?: unknown }).signing;
    if (failures[0].instancePath.startsWith('/signing')) {
      const pointer = schemaOf('SigningRequirement');
      const schema = spec.schema('SigningRequirement') as unknown as SigningRequirementSchema;
      const problem = signingRequirementProblem(signing, schema, (i, v) => spec.validate(`${pointer}/oneOf/${i}`, v), pointer);
      if (problem) {
        const parameter = ['signing', ...problem.path].join('.');
        throw ApiError.invalidRequest(`Body field "${parameter}" ${problem.reason}`, { parameter, location: 'body', schema_path: problem.schemaPath ?? pointer });
      }
    }
    throw failureToError('body', 'body', failures[0]);
  }

  /** The body's mistakes that are the request's (a 400), before the domain's rules (a 409). */
  function checkCreate(b: MockKeyCreate): void {
    if (b.signing?.alg === 'ed25519' && !isEd25519PublicKey(b.signing.public_key)) {
      throw ApiError.invalidRequest('Body field "signing.public_key" is not an Ed25519 public key (SPKI PEM)', { parameter: 'signing.public_key', location: 'body', schema_path: `${schemaOf('SigningRequirement')}/oneOf/1/properties/public_key` });
    }
    if (!state.keys.getAccount(b.account_id)) {
      throw ApiError.invalidRequest('Body field "account_id" names no account', { parameter: 'account_id', location: 'body', schema_path: `${schemaOf('MockKeyCreate')}/properties/account_id` });
    }
    // The secret's prefix tells its mode (ApiKeySecret); a mode that says otherwise is a
    // mistake to name, not one to paper over by storing a key of the other mode.
    if (b.secret !== undefined && b.mode !== undefined && modeOf(b.secret, keyModes) !== b.mode) {
      throw ApiError.invalidRequest(`Body field "mode" is ${b.mode}, but the secret is a ${modeOf(b.secret, keyModes)} key (${keyModes[modeOf(b.secret, keyModes)]}...); leave "mode" out or make them agree`, {
        parameter: 'mode',
        location: 'body',
        schema_path: `${schemaOf('MockKeyCreate')}/properties/mode`,
        reason: 'mode_mismatch',
      });
    }
  }

  const findKey = (id: string) => {
    const key = state.keys.getKey(id);
    if (!key) throw ApiError.notFound('api_key', id);
    return key;
  };

  router.get('/keys', async (_req, res) => {
    const keys = state.keys.accounts().flatMap((a) => state.keys.keysOf(a.id));
    // Instances that share a store: the last use any of them saw.
    const uses = await sharedJournal?.lastUsed();
    for (const key of keys) {
      const used = uses?.get(key.id);
      if (used !== undefined && (key.lastUsedAt === undefined || used > key.lastUsedAt)) key.lastUsedAt = used;
    }
    sendJson(res, 200, { data: keys.map((k) => mockKeyView(k)) });
  });
  router.post('/keys', async (req, res) => {
    const b = await createBody(req);
    checkCreate(b);
    const input = { id: b.id, accountId: b.account_id, name: b.name, permissions: b.permissions, secret: b.secret, mode: b.mode, expiresAt: b.expires_at ? parseDateTime(b.expires_at)! : null, revoked: b.status === 'revoked', signing: b.signing };
    const { key, secret } = await mutations.addKey(input);
    // The secret is in this response only; after it the mock holds just its hash.
    sendJson(res, 201, mockKeyView(key, secret));
  });
  router.post('/keys/:key_id/rotate', async (req, res) => {
    const b = await spec.requiredBody<{ grace_seconds: number }>(req, 'rotateMockKey');
    const key = findKey(String(req.params.key_id));
    const rotated = await mutations.rotateKey(key.id, b.grace_seconds);
    // A rotated fixture's old secret is no longer the one to show.
    shownSecrets.delete(key.id);
    sendJson(res, 200, mockKeyView(rotated.key, rotated.secret));
  });
  router.post('/keys/:key_id/revoke', async (req, res) => {
    await spec.body<Record<string, never>>(req, 'revokeMockKey');
    const key = findKey(String(req.params.key_id));
    sendJson(res, 200, mockKeyView(await mutations.revokeKey(key.id)));
  });
}
