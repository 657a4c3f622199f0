// Users of the caller's account: list, create, get, update, delete.
import { ApiError } from '../../errors/api-error';
import { userView } from '../resources/users';
import { pageOf } from './list';
import type { Handler, HandlerContext } from './types';

function findUser(ctx: Pick<HandlerContext<'getUser'>, 'stores' | 'principal' | 'params'>) {
  const user = ctx.stores.users.get(ctx.principal.account.id, ctx.params.user_id);
  if (!user) throw ApiError.notFound('user', ctx.params.user_id);
  return user;
}

function assertEmailFree(ctx: Pick<HandlerContext<'getUser'>, 'stores' | 'principal'>, email: string, exceptId?: string) {
  if (ctx.stores.users.findByEmail(ctx.principal.account.id, email, exceptId)) {
    throw ApiError.conflict('A user with this email already exists', { reason: 'email_taken', resource: 'user' });
  }
}

export const listUsers: Handler<'listUsers'> = (ctx) => pageOf(ctx, ctx.stores.users.listOf(ctx.principal.account.id), userView);

export const createUser: Handler<'createUser'> = (ctx) => {
  const { body } = ctx;
  assertEmailFree(ctx, body.email);
  if (ctx.stores.users.listOf(ctx.principal.account.id).length >= ctx.stores.limits.usersPerAccount) {
    throw ApiError.conflict(`The account has ${ctx.stores.limits.usersPerAccount} users, the most this mock keeps`, { reason: 'limit_reached', resource: 'user' });
  }
  const user = {
    id: ctx.stores.ids.next('user'),
    accountId: ctx.principal.account.id,
    email: body.email,
    name: body.name,
    role: body.role,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.stores.users.add(user);
  return userView(user);
};

export const getUser: Handler<'getUser'> = (ctx) => userView(findUser(ctx));

export const updateUser: Handler<'updateUser'> = (ctx) => {
  const user = findUser(ctx);
  const { body } = ctx;
  if (body.email !== undefined) assertEmailFree(ctx, body.email, user.id);
  if (body.email !== undefined) user.email = body.email;
  if (body.name !== undefined) user.name = body.name;
  if (body.role !== undefined) user.role = body.role;
  user.updatedAt = ctx.now;
  return userView(user);
};

export const deleteUser: Handler<'deleteUser'> = (ctx) => {
  findUser(ctx);
  ctx.stores.users.remove(ctx.principal.account.id, ctx.params.user_id);
  return undefined;
};
