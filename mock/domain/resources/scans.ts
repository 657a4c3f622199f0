// Scans and their reports, per account: the store of one mock instance. A scan's status is
// computed from the clock when it is read (scan-progress.ts); a completed scan's report is
// generated on first read (scan-reports.ts) and kept with it.
import type { FakeSource, IdGenerator } from './fake';
import type { Schemas } from '../../spec/types';
import { createScanProgress } from './scan-progress';
import type { ReportView, ScanRecord, ScanTiming } from './scan-record';
import { generateReport } from './scan-reports';

export type { Finding, ReportView, ScanRecord, ScanTiming, ScanView } from './scan-record';

const FAILURES = ['Endpoint agent did not respond', 'Endpoint went offline during the scan', 'Scan timed out on a locked volume'];

/**
 * The scans of every account of one mock instance, at most `maxPerAccount` each.
 * `prefixes`: the spec's scan and report id prefixes (a report's id is its scan's, re-prefixed).
 */
export function createScanStore(timing: ScanTiming, seed: number, prefixes: { scan: string; report: string }, maxPerAccount = Infinity) {
  const reportIdOf = (scanId: string) => `${prefixes.report}${scanId.slice(prefixes.scan.length)}`;
  const progress = createScanProgress(timing, reportIdOf);
  const scans = new Map<string, ScanRecord>();
  const byAccount = new Map<string, ScanRecord[]>();
  const reports = new Map<string, ReportView>();

  return {
    view: progress.view,
    add(scan: ScanRecord) {
      scans.set(scan.id, scan);
      const list = byAccount.get(scan.accountId) ?? [];
      // Newest first, ties broken by id, so the order never depends on insertion. New scans
      // are usually the newest: the binary search ends at the front.
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (newerFirst(list[mid], scan) < 0) lo = mid + 1;
        else hi = mid;
      }
      list.splice(lo, 0, scan);
      byAccount.set(scan.accountId, list);
      // Bounded memory: past the cap the oldest finished scan goes (then the oldest of all).
      while (list.length > maxPerAccount) {
        let victim = list.length - 1;
        for (let i = list.length - 1; i >= 0; i--) {
          if (progress.situation(list[i], scan.createdAt).finishedAt !== null) {
            victim = i;
            break;
          }
        }
        const [gone] = list.splice(victim, 1);
        scans.delete(gone.id);
        reports.delete(gone.id);
      }
    },
    get(accountId: string, id: string): ScanRecord | undefined {
      const scan = scans.get(id);
      return scan && scan.accountId === accountId ? scan : undefined;
    },
    listOf: (accountId: string): readonly ScanRecord[] => byAccount.get(accountId) ?? [],
    /** The report of a scan that has completed by `now`, else undefined. */
    reportOf(scan: ScanRecord, now: number): ReportView | undefined {
      if (progress.view(scan, now).status !== 'completed') return undefined;
      let report = reports.get(scan.id);
      if (!report) {
        const { startedAt, finishedAt } = progress.phase(scan);
        report = generateReport(scan, startedAt, finishedAt, seed, reportIdOf(scan.id));
        reports.set(scan.id, report);
      }
      return report;
    },
    /** The scan a report id belongs to. */
    scanOfReport(accountId: string, reportId: string): ScanRecord | undefined {
      return this.get(accountId, `${prefixes.scan}${reportId.slice(prefixes.report.length)}`);
    },
    clear() {
      scans.clear();
      byAccount.clear();
      reports.clear();
    },
  };
}

function newerFirst(a: ScanRecord, b: ScanRecord): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export type ScanStore = ReturnType<typeof createScanStore>;

/** Creates a new scan record; the outcome is decided now, from the seeded source. */
export function newScan(
  faker: FakeSource,
  ids: IdGenerator,
  accountId: string,
  target: string,
  scanType: Schemas['ScanType'],
  createdAt: number,
): ScanRecord {
  const failed = faker.number.int({ min: 1, max: 10 }) === 1;
  return {
    id: ids.next('scan'),
    accountId,
    target,
    scanType,
    createdAt,
    cancelledAt: null,
    outcome: failed ? 'failed' : 'completed',
    failureReason: failed ? faker.helpers.arrayElement(FAILURES) : null,
  };
}
