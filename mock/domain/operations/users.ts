// Users of the caller's account: list, create, get, update, delete.
import { ApiError } from '../../errors/api-error';
import { userView } from '../resources/users';
import { pageOf } from './list';
import type { Handler, HandlerContext } from './types';

function findUser(ctx: HandlerContext<'getUser' | 'updateUser' | 'deleteUser'>) {
  const user = ctx.state.users.get(ctx.principal.account.id, ctx.params.user_id);
  if (!user) throw ApiError.notFound('user', ctx.params.user_id);
  return user;
}

function assertEmailFree(ctx: HandlerContext<'createUser' | 'updateUser'>, email: string, exceptId?: string) {
  if (ctx.state.users.findByEmail(ctx.principal.account.id, email, exceptId)) {
    throw ApiError.conflict('A user with this email already exists', { reason: 'email_taken', resource: 'user' });
  }
}

export const listUsers: Handler<'listUsers'> = (ctx) => pageOf(ctx, ctx.state.users.listOf(ctx.principal.account.id), userView);

export const createUser: Handler<'createUser'> = (ctx) => {
  const { body } = ctx;
  assertEmailFree(ctx, body.email);
  if (ctx.state.users.listOf(ctx.principal.account.id).length >= ctx.state.limits.usersPerAccount) {
    throw ApiError.conflict(`The account has ${ctx.state.limits.usersPerAccount} users, the most this mock keeps`, { reason: 'limit_reached', resource: 'user' });
  }
  const user = {
    id: ctx.state.ids.next('user'),
    accountId: ctx.principal.account.id,
    email: body.email,
    name: body.name,
    role: body.role,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.state.users.add(user);
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
  ctx.state.users.remove(ctx.principal.account.id, ctx.params.user_id);
  return undefined;
};
