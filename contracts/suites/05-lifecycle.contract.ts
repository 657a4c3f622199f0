// Lifecycles that change state (only with --allow-writes, never with a live key unless
// --allow-live): create scan -> get -> list -> cancel; idempotent replay; create key -> use
// -> rotate -> old key until its expiry -> revoke -> 401; users CRUD; 404, 409, 413, 415.
import { expectAuthError, expectStatus, fail } from '../lib/checks';
import type { Harness, Precondition } from '../lib/harness';

/** The conduct rules of the mock's report this suite breaks by design (docs/harness.md#the-conduct-report). */
export const conductBreaks = {
  uncached_repeat: "it reads GET /whoami with a rotated key's new and old secrets (one key id), each answer checked whole",
};

export function register(h: Harness): void {
const { call, can, isLive, itWhen, operation, settings, keyMissing, keyOf, describe, unique } = h;
const writes: Precondition = [settings.allowWrites, 'changes state: pass --allow-writes'];
const stateful = can('state');
const notLive = (role: 'write' | 'admin'): Precondition => [
  !isLive(keyOf(role)) || settings.allowLive,
  `the ${role} key is a live key: pass --allow-live to change live data`,
];
const run = (role: 'write' | 'admin') => itWhen([writes, stateful, keyMissing(role), notLive(role), ...(role === 'write' ? [keyMissing('read')] : [])]);

describe('scans', () => {
  run('write')('creates a scan that get and list then show, and cancels it', async () => {
    const target = `ct-${unique()}.example`;
    const created = await call(operation('createScan'), { key: keyOf('write'), auth: 'valid', body: { target, scan_type: 'full' } });
    expectStatus(operation('createScan'), created, 201, 'a valid scan');
    const scan = created.body as { id: string; target: string; status: string };
    if (scan.target !== target || scan.status !== 'queued') fail('lifecycle', operation('createScan'), created, `expected a queued scan of ${target}`);

    const got = await call(operation('getScan'), { key: keyOf('read'), auth: 'valid', params: { scan_id: scan.id } });
    expectStatus(operation('getScan'), got, 200, 'the scan just created');
    const list = await call(operation('listScans'), { key: keyOf('read'), auth: 'valid', query: { limit: '100' } });
    if (!(list.body as { data: Array<{ id: string }> }).data.some((s) => s.id === scan.id)) fail('lifecycle', operation('listScans'), list, `the new scan ${scan.id} is not listed`);

    const cancelled = await call(operation('cancelScan'), { key: keyOf('write'), auth: 'valid', params: { scan_id: scan.id } });
    expectStatus(operation('cancelScan'), cancelled, 200, 'a full scan just queued');
    const again = await call(operation('cancelScan'), { key: keyOf('write'), auth: 'valid', params: { scan_id: scan.id } });
    expectStatus(operation('cancelScan'), again, 409, 'a cancelled scan cannot be cancelled again');
  });

  run('write')('replays a create with the same Idempotency-Key and body, and refuses another body with 409', async () => {
    const op = operation('createScan');
    const key = `ct-${unique()}`;
    const body = { target: `idem-${unique()}.example`, scan_type: 'quick' };
    const first = await call(op, { key: keyOf('write'), auth: 'valid', body, headers: { 'Idempotency-Key': key } });
    expectStatus(op, first, 201, 'the first create');
    const replay = await call(op, { key: keyOf('write'), auth: 'valid', body, headers: { 'Idempotency-Key': key } });
    expectStatus(op, replay, 201, 'a replay');
    if ((replay.body as { id: string }).id !== (first.body as { id: string }).id) fail('idempotency', op, replay, 'a replay created another scan');
    const other = await call(op, { key: keyOf('write'), auth: 'valid', body: { ...body, scan_type: 'full' }, headers: { 'Idempotency-Key': key } });
    expectStatus(op, other, 409, 'the same key with another body');
  });

  run('write')('answers 404 to an unknown scan, 413 to a huge body and 415 to a non-JSON body', async () => {
    const missing = await call(operation('cancelScan'), { key: keyOf('write'), auth: 'valid', params: { scan_id: 'scan_0000000000000000' } });
    expectStatus(operation('cancelScan'), missing, 404, 'no such scan');
    const huge = await call(operation('createScan'), { key: keyOf('write'), auth: 'valid', body: { target: 'x'.repeat(100_000), scan_type: 'quick' } });
    expectStatus(operation('createScan'), huge, 413, 'a body over the limit');
    const text = await call(operation('createScan'), { key: keyOf('write'), auth: 'valid', rawBody: 'target=x', headers: { 'Content-Type': 'text/plain' } });
    expectStatus(operation('createScan'), text, 415, 'a text/plain body');
  });
});

describe('API keys', () => {
  run('admin')('creates a key that works at once, rotates it with a grace period, and revokes it', async () => {
    const created = await call(operation('createApiKey'), { key: keyOf('admin'), auth: 'valid', body: { name: `ct-${unique()}`, permissions: ['read'] } });
    expectStatus(operation('createApiKey'), created, 201, 'a valid key');
    const { id, secret: first } = created.body as { id: string; secret: string };
    const whoami = operation('getWhoami');
    const use = async (secret: string) => call(whoami, { key: secret, auth: 'valid', unchecked: true });

    expectStatus(whoami, await use(first), 200, 'a key just created');
    const fetched = await call(operation('getApiKey'), { key: keyOf('admin'), auth: 'valid', params: { key_id: id } });
    if (JSON.stringify(fetched.body).includes(first)) fail('secret-once', operation('getApiKey'), fetched, 'the secret is shown again');

    const rotated = await call(operation('rotateApiKey'), { key: keyOf('admin'), auth: 'valid', params: { key_id: id }, body: { previous_secret_expires_in_seconds: 3600 } });
    expectStatus(operation('rotateApiKey'), rotated, 200, 'an active key');
    const second = (rotated.body as { secret: string }).secret;
    expectStatus(whoami, await use(second), 200, 'the new secret');
    expectStatus(whoami, await use(first), 200, 'the old secret, within its grace period');

    const again = await call(operation('rotateApiKey'), { key: keyOf('admin'), auth: 'valid', params: { key_id: id }, body: { previous_secret_expires_in_seconds: 0 } });
    const third = (again.body as { secret: string }).secret;
    const ended = await use(second);
    expectStatus(whoami, ended, 401, 'a secret rotated out with no grace period');
    expectAuthError(whoami, ended, { status: 401, reason: 'expired', presented: true });
    expectStatus(whoami, await use(third), 200, 'the newest secret');

    const revoked = await call(operation('revokeApiKey'), { key: keyOf('admin'), auth: 'valid', params: { key_id: id } });
    expectStatus(operation('revokeApiKey'), revoked, 200, 'an active key');
    for (const secret of [first, third]) {
      const res = await use(secret);
      expectStatus(whoami, res, 401, 'a revoked key');
      expectAuthError(whoami, res, { status: 401, reason: 'revoked', presented: true });
    }
    const twice = await call(operation('revokeApiKey'), { key: keyOf('admin'), auth: 'valid', params: { key_id: id } });
    expectStatus(operation('revokeApiKey'), twice, 409, 'a key already revoked');
  });
});

describe('users', () => {
  run('admin')('creates, reads, updates and deletes a user, and refuses a taken email with 409', async () => {
    const email = `ct-${unique()}@example.com`;
    const created = await call(operation('createUser'), { key: keyOf('admin'), auth: 'valid', body: { email, name: 'Contract Test', role: 'viewer' } });
    expectStatus(operation('createUser'), created, 201, 'a new email');
    const id = (created.body as { id: string }).id;
    expectStatus(operation('getUser'), await call(operation('getUser'), { key: keyOf('admin'), auth: 'valid', params: { user_id: id } }), 200, 'the new user');
    const dup = await call(operation('createUser'), { key: keyOf('admin'), auth: 'valid', body: { email, name: 'Again', role: 'viewer' } });
    expectStatus(operation('createUser'), dup, 409, 'the email is taken');
    const updated = await call(operation('updateUser'), { key: keyOf('admin'), auth: 'valid', params: { user_id: id }, body: { role: 'analyst' } });
    expectStatus(operation('updateUser'), updated, 200, 'a role change');
    if ((updated.body as { role: string }).role !== 'analyst') fail('lifecycle', operation('updateUser'), updated, 'the role did not change');
    expectStatus(operation('deleteUser'), await call(operation('deleteUser'), { key: keyOf('admin'), auth: 'valid', params: { user_id: id } }), 204, 'an existing user');
    expectStatus(operation('getUser'), await call(operation('getUser'), { key: keyOf('admin'), auth: 'valid', params: { user_id: id } }), 404, 'a deleted user');
  });
});
}
