// @ts-nocheck
// API keys of the caller's account: list, create, get, rotate, revoke; and whoami.
import type { KeyRecord, KeyStore } from '../auth/key-store';
import { ApiError } from '../errors/api-error';
import { paginate } from '../resources/pagination';
import { parseDateTime } from '../../lib/date-time';
import type { Handler, HandlerContext } from './types';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A key as the API shows it: never a secret. */
export function keyView(key: KeyRecord, store: KeyStore, now: number) {
  const account = store.getAccount(key.accountId)!;
  return {
    id: key.id,
    object: 'api_key' as const,
    name: key.name,
    mode: key.mode,
    permissions: [...key.permissions],
    plan: account.plan,
    account_id: key.accountId,
    created_at: iso(key.createdAt)!,
    expires_at: iso(key.expiresAt),
    last4: key.last4,
    status: store.status(key, now),
  };
}

function findKey(ctx: HandlerContext): KeyRecord {
  const key = ctx.state.keys.getKey(ctx.params.key_id);
  if (!key || key.accountId !== ctx.principal.account.id) throw ApiError.notFound('api_key', ctx.params.key_id);
  return key;
}

export const listApiKeys: Handler = (ctx) => {
  const { keys } = ctx.state;
  return {
    status: 200,
    body: paginate(
      keys.keysOf(ctx.principal.account.id),
      ctx.query.limit as number,
      ctx.query.cursor as string | undefined,
      (k) => keyView(k, keys, ctx.now),
      ctx.op.parameters.find((p) => p.name === 'cursor')!.schemaPointer,
      ctx.op.operationId,
    ),
  };
};

export const createApiKey: Handler = (ctx) => {
  const body = ctx.body as { name: string; permissions: string[]; expires_at?: string | null };
  if (ctx.state.keys.keysOf(ctx.principal.account.id).length >= ctx.state.limits.keysPerAccount) {
    throw ApiError.conflict(`The account has ${ctx.state.limits.keysPerAccount} API keys, the most this mock keeps`, { reason: 'limit_reached', resource: 'api_key' });
  }
  const mode = ctx.principal.key.mode;
  const secret = ctx.state.ids.secret(mode);
  const key: KeyRecord = {
    id: ctx.state.ids.next('key'),
    name: body.name,
    accountId: ctx.principal.account.id,
    permissions: [...body.permissions],
    mode,
    createdAt: ctx.now,
    // Validated against the spec's date-time format, which only passes instants Date holds.
    expiresAt: body.expires_at ? parseDateTime(body.expires_at)! : null,
    revoked: false,
    last4: secret.slice(-4),
  };
  ctx.state.keys.addKey(key, secret);
  return { status: 201, body: { ...keyView(key, ctx.state.keys, ctx.now), secret } };
};

export const getApiKey: Handler = (ctx) => ({ status: 200, body: keyView(findKey(ctx), ctx.state.keys, ctx.now) });

export const rotateApiKey: Handler = (ctx) => {
  const key = findKey(ctx);
  const { keys } = ctx.state;
  const status = keys.status(key, ctx.now);
  if (status !== 'active') {
    throw ApiError.conflict(`A ${status} key cannot be rotated`, {
      reason: status === 'revoked' ? 'key_revoked' : 'key_expired',
      resource: 'api_key',
      id: key.id,
    });
  }
  const graceSeconds = (ctx.body as { previous_secret_expires_in_seconds?: number } | undefined)?.previous_secret_expires_in_seconds ?? 0;
  const previousValidUntil = ctx.now + graceSeconds * 1000;
  const secret = ctx.state.ids.secret(key.mode);
  keys.rotate(key.id, secret, previousValidUntil);
  return {
    status: 200,
    body: { ...keyView(key, keys, ctx.now), secret, previous_secret_expires_at: iso(previousValidUntil) },
  };
};

export const revokeApiKey: Handler = (ctx) => {
  const key = findKey(ctx);
  if (key.revoked) throw ApiError.conflict('The key is already revoked', { reason: 'key_revoked', resource: 'api_key', id: key.id });
  ctx.state.keys.revoke(key.id);
  return { status: 200, body: keyView(key, ctx.state.keys, ctx.now) };
};

export const getWhoami: Handler = (ctx) => {
  const { key, account } = ctx.principal;
  return {
    status: 200,
    body: {
      object: 'whoami',
      key: {
        id: key.id,
        name: key.name,
        mode: key.mode,
        permissions: [...key.permissions],
        expires_at: iso(key.expiresAt),
        last4: key.last4,
      },
      account: { id: account.id, name: account.name, plan: { ...ctx.plan } },
      rate_limit: { limit: ctx.rateLimit.limit, remaining: ctx.rateLimit.remaining, reset: ctx.rateLimit.reset },
    },
  };
};
