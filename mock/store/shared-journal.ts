// The journal of every instance that shares a store: each entry, as the control API shows it
// and marked with the instance that answered, is pushed to one Redis list, newest first and
// bounded as the journal is (journal_size). Written without delaying the response: a push that
// fails is lost (the store's outage is logged once, by redis.ts), never a request's failure.
import type { JournalEntry } from '../observability/journal';
import type { LuaScript, RedisStore } from './redis';

const PUSH: LuaScript = {
  name: 'cortex-mock-journal-push',
  lua: `
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
return 1
`,
};

const LIST: LuaScript = { name: 'cortex-mock-journal-list', lua: `return redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)` };

const CLEAR: LuaScript = { name: 'cortex-mock-journal-clear', lua: `return redis.call('DEL', KEYS[1])` };

export interface SharedJournal {
  /** Pushes an entry, with this instance's id. */
  push(entry: JournalEntry): void;
  /** The newest `limit` entries of every instance, oldest first. */
  list(limit: number): Promise<JournalEntry[]>;
  clear(): Promise<void>;
}

/** The shared journal under the store's prefix; `instance` names this instance in its entries. */
export function createSharedJournal(store: RedisStore, capacity: number, instance: () => string): SharedJournal {
  const keys = [`${store.prefix}journal`];
  return {
    push(entry) {
      if (capacity === 0) return;
      store.run(PUSH, keys, [JSON.stringify({ ...entry, instance: instance() }), capacity]).catch(() => undefined);
    },
    async list(limit) {
      if (limit <= 0 || capacity === 0) return [];
      const texts = await store.run<string[]>(LIST, keys, [Math.min(limit, capacity)]);
      return texts.map((text) => JSON.parse(text) as JournalEntry).reverse();
    },
    async clear() {
      await store.run(CLEAR, keys, []);
    },
  };
}
