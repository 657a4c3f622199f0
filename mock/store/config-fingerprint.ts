// Every instance on one store and prefix must run the same configuration: the seed state is
// each instance's own, made from its config, and the shared log is replayed on it. The first
// instance leaves a fingerprint of its config in Redis (`<prefix>config`: one SHA-256 per
// field); an instance whose config differs refuses to start, naming the fields.
import { createHash } from 'node:crypto';
import type { LuaScript, RedisStore } from './redis';

/** Settings that may differ between instances of one mock: how each is reached and stored. */
const PER_INSTANCE = new Set(['store', 'store_prefix', 'store_timeout_ms', 'allowed_hosts', 'control_token']);

/** KEYS: the fingerprint. ARGV: field, hash, ... Sets it when absent; answers the one held. */
const FINGERPRINT: LuaScript = {
  name: 'cortex-mock-config-fingerprint',
  lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
return redis.call('HGETALL', KEYS[1])
`,
};

/** Another instance on the same store and prefix runs another configuration. */
export class SharedConfigError extends Error {
  constructor(readonly fields: string[], prefix: string) {
    super(
      `store_prefix ${JSON.stringify(prefix)} is shared with an instance whose configuration differs in ${fields.join(', ')}: ` +
        'every instance of one mock needs the same config (docs/scaling.md); give this one the same, or another --store-prefix',
    );
    this.name = 'SharedConfigError';
  }
}

/** Each shared field's SHA-256 (of its JSON), the per-instance settings left out. */
export function configFingerprint(config: object): Map<string, string> {
  const fields = Object.entries(config).filter(([name, value]) => !PER_INSTANCE.has(name) && value !== undefined);
  return new Map(fields.map(([name, value]) => [name, createHash('sha256').update(JSON.stringify(value)).digest('hex')]));
}

/** Leaves this config's fingerprint in the store, or throws SharedConfigError when the one there differs. */
export async function checkSharedConfig(store: RedisStore, config: object): Promise<void> {
  const own = configFingerprint(config);
  const flat = await store.run<string[]>(FINGERPRINT, [`${store.prefix}config`], [...own].flat());
  const held = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) held.set(flat[i], flat[i + 1]);
  const differ = [...new Set([...own.keys(), ...held.keys()])].filter((field) => own.get(field) !== held.get(field)).sort();
  if (differ.length > 0) throw new SharedConfigError(differ, store.prefix);
}
