// API keys of the caller's account: list, create, get, rotate, revoke; and whoami.
import type { KeyRecord } from '../auth/key-store';
import { revokeKey, rotateKey } from '../auth/key-lifecycle';
import { iso, keyView } from '../auth/key-view';
import { ApiError } from '../../errors/api-error';
import { parseDateTime } from '../../../lib/date-time';
import { pageOf } from './list';
import type { Handler, HandlerContext } from './types';

function findKey(ctx: Pick<HandlerContext<'getApiKey'>, 'stores' | 'principal' | 'params'>): KeyRecord {
  const key = ctx.stores.keys.getKey(ctx.params.key_id);
  if (!key || key.accountId !== ctx.principal.account.id) throw ApiError.notFound('api_key', ctx.params.key_id);
  return key;
}

export const listApiKeys: Handler<'listApiKeys'> = (ctx) => {
  const { keys } = ctx.stores;
  return pageOf(ctx, keys.keysOf(ctx.principal.account.id), (k) => keyView(k, keys, ctx.now));
};

export const createApiKey: Handler<'createApiKey'> = (ctx) => {
  const { body } = ctx;
  if (ctx.stores.keys.keysOf(ctx.principal.account.id).length >= ctx.stores.limits.keysPerAccount) {
    throw ApiError.conflict(`The account has ${ctx.stores.limits.keysPerAccount} API keys, the most this mock keeps`, { reason: 'limit_reached', resource: 'api_key' });
  }
  const mode = ctx.principal.key.mode;
  const secret = ctx.stores.ids.secret(mode);
  const key: KeyRecord = {
    id: ctx.stores.ids.next('api_key'),
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
  ctx.stores.keys.addKey(key, secret);
  return { ...keyView(key, ctx.stores.keys, ctx.now), secret };
};

export const getApiKey: Handler<'getApiKey'> = (ctx) => keyView(findKey(ctx), ctx.stores.keys, ctx.now);

export const rotateApiKey: Handler<'rotateApiKey'> = (ctx) => {
  const key = findKey(ctx);
  const previousValidUntil = ctx.now + (ctx.body?.previous_secret_expires_in_seconds ?? 0) * 1000;
  const secret = rotateKey(ctx.stores.keys, ctx.stores.ids, key, ctx.now, previousValidUntil);
  return { ...keyView(key, ctx.stores.keys, ctx.now), secret, previous_secret_expires_at: iso(previousValidUntil)! };
};

export const revokeApiKey: Handler<'revokeApiKey'> = (ctx) => {
  const key = findKey(ctx);
  revokeKey(ctx.stores.keys, key);
  return keyView(key, ctx.stores.keys, ctx.now);
};

export const getWhoami: Handler<'getWhoami'> = (ctx) => {
  const { key, account } = ctx.principal;
  const view = keyView(key, ctx.stores.keys, ctx.now);
  return {
    object: 'whoami',
    key: { id: view.id, name: view.name, mode: view.mode, permissions: view.permissions, expires_at: view.expires_at, last4: view.last4 },
    account: { id: account.id, name: account.name, plan: { ...ctx.plan, id: view.plan } },
    rate_limit: { limit: ctx.rateLimit.limit, remaining: ctx.rateLimit.remaining, reset: ctx.rateLimit.reset },
  };
};
