// The request journal: the last N requests, redacted, for the control API. Entries are
// kept as recorded and shaped only when listed: recording runs on every request.
import type { RequestNotes } from '../pipeline/pipeline';

export interface JournalEntry {
  id: string;
  at: string;
  method: string;
  /** The URL with secrets redacted. */
  path: string;
  operation_id: string | null;
  status: number;
  /** The error code, or null for a success. */
  error_code: string | null;
  key_id: string | null;
  account_id: string | null;
  forced: boolean;
  duration_ms: number;
}

interface Recorded {
  id: string;
  at: number;
  method: string;
  path: string;
  status: number;
  notes: RequestNotes;
  ms: number;
}

const shape = (r: Recorded): JournalEntry => ({
  id: r.id,
  at: new Date(r.at).toISOString(),
  method: r.method,
  path: r.path,
  operation_id: r.notes.operationId,
  status: r.status,
  error_code: r.notes.errorCode,
  key_id: r.notes.keyId,
  account_id: r.notes.accountId,
  forced: r.notes.forced,
  duration_ms: r.ms,
});

export function createJournal(capacity: number) {
  let entries: Recorded[] = [];
  return {
    /** `path` must already be redacted; `at` is the mock clock's epoch ms. */
    record(id: string, at: number, method: string, path: string, status: number, notes: RequestNotes, ms: number) {
      if (capacity === 0) return;
      entries.push({ id, at, method, path, status, notes, ms });
      if (entries.length > capacity * 2) entries = entries.slice(-capacity);
    },
    /** The newest `limit` entries, oldest first. */
    list(limit = capacity): JournalEntry[] {
      const kept = entries.slice(-capacity);
      return kept.slice(Math.max(0, kept.length - limit)).map(shape);
    },
    clear() {
      entries = [];
    },
  };
}

export type Journal = ReturnType<typeof createJournal>;
