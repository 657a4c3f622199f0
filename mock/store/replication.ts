// The replicated state of instances that share a Redis store (docs/scaling.md): every
// instance keeps its state in memory as a replica of one append-only log in Redis
// (`<prefix>state:log`, numbered by `<prefix>state:version`). A mutation is appended by one
// script, which answers with every entry the instance has not applied yet; the instance
// applies them in order, its own last, and answers with its own entry's result. Entries are
// replayed through the same code on every instance, at the `now` they carry, so the seeded
// ids come out the same everywhere. The log never holds a secret: a drawn secret travels as
// its hashes (domain/auth/secrets.ts sealed).
import { randomBytes } from 'node:crypto';
import { hashSecret, sealed, type KeyMode, type SecretSource } from '../domain/auth/secrets';
import { randomAlphanumeric } from '../domain/resources/fake';
import type { LuaScript, RedisStore } from './redis';

export { StaleStateError } from './fence';

/** One mutation in the log: what the code needs to replay it on any instance. */
export interface LogEntry {
  /** The instance that appended it and a number of its own: how it finds its own result. */
  id: string;
  kind: string;
  /** The mock's clock when it was asked for: every replica applies it at that instant. */
  now: number;
  input: unknown;
  /** A secret drawn for it, as the SHA-256 of each mode's form, and its last four characters. */
  secret?: { test: string; live: string; last4: string };
}

/** What the replica drives: the instance's state. */
export interface ReplicaHooks {
  /** Applies one entry (throws what the mutation throws); `secrets` give the entry's drawn secret. */
  apply(entry: LogEntry, secrets: SecretSource): unknown;
  /** Back to the configuration's seed at `now`: the log starts again (a new epoch). */
  reseed(now: number): void;
  /** The mock's clock: the seed's time of an epoch this instance starts. */
  now(): number;
}

export interface Replica {
  /** This instance's id: in its request ids and journal entries. */
  readonly instanceId: string;
  /** The log's version this replica has applied: the fence a request's script carries. */
  readonly version: number;
  /** Whether it has read the store's epoch yet (its seed time): false until its first script. */
  readonly synced: boolean;
  /** Appends a mutation, applies the log up to it and gives its result (or its error). */
  mutate<T>(kind: string, input: unknown, now: number, options?: { secret?: boolean }): Promise<T>;
  /** One round trip: applies what the log has beyond this replica; true when anything changed. */
  sync(): Promise<boolean>;
  /** The key of `name` under the store's prefix. */
  key(name: string): string;
}

/**
 * The one script of the log. KEYS: version, log, epoch, base. ARGV: the epoch and version the
 * instance holds, the clock's time (a new epoch's seed time), then optionally an entry to
 * append and '1' when it is a reset (the log before it is dropped; `base` keeps versions
 * monotonic). An empty store starts a new epoch, numbered from the server's time so that no
 * version of an old epoch is one of the new (the server's clock is used for nothing else).
 * Answers the epoch, the version, the base and the entries the instance lacks.
 */
export const LOG_SCRIPT: LuaScript = {
  name: 'cortex-mock-state-log',
  lua: `
local epoch = redis.call('GET', KEYS[3])
if not epoch then
  local t = redis.call('TIME')
  local start = string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
  epoch = start .. ':' .. ARGV[3]
  redis.call('DEL', KEYS[2])
  redis.call('SET', KEYS[1], start)
  redis.call('SET', KEYS[4], start)
  redis.call('SET', KEYS[3], epoch)
end
local version = tonumber(redis.call('GET', KEYS[1]))
if ARGV[4] then
  version = redis.call('INCR', KEYS[1])
  redis.call('RPUSH', KEYS[2], ARGV[4])
  if ARGV[5] == '1' then
    redis.call('LTRIM', KEYS[2], -1, -1)
    redis.call('SET', KEYS[4], string.format('%d', version - 1))
  end
end
local base = tonumber(redis.call('GET', KEYS[4]))
local from = 0
if epoch == ARGV[1] then from = math.max(0, tonumber(ARGV[2]) - base) end
return {epoch, string.format('%d', version), string.format('%d', base), redis.call('LRANGE', KEYS[2], from, -1)}
`,
};

type LogReply = [epoch: string, version: string, base: string, entries: string[]];

interface Pending {
  resolve(value: unknown): void;
  reject(err: unknown): void;
  /** The secret drawn for the entry, as this instance hands it out. */
  secret?: string;
}

/** The seed time an epoch carries (`<start>:<seed ms>`). */
const seedTimeOf = (epoch: string) => Number(epoch.slice(epoch.indexOf(':') + 1));

/** A replica of the store's log; nothing is read until the first request's script. */
export function createReplica(store: RedisStore, hooks: ReplicaHooks, keyModes: Record<KeyMode, string>): Replica {
  const instanceId = randomBytes(3).toString('hex');
  const key = (name: string) => `${store.prefix}${name}`;
  const keys = [key('state:version'), key('state:log'), key('state:epoch'), key('state:base')];
  let epoch = '';
  let version = 0;
  let counter = 0;
  const pending = new Map<string, Pending>();

  /** A sealed stand-in for a secret another instance drew: its hash for the mode asked. */
  const sealedSource = (entry: LogEntry): SecretSource => ({
    secret(mode) {
      if (!entry.secret) throw new Error(`log entry ${entry.kind} draws a secret it does not carry`);
      return sealed(keyModes[mode], entry.secret[mode], entry.secret.last4);
    },
  });

  const applyOne = (entry: LogEntry) => {
    const own = pending.get(entry.id);
    pending.delete(entry.id);
    const secrets: SecretSource = own?.secret !== undefined ? { secret: (mode) => `${keyModes[mode]}${own.secret}` } : sealedSource(entry);
    let result: unknown;
    try {
      result = hooks.apply(entry, secrets);
    } catch (err) {
      // Every replica fails the same way (the code is deterministic): only the asker hears of it.
      own?.reject(err);
      return;
    }
    own?.resolve(result);
  };

  /** Applies a reply: a new epoch first re-seeds; entries this replica has are skipped. */
  const absorb = (reply: LogReply, heldAtCall: number): boolean => {
    const [replyEpoch, , baseText, entries] = reply;
    const base = Number(baseText);
    let first: number;
    let changed = false;
    if (replyEpoch !== epoch) {
      hooks.reseed(seedTimeOf(replyEpoch));
      epoch = replyEpoch;
      version = base;
      first = base + 1;
      changed = true;
    } else {
      first = base + 1 + Math.max(0, heldAtCall - base);
    }
    entries.forEach((text, i) => {
      const at = first + i;
      if (at <= version) return;
      version = at;
      changed = true;
      applyOne(JSON.parse(text) as LogEntry);
    });
    return changed;
  };

  const call = async (extra: string[]): Promise<boolean> => {
    const held = version;
    const reply = await store.run<LogReply>(LOG_SCRIPT, keys, [epoch, held, hooks.now(), ...extra]);
    return absorb(reply, held);
  };

  return {
    instanceId,
    get version() {
      return version;
    },
    get synced() {
      return epoch !== '';
    },
    key,
    sync: () => call([]),
    mutate<T>(kind: string, input: unknown, now: number, options: { secret?: boolean } = {}): Promise<T> {
      const entry: LogEntry = { id: `${instanceId}:${++counter}`, kind, now, input };
      const own: Pending = { resolve: () => undefined, reject: () => undefined };
      if (options.secret) {
        own.secret = randomAlphanumeric(32);
        entry.secret = { test: hashSecret(`${keyModes.test}${own.secret}`), live: hashSecret(`${keyModes.live}${own.secret}`), last4: own.secret.slice(-4) };
      }
      const result = new Promise<T>((resolve, reject) => {
        own.resolve = resolve as (value: unknown) => void;
        own.reject = reject;
      });
      pending.set(entry.id, own);
      return call([JSON.stringify(entry), kind === 'reset' ? '1' : '0']).then(
        () => {
          // Its own reply holds the entry: had it not been applied, the log lost it.
          if (pending.delete(entry.id)) own.reject(new Error(`log entry ${entry.id} was not applied`));
          return result;
        },
        (err: unknown) => {
          // A timeout may still append it: then it is applied as another instance's would be.
          pending.delete(entry.id);
          throw err;
        },
      );
    },
  };
}
