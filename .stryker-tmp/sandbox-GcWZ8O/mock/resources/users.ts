// @ts-nocheck
// The users of every account. Emails are unique within an account, compared without case.
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
export interface UserRecord {
  id: string;
  accountId: string;
  email: string;
  name: string;
  role: string;
  createdAt: number;
  updatedAt: number;
}
export interface UserView {
  id: string;
  object: 'user';
  email: string;
  name: string;
  role: string;
  created_at: string;
  updated_at: string;
}
export function userView(u: UserRecord): UserView {
  if (stryMutAct_9fa48("1274")) {
    {}
  } else {
    stryCov_9fa48("1274");
    return stryMutAct_9fa48("1275") ? {} : (stryCov_9fa48("1275"), {
      id: u.id,
      object: stryMutAct_9fa48("1276") ? "" : (stryCov_9fa48("1276"), 'user'),
      email: u.email,
      name: u.name,
      role: u.role,
      created_at: new Date(u.createdAt).toISOString(),
      updated_at: new Date(u.updatedAt).toISOString()
    });
  }
}
export function createUserStore() {
  if (stryMutAct_9fa48("1277")) {
    {}
  } else {
    stryCov_9fa48("1277");
    const users = new Map<string, UserRecord>();
    const byAccount = new Map<string, UserRecord[]>();
    return stryMutAct_9fa48("1278") ? {} : (stryCov_9fa48("1278"), {
      add(user: UserRecord) {
        if (stryMutAct_9fa48("1279")) {
          {}
        } else {
          stryCov_9fa48("1279");
          users.set(user.id, user);
          const list = stryMutAct_9fa48("1280") ? byAccount.get(user.accountId) && [] : (stryCov_9fa48("1280"), byAccount.get(user.accountId) ?? (stryMutAct_9fa48("1281") ? ["Stryker was here"] : (stryCov_9fa48("1281"), [])));
          list.push(user); // oldest first: creation order
          byAccount.set(user.accountId, list);
        }
      },
      get(accountId: string, id: string): UserRecord | undefined {
        if (stryMutAct_9fa48("1282")) {
          {}
        } else {
          stryCov_9fa48("1282");
          const u = users.get(id);
          return (stryMutAct_9fa48("1285") ? u || u.accountId === accountId : stryMutAct_9fa48("1284") ? false : stryMutAct_9fa48("1283") ? true : (stryCov_9fa48("1283", "1284", "1285"), u && (stryMutAct_9fa48("1287") ? u.accountId !== accountId : stryMutAct_9fa48("1286") ? true : (stryCov_9fa48("1286", "1287"), u.accountId === accountId)))) ? u : undefined;
        }
      },
      listOf: stryMutAct_9fa48("1288") ? () => undefined : (stryCov_9fa48("1288"), (accountId: string): readonly UserRecord[] => stryMutAct_9fa48("1289") ? byAccount.get(accountId) && [] : (stryCov_9fa48("1289"), byAccount.get(accountId) ?? (stryMutAct_9fa48("1290") ? ["Stryker was here"] : (stryCov_9fa48("1290"), [])))),
      /** The user of the account with this email, other than `exceptId`. */
      findByEmail(accountId: string, email: string, exceptId?: string): UserRecord | undefined {
        if (stryMutAct_9fa48("1291")) {
          {}
        } else {
          stryCov_9fa48("1291");
          const wanted = stryMutAct_9fa48("1292") ? email.toUpperCase() : (stryCov_9fa48("1292"), email.toLowerCase());
          return (stryMutAct_9fa48("1293") ? byAccount.get(accountId) && [] : (stryCov_9fa48("1293"), byAccount.get(accountId) ?? (stryMutAct_9fa48("1294") ? ["Stryker was here"] : (stryCov_9fa48("1294"), [])))).find(stryMutAct_9fa48("1295") ? () => undefined : (stryCov_9fa48("1295"), u => stryMutAct_9fa48("1298") ? u.email.toLowerCase() === wanted || u.id !== exceptId : stryMutAct_9fa48("1297") ? false : stryMutAct_9fa48("1296") ? true : (stryCov_9fa48("1296", "1297", "1298"), (stryMutAct_9fa48("1300") ? u.email.toLowerCase() !== wanted : stryMutAct_9fa48("1299") ? true : (stryCov_9fa48("1299", "1300"), (stryMutAct_9fa48("1301") ? u.email.toUpperCase() : (stryCov_9fa48("1301"), u.email.toLowerCase())) === wanted)) && (stryMutAct_9fa48("1303") ? u.id === exceptId : stryMutAct_9fa48("1302") ? true : (stryCov_9fa48("1302", "1303"), u.id !== exceptId)))));
        }
      },
      remove(accountId: string, id: string): boolean {
        if (stryMutAct_9fa48("1304")) {
          {}
        } else {
          stryCov_9fa48("1304");
          const u = this.get(accountId, id);
          if (stryMutAct_9fa48("1307") ? false : stryMutAct_9fa48("1306") ? true : stryMutAct_9fa48("1305") ? u : (stryCov_9fa48("1305", "1306", "1307"), !u)) return stryMutAct_9fa48("1308") ? true : (stryCov_9fa48("1308"), false);
          users.delete(id);
          const list = byAccount.get(accountId)!;
          list.splice(list.indexOf(u), 1);
          return stryMutAct_9fa48("1309") ? false : (stryCov_9fa48("1309"), true);
        }
      },
      clear() {
        if (stryMutAct_9fa48("1310")) {
          {}
        } else {
          stryCov_9fa48("1310");
          users.clear();
          byAccount.clear();
        }
      }
    });
  }
}
export type UserStore = ReturnType<typeof createUserStore>;