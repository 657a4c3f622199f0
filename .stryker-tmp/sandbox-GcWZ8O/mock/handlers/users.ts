// @ts-nocheck
// Users of the caller's account: list, create, get, update, delete.
import { ApiError } from '../errors/api-error';
import { paginate } from '../resources/pagination';
import { userView } from '../resources/users';
import type { Handler, HandlerContext } from './types';

function findUser(ctx: HandlerContext) {
  const user = ctx.state.users.get(ctx.principal.account.id, ctx.params.user_id);
  if (!user) throw ApiError.notFound('user', ctx.params.user_id);
  return user;
}

function assertEmailFree(ctx: HandlerContext, email: string, exceptId?: string) {
  if (ctx.state.users.findByEmail(ctx.principal.account.id, email, exceptId)) {
    throw ApiError.conflict('A user with this email already exists', { reason: 'email_taken', resource: 'user' });
  }
}

export const listUsers: Handler = (ctx) => ({
  status: 200,
  body: paginate(
    ctx.state.users.listOf(ctx.principal.account.id),
    ctx.query.limit as number,
    ctx.query.cursor as string | undefined,
    userView,
    ctx.op.parameters.find((p) => p.name === 'cursor')!.schemaPointer,
    ctx.op.operationId,
  ),
});

export const createUser: Handler = (ctx) => {
  const body = ctx.body as { email: string; name: string; role: string };
  assertEmailFree(ctx, body.email);
  if (ctx.state.users.listOf(ctx.principal.account.id).length >= ctx.state.limits.usersPerAccount) {
    throw ApiError.conflict(`The account has ${ctx.state.limits.usersPerAccount} users, the most this mock keeps`, { reason: 'limit_reached', resource: 'user' });
  }
  const user = {
    id: ctx.state.ids.next('usr'),
    accountId: ctx.principal.account.id,
    email: body.email,
    name: body.name,
    role: body.role,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.state.users.add(user);
  return { status: 201, body: userView(user) };
};

export const getUser: Handler = (ctx) => ({ status: 200, body: userView(findUser(ctx)) });

export const updateUser: Handler = (ctx) => {
  const user = findUser(ctx);
  const body = ctx.body as { email?: string; name?: string; role?: string };
  if (body.email !== undefined) assertEmailFree(ctx, body.email, user.id);
  if (body.email !== undefined) user.email = body.email;
  if (body.name !== undefined) user.name = body.name;
  if (body.role !== undefined) user.role = body.role;
  user.updatedAt = ctx.now;
  return { status: 200, body: userView(user) };
};

export const deleteUser: Handler = (ctx) => {
  findUser(ctx);
  ctx.state.users.remove(ctx.principal.account.id, ctx.params.user_id);
  return { status: 204 };
};
