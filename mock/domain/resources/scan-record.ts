// A scan as the mock keeps it, and the spec's views of scans and reports (typed from the
// generated types): what the scan store, its progress and its reports share.
import type { Schemas } from '../../spec/types';

/** The spec's x-cortex-queue-seconds and each scan type's x-cortex-duration-seconds. */
export interface ScanTiming {
  queueSeconds: number;
  durationSeconds: Record<string, number>;
}

export interface ScanRecord {
  id: string;
  accountId: string;
  target: string;
  scanType: Schemas['ScanType'];
  createdAt: number;
  cancelledAt: number | null;
  outcome: 'completed' | 'failed';
  failureReason: string | null;
}

/** The spec's Scan, Finding and Report. */
export type ScanView = Schemas['Scan'];
export type Finding = Schemas['Finding'];
export type Severity = Schemas['Severity'];
export type ReportView = Schemas['Report'];

export const iso = (ms: number) => new Date(ms).toISOString();
