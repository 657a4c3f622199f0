// The Redis store: one connection per mock to the Redis that several instances share, and
// the one way the mock talks to it, `run(script, keys, args)`: a Lua script by EVALSHA
// (loaded on NOSCRIPT), so every check-and-change is one atomic round trip. ioredis is
// required only here, when a redis:// store is configured: `npm start` and the memory store
// never load it. A down Redis fails fast (no offline queue) and a reply later than the
// timeout is given up on: both reject with StoreUnavailableError, which the pipeline answers
// as 503 store_unavailable. The mock never fails open (docs/scaling.md).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MockLogger } from '../observability/logger';
import { StoreUnavailableError } from './unavailable';

export { StoreUnavailableError } from './unavailable';

/** A Lua script the store runs: its name (for logs and errors) and its source. */
export interface LuaScript {
  name: string;
  lua: string;
}

/** The shared store of a mock running over Redis. */
export interface RedisStore {
  readonly client: Redis;
  /** What every key of this mock starts with (`store_prefix`), so mocks can share a Redis. */
  readonly prefix: string;
  /**
   * Runs `script` atomically over `keys` and `args` (EVALSHA, loading it on NOSCRIPT).
   * Rejects with StoreUnavailableError when Redis cannot be reached or answers later than
   * the store's timeout.
   */
  run<T = unknown>(script: LuaScript, keys: string[], args: (string | number)[]): Promise<T>;
  /** Whether the connection is up now (a request made now may still time out). */
  available(): boolean;
  /** Closes the connection; calling it again does nothing. */
  close(): Promise<void>;
}

export interface RedisStoreOptions {
  /** `redis://HOST:PORT/DB` or `rediss://...` (config `store`). */
  url: string;
  prefix: string;
  /** How long a reply may take before the request gets a 503 (config `store_timeout_ms`). */
  timeoutMs: number;
  logger: MockLogger;
}

/** The longest wait between two reconnection attempts while Redis is away. */
export const MAX_RECONNECT_DELAY_MS = 1000;

/** The reconnection backoff: doubling from 50 ms, capped; attempts never stop. */
export function reconnectDelay(attempt: number): number {
  return Math.min(MAX_RECONNECT_DELAY_MS, 50 * 2 ** Math.min(attempt - 1, 10));
}

/** The URL with any password replaced, for a log line (a secret never reaches the log). */
export function redactedStoreUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.username && !parsed.password) parsed.username = '***';
    return parsed.toString();
  } catch {
    return '(unparsable store URL)';
  }
}

/**
 * Connects to the Redis at `url`, lazily: the first `run` opens the connection. While Redis
 * is away every `run` rejects at once, the client reconnects for ever (capped backoff), and
 * the log gets one warning when an outage starts and one info line when it ends.
 */
export function connectRedisStore(options: RedisStoreOptions): RedisStore {
  const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
  const { prefix, timeoutMs, logger } = options;
  const where = redactedStoreUrl(options.url);
  const client: Redis = new RedisClient(options.url, {
    lazyConnect: true,
    // A down Redis fails a request now, not when (if ever) it comes back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.max(timeoutMs, 100),
    // A connection being given up on is destroyed this soon, so close() leaves no timer behind.
    disconnectTimeout: Math.max(timeoutMs, 100),
    retryStrategy: reconnectDelay,
    // Lua scripts are sent by EVALSHA here, not by ioredis's defineCommand.
    enableReadyCheck: true,
  });
  let closed = false;
  let connecting: Promise<void> | undefined;
  // An outage is from the first failure to the next ready: one warning, one info.
  let down = false;
  const outage = (why: string) => {
    if (down || closed) return;
    down = true;
    logger.warn({ store: where, error: why }, 'store unavailable: answering 503 store_unavailable until Redis is back');
  };
  client.on('error', (err: Error) => outage(err.message));
  client.on('close', () => outage('connection closed'));
  // The outage ends when the connection is ready again, or (after a slow spell on a connection
  // that stayed open) when a reply comes in time.
  const back = () => {
    if (!down) return;
    down = false;
    logger.info({ store: where }, 'store available again');
  };
  whenReadyOnItsDb(client, back);

  const connect = (): Promise<void> => {
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'wait' && !connecting) {
      connecting = client.connect().then(
        () => {
          connecting = undefined;
        },
        (err: Error) => {
          connecting = undefined;
          throw err;
        },
      );
    }
    // Connecting or reconnecting: this request does not wait for it (no offline queue).
    return connecting ?? Promise.reject(new Error(`not connected (${client.status})`));
  };

  const shas = new Map<string, string>();
  const shaOf = (script: LuaScript) => {
    let sha = shas.get(script.lua);
    if (!sha) shas.set(script.lua, (sha = createHash('sha1').update(script.lua).digest('hex')));
    return sha;
  };

  const call = async <T>(script: LuaScript, keys: string[], args: (string | number)[]): Promise<T> => {
    await connect();
    try {
      return (await client.evalsha(shaOf(script), keys.length, ...keys, ...args)) as T;
    } catch (err) {
      // A Redis that restarted has lost its scripts: load this one with the call.
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return (await client.eval(script.lua, keys.length, ...keys, ...args)) as T;
      throw err;
    }
  };

  const run = <T = unknown>(script: LuaScript, keys: string[], args: (string | number)[]): Promise<T> => {
    if (closed) return Promise.reject(new StoreUnavailableError(`${script.name}: the store is closed`));
    return new Promise<T>((resolve, reject) => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        outage(`no reply within ${timeoutMs} ms`);
        reject(new StoreUnavailableError(`${script.name}: no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      call<T>(script, keys, args).then(
        (reply) => {
          clearTimeout(timer);
          resolve(reply);
          // Only a reply in time ends an outage: a late one (a Redis shutting down, or stalled)
          // said nothing of the next request, and ending the outage on it warned twice for one.
          if (!late) back();
        },
        (err: Error) => {
          clearTimeout(timer);
          // A Lua error is the script's bug, not an outage: it stays an ordinary error.
          if (isScriptError(err)) return reject(err);
          outage(err.message);
          reject(new StoreUnavailableError(`${script.name}: ${err.message}`));
        },
      );
    });
  };

  return {
    client,
    prefix,
    run,
    // A socket Redis closed is unwritable before ioredis hears of the close.
    available: () => client.status === 'ready' && client.stream?.writable === true,
    async close() {
      if (closed) return;
      closed = true;
      // Connecting, reconnecting or waiting: stop trying; connected: let it finish and go.
      if (client.status !== 'ready') return client.disconnect();
      await quitWithin(client, timeoutMs);
    },
  };
}

/**
 * Calls `ready` each time the client is ready on the DB its URL names. ioredis reports a failed
 * SELECT (a DB past the server's `databases`) as an error and goes on to ready on DB 0, where
 * another mock's state may be: that connection is dropped and tried again (the capped backoff),
 * so a Redis restarted with more databases is used.
 */
function whenReadyOnItsDb(client: Redis, ready: () => void): void {
  let selectFailed = false;
  client.on('error', (err: Error) => {
    if (/DB index is out of range/.test(err.message)) selectFailed = true;
  });
  client.on('ready', () => {
    if (!selectFailed) return ready();
    selectFailed = false;
    client.disconnect(true);
  });
}

/**
 * QUIT, waited for at most `timeoutMs`, then the connection dropped: QUIT waits for Redis's
 * reply, and a stalled Redis (paused, or a network that drops packets) would hold the mock's
 * exit (and its conduct report) until it answered.
 */
async function quitWithin(client: Redis, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  try {
    await Promise.race([client.quit(), late]);
  } catch {
    // Dropped below.
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** An error Redis raised running a script (ERR ... script / WRONGTYPE), as opposed to a connection's. */
function isScriptError(err: Error): boolean {
  return /^(ERR|WRONGTYPE|NOSCRIPT)\b/.test(err.message) && !/connection|Connection/.test(err.message);
}
