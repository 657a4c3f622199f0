// The nonces a mock has seen, each kept until its signature's tolerance has passed on the
// mock's clock (RFC 9421 section 7.2.2: replay). Bounded, and expired lazily when a nonce is
// checked: no timers. Past the bound the oldest entry goes first.

export interface ReplayCache {
  /** Whether `nonce` of `keyId` was seen and is still remembered at `now`; if not, remembers it until `until`. */
  seen(keyId: string, nonce: string, now: number, until: number): boolean;
  size(): number;
  clear(): void;
}

/** A cache of at most `maxEntries` nonces. */
export function createReplayCache(maxEntries: number): ReplayCache {
  // Insertion order is the order of arrival; each entry holds when it may be forgotten.
  const entries = new Map<string, number>();
  return {
    seen(keyId, nonce, now, until) {
      const id = `${keyId}\n${nonce}`;
      const kept = entries.get(id);
      if (kept !== undefined && kept >= now) return true;
      entries.delete(id);
      // Forget the ended entries at the front, and the oldest past the bound.
      for (const [key, end] of entries) {
        if (end >= now && entries.size < maxEntries) break;
        entries.delete(key);
      }
      entries.set(id, until);
      return false;
    },
    size: () => entries.size,
    clear: () => entries.clear(),
  };
}
