// Idempotency-Key records: the first response to a (account, operation, key) is kept for a
// day of mock time and replayed for the same body; another body under the same key is a
// conflict. "The same body" is the same JSON value: key order and whitespace do not count.
// Bounded: records past their day are dropped, and the oldest go first past `capacity`. A replayed createApiKey holds its
// secret here, so a retried create returns the key it made instead of a second one: this
// is the one place a plaintext secret lives after its response (see the README).
// The handlers that replay are wrapped in operations/idempotent.ts.
import { hash } from 'node:crypto';

export interface StoredResponse {
  status: number;
  body?: unknown;
}

const TTL_MS = 24 * 60 * 60 * 1000;

/** JSON with object keys sorted at every depth (RFC 8785's ordering, for parsed values). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The fingerprint of a parsed body: the same JSON value gives the same print. */
export function fingerprint(body: unknown): string {
  return hash('sha256', canonicalJson(body), 'hex');
}

/** At most `capacity` records (10,000 by default), each for a day of mock time. */
export function createIdempotencyStore(capacity = 10_000) {
  const records = new Map<string, { fingerprint: string; response: StoredResponse; at: number }>();
  // Records are kept in the order they were made, so the ones whose day has passed are at
  // the front (a clock moved back can leave one behind a newer record; capacity bounds it).
  const dropEnded = (now: number) => {
    for (const [id, record] of records) {
      if (record.at + TTL_MS > now) break;
      records.delete(id);
    }
  };
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
      dropEnded(now);
      records.delete(id);
      records.set(id, { fingerprint: print, response, at: now });
      if (records.size > capacity) records.delete(records.keys().next().value as string);
    },
    /** How many records are held. */
    size: () => records.size,
    clear: () => records.clear(),
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;

