// Scans and their reports. A scan's status is computed from the clock when it is read:
// queued for the spec's x-cortex-queue-seconds, running for its type's
// x-cortex-duration-seconds, then completed or failed (decided when it was created). A
// completed scan's report is generated on first read from a seed derived from the scan id,
// so the order of reads never changes the data.
import { createFaker, deriveSeed, type FakeSource, type IdGenerator } from './fake';
import type { Schemas } from '../../spec/types';

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

/** The spec's Scan, Finding and Report: the views are typed from the generated types. */
export type ScanView = Schemas['Scan'];
export type Finding = Schemas['Finding'];
type Severity = Schemas['Severity'];
export type ReportView = Schemas['Report'];

// Sample detections an EDR reports; only the fake data generator reads this.
const DETECTIONS: Array<Omit<Finding, 'id' | 'endpoint' | 'detected_at' | 'severity'> & { severities: Severity[] }> = [
  { title: 'Suspicious PowerShell execution', category: 'execution', technique: 'T1059.001', process: 'powershell.exe', description: 'An encoded PowerShell command was launched by an Office process.', severities: ['high', 'critical'] },
  { title: 'Credential dumping from LSASS', category: 'credential_access', technique: 'T1003.001', process: 'rundll32.exe', description: 'A process read the memory of lsass.exe.', severities: ['critical'] },
  { title: 'Unsigned driver loaded', category: 'persistence', technique: 'T1543.003', process: 'services.exe', description: 'A kernel driver without a valid signature was loaded at boot.', severities: ['medium', 'high'] },
  { title: 'Scheduled task created for persistence', category: 'persistence', technique: 'T1053.005', process: 'schtasks.exe', description: 'A scheduled task runs a binary from a user-writable folder.', severities: ['medium'] },
  { title: 'Security tool tampering', category: 'defense_evasion', technique: 'T1562.001', process: 'sc.exe', description: 'An attempt was made to stop the endpoint agent service.', severities: ['high'] },
  { title: 'Remote service execution', category: 'lateral_movement', technique: 'T1021.002', process: 'psexesvc.exe', description: 'A service was installed remotely over SMB.', severities: ['high', 'medium'] },
  { title: 'Token impersonation', category: 'privilege_escalation', technique: 'T1134.001', process: 'svchost.exe', description: 'A process duplicated a SYSTEM token.', severities: ['high'] },
  { title: 'Large upload to a rare domain', category: 'exfiltration', technique: 'T1041', process: 'curl.exe', description: 'More than 200 MB went to a domain first seen today.', severities: ['medium', 'low'] },
  { title: 'Known malware hash', category: 'malware', technique: 'T1204.002', process: 'invoice.exe', description: 'A file matched a known commodity loader.', severities: ['critical', 'high'] },
  { title: 'Outdated agent policy', category: 'defense_evasion', technique: 'T1562', process: 'cortex-agent', description: 'The endpoint runs a policy older than 30 days.', severities: ['info', 'low'] },
];

const FAILURES = ['Endpoint agent did not respond', 'Endpoint went offline during the scan', 'Scan timed out on a locked volume'];

const iso = (ms: number) => new Date(ms).toISOString();

interface Situation {
  status: ScanView['status'];
  progress: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** The scans of every account of one mock instance, at most `maxPerAccount` each. */
/** `prefixes`: the spec's scan and report id prefixes (a report's id is its scan's, re-prefixed). */
export function createScanStore(timing: ScanTiming, seed: number, prefixes: { scan: string; report: string }, maxPerAccount = Infinity) {
  const reportIdOf = (scanId: string) => `${prefixes.report}${scanId.slice(prefixes.scan.length)}`;
  const scans = new Map<string, ScanRecord>();
  const byAccount = new Map<string, ScanRecord[]>();
  const reports = new Map<string, ReportView>();

  function phase(scan: ScanRecord, now: number) {
    const startedAt = scan.createdAt + timing.queueSeconds * 1000;
    const durationMs = (timing.durationSeconds[scan.scanType] ?? 60) * 1000;
    const finishedAt = startedAt + durationMs;
    return { startedAt, finishedAt, durationMs };
  }

  /** Where a scan stands at `now`: everything its view depends on that changes, as numbers. */
  function situation(scan: ScanRecord, now: number): Situation {
    const { startedAt, finishedAt, durationMs } = phase(scan, now);
    const progressAt = (t: number) => Math.min(99, Math.max(0, Math.floor(((t - startedAt) / durationMs) * 100)));
    if (scan.cancelledAt !== null && scan.cancelledAt < finishedAt && scan.cancelledAt <= now) {
      const started = scan.cancelledAt >= startedAt;
      return { status: 'cancelled', progress: started ? progressAt(scan.cancelledAt) : 0, startedAt: started ? startedAt : null, finishedAt: scan.cancelledAt };
    }
    if (now < startedAt) return { status: 'queued', progress: 0, startedAt: null, finishedAt: null };
    if (now < finishedAt) return { status: 'running', progress: progressAt(now), startedAt, finishedAt: null };
    return { status: scan.outcome, progress: 100, startedAt, finishedAt };
  }

  // A view is rebuilt only when the scan's situation changes (a running scan's progress
  // moves one percent at a time): building views and their ISO dates was the top cost of
  // GET /v1/scans.
  const views = new WeakMap<ScanRecord, { at: Situation; view: ScanView }>();

  function view(scan: ScanRecord, now: number): ScanView {
    const at = situation(scan, now);
    const cached = views.get(scan);
    if (
      cached &&
      cached.at.status === at.status &&
      cached.at.progress === at.progress &&
      cached.at.startedAt === at.startedAt &&
      cached.at.finishedAt === at.finishedAt
    ) {
      return cached.view;
    }
    const built = Object.freeze(render(scan, at)) as ScanView;
    views.set(scan, { at, view: built });
    return built;
  }

  function render(scan: ScanRecord, at: Situation): ScanView {
    const completed = at.status === 'completed';
    return {
      id: scan.id,
      object: 'scan',
      target: scan.target,
      scan_type: scan.scanType,
      created_at: iso(scan.createdAt),
      status: at.status,
      progress: at.progress,
      started_at: at.startedAt === null ? null : iso(at.startedAt),
      finished_at: at.finishedAt === null ? null : iso(at.finishedAt),
      report_id: completed ? reportIdOf(scan.id) : null,
      failure_reason: at.status === 'failed' ? scan.failureReason : null,
    };
  }

  function generateReport(scan: ScanRecord, finishedAt: number): ReportView {
    const faker: FakeSource = createFaker(deriveSeed(seed, scan.id));
    const count = faker.number.int({ min: 0, max: 6 });
    const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    const { startedAt } = phase(scan, finishedAt);
    const findings: Finding[] = [];
    for (let i = 0; i < count; i++) {
      const d = faker.helpers.arrayElement(DETECTIONS);
      const severity = faker.helpers.arrayElement(d.severities);
      counts[severity]++;
      findings.push({
        id: `fnd_${faker.string.alphanumeric({ length: 16, casing: 'lower' })}`,
        title: d.title,
        severity,
        category: d.category,
        technique: d.technique,
        endpoint: scan.target,
        process: d.process,
        description: d.description,
        detected_at: iso(faker.number.int({ min: startedAt, max: finishedAt })),
      });
    }
    findings.sort((a, b) => (a.detected_at < b.detected_at ? -1 : a.detected_at > b.detected_at ? 1 : 0));
    return {
      id: reportIdOf(scan.id),
      object: 'report',
      scan_id: scan.id,
      target: scan.target,
      created_at: iso(finishedAt),
      severity_counts: counts,
      findings,
    };
  }

  return {
    view,
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
          if (situation(list[i], scan.createdAt).finishedAt !== null) {
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
      if (view(scan, now).status !== 'completed') return undefined;
      let report = reports.get(scan.id);
      if (!report) {
        report = generateReport(scan, phase(scan, now).finishedAt);
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
