// Idempotency-Key records: the first response to a (account, operation, key) is kept for a
// day of mock time and replayed for the same body; another body under the same key is a
// conflict. Bounded: the oldest records go first past `capacity`.
import { createHash } from 'node:crypto';

export interface StoredResponse {
  status: number;
  body?: unknown;
}

const TTL_MS = 24 * 60 * 60 * 1000;

export function fingerprint(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');
}

export function createIdempotencyStore(capacity = 10_000) {
  const records = new Map<string, { fingerprint: string; response: StoredResponse; at: number }>();
  return {
    /** The earlier outcome for this key: a replay, a conflict, or nothing yet. */
    check(scope: string, key: string, print: string, now: number): { kind: 'new' } | { kind: 'replay'; response: StoredResponse } | { kind: 'conflict' } {
      const id = `${scope}\u0000${key}`;
      const found = records.get(id);
      if (!found || found.at + TTL_MS <= now) return { kind: 'new' };
      return found.fingerprint === print ? { kind: 'replay', response: found.response } : { kind: 'conflict' };
    },
    remember(scope: string, key: string, print: string, response: StoredResponse, now: number) {
      const id = `${scope}\u0000${key}`;
      records.delete(id);
      records.set(id, { fingerprint: print, response, at: now });
      if (records.size > capacity) records.delete(records.keys().next().value as string);
    },
    clear: () => records.clear(),
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
