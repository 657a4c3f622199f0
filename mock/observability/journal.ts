// The request journal: the last N requests, redacted, for the control API.

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

export function createJournal(capacity: number) {
  let entries: JournalEntry[] = [];
  return {
    record(entry: JournalEntry) {
      if (capacity === 0) return;
      entries.push(entry);
      if (entries.length > capacity * 2) entries = entries.slice(-capacity);
    },
    /** The newest `limit` entries, oldest first. */
    list(limit = capacity): JournalEntry[] {
      const kept = entries.slice(-capacity);
      return kept.slice(Math.max(0, kept.length - limit));
    },
    clear() {
      entries = [];
    },
  };
}

export type Journal = ReturnType<typeof createJournal>;
