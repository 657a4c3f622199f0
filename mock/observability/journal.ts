// The request journal: the latest requests to /v1, redacted, for the control API. Bounded
// twice: by a count and by bytes, so a flood of 60 KB URLs cannot grow it past its budget
// (URLs are cut to MAX_PATH_CHARS first). Entries are kept as recorded and shaped only when
// listed: recording runs on every request.
import { truncate } from '../../lib/redact';
import type { FaultKind, OutcomeFault } from '../domain/faults/rule';

/** What the journal keeps of an answer besides its status. */
export interface JournalNotes {
  readonly operationId: string | null;
  readonly errorCode: string | null;
  readonly keyId: string | null;
  readonly accountId: string | null;
  readonly forced: boolean;
  /** The fault rule that shaped the request, or null. */
  readonly fault: OutcomeFault | null;
}

/** A journal entry's fault: the rule and its kind, and a latency's drawn delay. */
export interface JournalFault {
  rule_id: string;
  kind: FaultKind;
  /** The delay a latency fault drew (the same seed and requests draw the same ones). */
  delay_ms?: number;
}

export interface JournalEntry {
  id: string;
  at: string;
  method: string;
  /** The URL with secrets redacted, cut to MAX_PATH_CHARS. */
  path: string;
  operation_id: string | null;
  /** The status sent; 499 when the client closed the connection first (as nginx logs it). */
  status: number;
  /** The error code, or null for a success. */
  error_code: string | null;
  key_id: string | null;
  account_id: string | null;
  forced: boolean;
  duration_ms: number;
  /** The fault rule that shaped the request (connection faults too: 444, no response), or null. */
  fault: JournalFault | null;
  /** The instance that answered, when instances share a store (docs/scaling.md). */
  instance?: string;
}

/** Longer URLs are cut, with a note of how much. */
export const MAX_PATH_CHARS = 2048;
/** What one entry costs besides its strings: the object, its numbers and the notes. */
const ENTRY_OVERHEAD_BYTES = 320;

interface Recorded {
  id: string;
  at: number;
  method: string;
  path: string;
  status: number;
  notes: JournalNotes;
  ms: number;
  bytes: number;
}

/** A recorded entry as the control API lists it. */
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
  fault: r.notes.fault && faultOf(r.notes.fault),
});

function faultOf(fault: OutcomeFault): JournalFault {
  const { applied } = fault;
  return applied.kind === 'latency' ? { rule_id: fault.ruleId, kind: fault.kind, delay_ms: applied.delay_ms } : { rule_id: fault.ruleId, kind: fault.kind };
}

/**
 * A journal of at most `capacity` entries and about `maxBytes` bytes. `shared`, when given,
 * is told of every entry, shaped (instances that share a store also share their journal).
 */
export function createJournal(capacity: number, maxBytes = 8 * 1024 * 1024, shared?: (entry: JournalEntry) => void) {
  let entries: Recorded[] = [];
  let head = 0;
  let bytes = 0;
  const dropOldest = () => {
    bytes -= entries[head].bytes;
    head++;
    // Compact now and then, so dropped entries do not pin memory.
    if (head > 1024 && head * 2 > entries.length) {
      entries = entries.slice(head);
      head = 0;
    }
  };
  return {
    /** `path` must already be redacted; `at` is the mock clock's epoch ms. */
    record(id: string, at: number, method: string, path: string, status: number, outcome: JournalNotes, ms: number) {
      if (capacity === 0 || maxBytes === 0) return;
      // Only what the journal shows is kept, not the response the outcome carries.
      const notes: JournalNotes = { operationId: outcome.operationId, errorCode: outcome.errorCode, keyId: outcome.keyId, accountId: outcome.accountId, forced: outcome.forced, fault: outcome.fault };
      const kept = truncate(path, MAX_PATH_CHARS);
      const size = ENTRY_OVERHEAD_BYTES + 2 * (kept.length + method.length + id.length);
      const recorded: Recorded = { id, at, method: method.slice(0, 16), path: kept, status, notes, ms, bytes: size };
      entries.push(recorded);
      bytes += size;
      shared?.(shape(recorded));
      while (entries.length - head > capacity || (bytes > maxBytes && entries.length - head > 1)) dropOldest();
    },
    /** The newest `limit` entries, oldest first. */
    list(limit = capacity): JournalEntry[] {
      return entries.slice(Math.max(head, entries.length - limit)).map(shape);
    },
    /** Entries held and their estimated bytes. */
    size: () => ({ entries: entries.length - head, bytes }),
    clear() {
      entries = [];
      head = 0;
      bytes = 0;
    },
  };
}

export type Journal = ReturnType<typeof createJournal>;
