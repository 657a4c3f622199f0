// The users of every account. Emails are unique within an account, compared without case.
import type { Schemas } from '../../spec/types';

export interface UserRecord {
  id: string;
  accountId: string;
  email: string;
  name: string;
  role: Schemas['UserRole'];
  createdAt: number;
  updatedAt: number;
}

/** The spec's User. */
export type UserView = Schemas['User'];

export function userView(u: UserRecord): UserView {
  return {
    id: u.id,
    object: 'user',
    email: u.email,
    name: u.name,
    role: u.role,
    created_at: new Date(u.createdAt).toISOString(),
    updated_at: new Date(u.updatedAt).toISOString(),
  };
}

export function createUserStore() {
  const users = new Map<string, UserRecord>();
  const byAccount = new Map<string, UserRecord[]>();
  return {
    add(user: UserRecord) {
      users.set(user.id, user);
      const list = byAccount.get(user.accountId) ?? [];
      list.push(user); // oldest first: creation order
      byAccount.set(user.accountId, list);
    },
    get(accountId: string, id: string): UserRecord | undefined {
      const u = users.get(id);
      return u && u.accountId === accountId ? u : undefined;
    },
    listOf: (accountId: string): readonly UserRecord[] => byAccount.get(accountId) ?? [],
    /** The user of the account with this email, other than `exceptId`. */
    findByEmail(accountId: string, email: string, exceptId?: string): UserRecord | undefined {
      const wanted = email.toLowerCase();
      return (byAccount.get(accountId) ?? []).find((u) => u.email.toLowerCase() === wanted && u.id !== exceptId);
    },
    remove(accountId: string, id: string): boolean {
      const u = this.get(accountId, id);
      if (!u) return false;
      users.delete(id);
      const list = byAccount.get(accountId)!;
      list.splice(list.indexOf(u), 1);
      return true;
    },
    clear() {
      users.clear();
      byAccount.clear();
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;
