// Where a scan stands, computed from the clock when it is read: queued for the spec's
// x-cortex-queue-seconds, running for its type's x-cortex-duration-seconds, then completed
// or failed (decided when it was created), or cancelled on the way. Its view is rebuilt
// only when that changes.
import { iso, type ScanRecord, type ScanTiming, type ScanView } from './scan-record';

/** Everything a scan's view depends on that changes with time, as numbers. */
export interface Situation {
  status: ScanView['status'];
  progress: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** The views of scans on one timing; `reportIdOf` names a completed scan's report. */
export function createScanProgress(timing: ScanTiming, reportIdOf: (scanId: string) => string) {
  /** When the scan starts and finishes if nothing stops it. */
  function phase(scan: ScanRecord) {
    const startedAt = scan.createdAt + timing.queueSeconds * 1000;
    const durationMs = (timing.durationSeconds[scan.scanType] ?? 60) * 1000;
    const finishedAt = startedAt + durationMs;
    return { startedAt, finishedAt, durationMs };
  }

  /** Where a scan stands at `now`. */
  function situation(scan: ScanRecord, now: number): Situation {
    const { startedAt, finishedAt, durationMs } = phase(scan);
    const progressAt = (t: number) => Math.min(99, Math.max(0, Math.floor(((t - startedAt) / durationMs) * 100)));
    if (scan.cancelledAt !== null && scan.cancelledAt < finishedAt && scan.cancelledAt <= now) {
      const started = scan.cancelledAt >= startedAt;
      return { status: 'cancelled', progress: started ? progressAt(scan.cancelledAt) : 0, startedAt: started ? startedAt : null, finishedAt: scan.cancelledAt };
    }
    if (now < startedAt) return { status: 'queued', progress: 0, startedAt: null, finishedAt: null };
    if (now < finishedAt) return { status: 'running', progress: progressAt(now), startedAt, finishedAt: null };
    return { status: scan.outcome, progress: 100, startedAt, finishedAt };
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

  // A view is rebuilt only when the scan's situation changes (a running scan's progress
  // moves one percent at a time): building views and their ISO dates was the top cost of
  // GET /v1/scans.
  const views = new WeakMap<ScanRecord, { at: Situation; view: ScanView }>();

  /** The scan's view at `now`. */
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

  return { phase, situation, view };
}
