// The journal of every instance that shares a store: each entry, as the control API shows it
// and marked with the instance that answered, is pushed to one Redis list, newest first and
// bounded as the journal is (journal_size), the entries of one turn of the event loop in one
// script. The same script notes the key's last use (a hash
// of key id to the latest `at`), which GET /_mock/keys reads. Written without delaying the
// response: a push that fails is lost (the store's outage is logged once, by redis.ts), never
// a request's failure.
import type { JournalEntry } from '../observability/journal';
import type { LuaScript, RedisStore } from './redis';

/**
 * KEYS: the journal, the last uses. ARGV: the journal's size, then per entry three: the entry,
 * its key id ('' for none) and its time (ms). The entries of one turn of the event loop go in
 * one script.
 */
const PUSH: LuaScript = {
  name: 'cortex-mock-journal-push',
  lua: `
local size = tonumber(ARGV[1])
for i = 2, #ARGV, 3 do
  if size > 0 then redis.call('LPUSH', KEYS[1], ARGV[i]) end
  local key, at = ARGV[i + 1], tonumber(ARGV[i + 2])
  if key ~= '' and tonumber(redis.call('HGET', KEYS[2], key) or '-1e300') < at then
    redis.call('HSET', KEYS[2], key, ARGV[i + 2])
  end
end
if size > 0 then redis.call('LTRIM', KEYS[1], 0, size - 1) end
return 1
`,
};

const LAST_USED: LuaScript = { name: 'cortex-mock-last-used', lua: `return redis.call('HGETALL', KEYS[2])` };

const LIST: LuaScript = { name: 'cortex-mock-journal-list', lua: `return redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)` };

const CLEAR: LuaScript = { name: 'cortex-mock-journal-clear', lua: `return redis.call('DEL', KEYS[1], KEYS[2])` };

export interface SharedJournal {
  /** Pushes an entry, with this instance's id. */
  push(entry: JournalEntry): void;
  /** The newest `limit` entries of every instance, oldest first. */
  list(limit: number): Promise<JournalEntry[]>;
  /** Empties the journal (and, with `lastUses`, the keys' last uses: a reset). */
  clear(lastUses?: boolean): Promise<void>;
  /** Each key's last use on any instance (the mock clock's ms), by key id. */
  lastUsed(): Promise<Map<string, number>>;
}

/** The shared journal under the store's prefix; `instance` names this instance in its entries. */
export function createSharedJournal(store: RedisStore, capacity: number, instance: () => string): SharedJournal {
  const keys = [`${store.prefix}journal`, `${store.prefix}keys:last_used`];
  let queued: (string | number)[] = [];
  const flush = () => {
    const batch = queued;
    queued = [];
    store.run(PUSH, keys, [capacity, ...batch]).catch(() => undefined);
  };
  return {
    push(entry) {
      if (capacity === 0 && entry.key_id === null) return;
      queued.push(JSON.stringify({ ...entry, instance: instance() }), entry.key_id ?? '', Date.parse(entry.at));
      // Once per turn of the event loop, however many requests it settled.
      if (queued.length === 3) setImmediate(flush);
    },
    async list(limit) {
      if (limit <= 0 || capacity === 0) return [];
      const texts = await store.run<string[]>(LIST, keys, [Math.min(limit, capacity)]);
      return texts.map((text) => JSON.parse(text) as JournalEntry).reverse();
    },
    async clear(lastUses = false) {
      await store.run(CLEAR, lastUses ? keys : [keys[0], keys[0]], []);
    },
    async lastUsed() {
      const flat = await store.run<string[]>(LAST_USED, keys, []);
      const uses = new Map<string, number>();
      for (let i = 0; i + 1 < flat.length; i += 2) uses.set(flat[i], Number(flat[i + 1]));
      return uses;
    },
  };
}
