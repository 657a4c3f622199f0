// The one view of an API key: what the API shows (never a secret). The control API's view
// of a key is built from it.
import type { Schemas } from '../../spec/types';
import type { KeyRecord, KeyStore } from './key-store';

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function keyView(key: KeyRecord, store: KeyStore, now: number): Schemas['ApiKey'] {
  const account = store.getAccount(key.accountId)!;
  return {
    id: key.id,
    object: 'api_key',
    name: key.name,
    mode: key.mode,
    permissions: [...key.permissions] as Schemas['Permission'][],
    plan: account.plan as Schemas['PlanId'],
    account_id: key.accountId,
    created_at: iso(key.createdAt)!,
    expires_at: iso(key.expiresAt),
    last4: key.last4,
    status: store.status(key, now),
  };
}
