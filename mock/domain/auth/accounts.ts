// The rule of adding an account: an id no account has, and room for it (config
// max_accounts counts every account, the configured ones included), as users and keys have
// caps of their own.
import { ApiError } from '../../errors/api-error';
import type { Account, KeyStore } from './key-store';

/** Adds `account`, or throws the 409 that says why not. */
export function addAccount(keys: KeyStore, account: Account, maxAccounts: number): void {
  if (keys.getAccount(account.id)) throw ApiError.conflict(`An account with id ${account.id} exists`, { reason: 'already_exists', resource: 'account', id: account.id });
  if (keys.accounts().length >= maxAccounts) {
    throw ApiError.conflict(`The mock has ${maxAccounts} accounts, the most it keeps`, { reason: 'limit_reached', resource: 'account' });
  }
  keys.addAccount({ ...account });
}
