// @ts-nocheck
// Scans and their reports. A scan's status is computed from the clock when it is read:
// queued for the spec's x-cortex-queue-seconds, running for its type's
// x-cortex-duration-seconds, then completed or failed (decided when it was created). A
// completed scan's report is generated on first read from a seed derived from the scan id,
// so the order of reads never changes the data.
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import { createFaker, deriveSeed, type FakeSource, type IdGenerator } from './fake';
export interface ScanTiming {
  queueSeconds: number;
  durationSeconds: Record<string, number>;
}
export interface ScanRecord {
  id: string;
  accountId: string;
  target: string;
  scanType: string;
  createdAt: number;
  cancelledAt: number | null;
  outcome: 'completed' | 'failed';
  failureReason: string | null;
}
export interface ScanView {
  id: string;
  object: 'scan';
  target: string;
  scan_type: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  progress: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  report_id: string | null;
  failure_reason: string | null;
}
export interface Finding {
  id: string;
  title: string;
  severity: Severity;
  category: string;
  technique: string;
  endpoint: string;
  process: string;
  description: string;
  detected_at: string;
}
type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export interface ReportView {
  id: string;
  object: 'report';
  scan_id: string;
  target: string;
  created_at: string;
  severity_counts: Record<Severity, number>;
  findings: Finding[];
}

// Sample detections an EDR reports; only the fake data generator reads this.
const DETECTIONS: Array<Omit<Finding, 'id' | 'endpoint' | 'detected_at' | 'severity'> & {
  severities: Severity[];
}> = stryMutAct_9fa48("902") ? [] : (stryCov_9fa48("902"), [stryMutAct_9fa48("903") ? {} : (stryCov_9fa48("903"), {
  title: stryMutAct_9fa48("904") ? "" : (stryCov_9fa48("904"), 'Suspicious PowerShell execution'),
  category: stryMutAct_9fa48("905") ? "" : (stryCov_9fa48("905"), 'execution'),
  technique: stryMutAct_9fa48("906") ? "" : (stryCov_9fa48("906"), 'T1059.001'),
  process: stryMutAct_9fa48("907") ? "" : (stryCov_9fa48("907"), 'powershell.exe'),
  description: stryMutAct_9fa48("908") ? "" : (stryCov_9fa48("908"), 'An encoded PowerShell command was launched by an Office process.'),
  severities: stryMutAct_9fa48("909") ? [] : (stryCov_9fa48("909"), [stryMutAct_9fa48("910") ? "" : (stryCov_9fa48("910"), 'high'), stryMutAct_9fa48("911") ? "" : (stryCov_9fa48("911"), 'critical')])
}), stryMutAct_9fa48("912") ? {} : (stryCov_9fa48("912"), {
  title: stryMutAct_9fa48("913") ? "" : (stryCov_9fa48("913"), 'Credential dumping from LSASS'),
  category: stryMutAct_9fa48("914") ? "" : (stryCov_9fa48("914"), 'credential_access'),
  technique: stryMutAct_9fa48("915") ? "" : (stryCov_9fa48("915"), 'T1003.001'),
  process: stryMutAct_9fa48("916") ? "" : (stryCov_9fa48("916"), 'rundll32.exe'),
  description: stryMutAct_9fa48("917") ? "" : (stryCov_9fa48("917"), 'A process read the memory of lsass.exe.'),
  severities: stryMutAct_9fa48("918") ? [] : (stryCov_9fa48("918"), [stryMutAct_9fa48("919") ? "" : (stryCov_9fa48("919"), 'critical')])
}), stryMutAct_9fa48("920") ? {} : (stryCov_9fa48("920"), {
  title: stryMutAct_9fa48("921") ? "" : (stryCov_9fa48("921"), 'Unsigned driver loaded'),
  category: stryMutAct_9fa48("922") ? "" : (stryCov_9fa48("922"), 'persistence'),
  technique: stryMutAct_9fa48("923") ? "" : (stryCov_9fa48("923"), 'T1543.003'),
  process: stryMutAct_9fa48("924") ? "" : (stryCov_9fa48("924"), 'services.exe'),
  description: stryMutAct_9fa48("925") ? "" : (stryCov_9fa48("925"), 'A kernel driver without a valid signature was loaded at boot.'),
  severities: stryMutAct_9fa48("926") ? [] : (stryCov_9fa48("926"), [stryMutAct_9fa48("927") ? "" : (stryCov_9fa48("927"), 'medium'), stryMutAct_9fa48("928") ? "" : (stryCov_9fa48("928"), 'high')])
}), stryMutAct_9fa48("929") ? {} : (stryCov_9fa48("929"), {
  title: stryMutAct_9fa48("930") ? "" : (stryCov_9fa48("930"), 'Scheduled task created for persistence'),
  category: stryMutAct_9fa48("931") ? "" : (stryCov_9fa48("931"), 'persistence'),
  technique: stryMutAct_9fa48("932") ? "" : (stryCov_9fa48("932"), 'T1053.005'),
  process: stryMutAct_9fa48("933") ? "" : (stryCov_9fa48("933"), 'schtasks.exe'),
  description: stryMutAct_9fa48("934") ? "" : (stryCov_9fa48("934"), 'A scheduled task runs a binary from a user-writable folder.'),
  severities: stryMutAct_9fa48("935") ? [] : (stryCov_9fa48("935"), [stryMutAct_9fa48("936") ? "" : (stryCov_9fa48("936"), 'medium')])
}), stryMutAct_9fa48("937") ? {} : (stryCov_9fa48("937"), {
  title: stryMutAct_9fa48("938") ? "" : (stryCov_9fa48("938"), 'Security tool tampering'),
  category: stryMutAct_9fa48("939") ? "" : (stryCov_9fa48("939"), 'defense_evasion'),
  technique: stryMutAct_9fa48("940") ? "" : (stryCov_9fa48("940"), 'T1562.001'),
  process: stryMutAct_9fa48("941") ? "" : (stryCov_9fa48("941"), 'sc.exe'),
  description: stryMutAct_9fa48("942") ? "" : (stryCov_9fa48("942"), 'An attempt was made to stop the endpoint agent service.'),
  severities: stryMutAct_9fa48("943") ? [] : (stryCov_9fa48("943"), [stryMutAct_9fa48("944") ? "" : (stryCov_9fa48("944"), 'high')])
}), stryMutAct_9fa48("945") ? {} : (stryCov_9fa48("945"), {
  title: stryMutAct_9fa48("946") ? "" : (stryCov_9fa48("946"), 'Remote service execution'),
  category: stryMutAct_9fa48("947") ? "" : (stryCov_9fa48("947"), 'lateral_movement'),
  technique: stryMutAct_9fa48("948") ? "" : (stryCov_9fa48("948"), 'T1021.002'),
  process: stryMutAct_9fa48("949") ? "" : (stryCov_9fa48("949"), 'psexesvc.exe'),
  description: stryMutAct_9fa48("950") ? "" : (stryCov_9fa48("950"), 'A service was installed remotely over SMB.'),
  severities: stryMutAct_9fa48("951") ? [] : (stryCov_9fa48("951"), [stryMutAct_9fa48("952") ? "" : (stryCov_9fa48("952"), 'high'), stryMutAct_9fa48("953") ? "" : (stryCov_9fa48("953"), 'medium')])
}), stryMutAct_9fa48("954") ? {} : (stryCov_9fa48("954"), {
  title: stryMutAct_9fa48("955") ? "" : (stryCov_9fa48("955"), 'Token impersonation'),
  category: stryMutAct_9fa48("956") ? "" : (stryCov_9fa48("956"), 'privilege_escalation'),
  technique: stryMutAct_9fa48("957") ? "" : (stryCov_9fa48("957"), 'T1134.001'),
  process: stryMutAct_9fa48("958") ? "" : (stryCov_9fa48("958"), 'svchost.exe'),
  description: stryMutAct_9fa48("959") ? "" : (stryCov_9fa48("959"), 'A process duplicated a SYSTEM token.'),
  severities: stryMutAct_9fa48("960") ? [] : (stryCov_9fa48("960"), [stryMutAct_9fa48("961") ? "" : (stryCov_9fa48("961"), 'high')])
}), stryMutAct_9fa48("962") ? {} : (stryCov_9fa48("962"), {
  title: stryMutAct_9fa48("963") ? "" : (stryCov_9fa48("963"), 'Large upload to a rare domain'),
  category: stryMutAct_9fa48("964") ? "" : (stryCov_9fa48("964"), 'exfiltration'),
  technique: stryMutAct_9fa48("965") ? "" : (stryCov_9fa48("965"), 'T1041'),
  process: stryMutAct_9fa48("966") ? "" : (stryCov_9fa48("966"), 'curl.exe'),
  description: stryMutAct_9fa48("967") ? "" : (stryCov_9fa48("967"), 'More than 200 MB went to a domain first seen today.'),
  severities: stryMutAct_9fa48("968") ? [] : (stryCov_9fa48("968"), [stryMutAct_9fa48("969") ? "" : (stryCov_9fa48("969"), 'medium'), stryMutAct_9fa48("970") ? "" : (stryCov_9fa48("970"), 'low')])
}), stryMutAct_9fa48("971") ? {} : (stryCov_9fa48("971"), {
  title: stryMutAct_9fa48("972") ? "" : (stryCov_9fa48("972"), 'Known malware hash'),
  category: stryMutAct_9fa48("973") ? "" : (stryCov_9fa48("973"), 'malware'),
  technique: stryMutAct_9fa48("974") ? "" : (stryCov_9fa48("974"), 'T1204.002'),
  process: stryMutAct_9fa48("975") ? "" : (stryCov_9fa48("975"), 'invoice.exe'),
  description: stryMutAct_9fa48("976") ? "" : (stryCov_9fa48("976"), 'A file matched a known commodity loader.'),
  severities: stryMutAct_9fa48("977") ? [] : (stryCov_9fa48("977"), [stryMutAct_9fa48("978") ? "" : (stryCov_9fa48("978"), 'critical'), stryMutAct_9fa48("979") ? "" : (stryCov_9fa48("979"), 'high')])
}), stryMutAct_9fa48("980") ? {} : (stryCov_9fa48("980"), {
  title: stryMutAct_9fa48("981") ? "" : (stryCov_9fa48("981"), 'Outdated agent policy'),
  category: stryMutAct_9fa48("982") ? "" : (stryCov_9fa48("982"), 'defense_evasion'),
  technique: stryMutAct_9fa48("983") ? "" : (stryCov_9fa48("983"), 'T1562'),
  process: stryMutAct_9fa48("984") ? "" : (stryCov_9fa48("984"), 'cortex-agent'),
  description: stryMutAct_9fa48("985") ? "" : (stryCov_9fa48("985"), 'The endpoint runs a policy older than 30 days.'),
  severities: stryMutAct_9fa48("986") ? [] : (stryCov_9fa48("986"), [stryMutAct_9fa48("987") ? "" : (stryCov_9fa48("987"), 'info'), stryMutAct_9fa48("988") ? "" : (stryCov_9fa48("988"), 'low')])
})]);
const FAILURES = stryMutAct_9fa48("989") ? [] : (stryCov_9fa48("989"), [stryMutAct_9fa48("990") ? "" : (stryCov_9fa48("990"), 'Endpoint agent did not respond'), stryMutAct_9fa48("991") ? "" : (stryCov_9fa48("991"), 'Endpoint went offline during the scan'), stryMutAct_9fa48("992") ? "" : (stryCov_9fa48("992"), 'Scan timed out on a locked volume')]);
const iso = stryMutAct_9fa48("993") ? () => undefined : (stryCov_9fa48("993"), (() => {
  const iso = (ms: number) => new Date(ms).toISOString();
  return iso;
})());
interface Situation {
  status: ScanView['status'];
  progress: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** The scans of every account of one mock instance, at most `maxPerAccount` each. */
export function createScanStore(timing: ScanTiming, seed: number, maxPerAccount = Infinity) {
  if (stryMutAct_9fa48("994")) {
    {}
  } else {
    stryCov_9fa48("994");
    const scans = new Map<string, ScanRecord>();
    const byAccount = new Map<string, ScanRecord[]>();
    const reports = new Map<string, ReportView>();
    function phase(scan: ScanRecord, now: number) {
      if (stryMutAct_9fa48("995")) {
        {}
      } else {
        stryCov_9fa48("995");
        const startedAt = stryMutAct_9fa48("996") ? scan.createdAt - timing.queueSeconds * 1000 : (stryCov_9fa48("996"), scan.createdAt + (stryMutAct_9fa48("997") ? timing.queueSeconds / 1000 : (stryCov_9fa48("997"), timing.queueSeconds * 1000)));
        const durationMs = stryMutAct_9fa48("998") ? (timing.durationSeconds[scan.scanType] ?? 60) / 1000 : (stryCov_9fa48("998"), (stryMutAct_9fa48("999") ? timing.durationSeconds[scan.scanType] && 60 : (stryCov_9fa48("999"), timing.durationSeconds[scan.scanType] ?? 60)) * 1000);
        const finishedAt = stryMutAct_9fa48("1000") ? startedAt - durationMs : (stryCov_9fa48("1000"), startedAt + durationMs);
        return stryMutAct_9fa48("1001") ? {} : (stryCov_9fa48("1001"), {
          startedAt,
          finishedAt,
          durationMs
        });
      }
    }

    /** Where a scan stands at `now`: everything its view depends on that changes, as numbers. */
    function situation(scan: ScanRecord, now: number): Situation {
      if (stryMutAct_9fa48("1002")) {
        {}
      } else {
        stryCov_9fa48("1002");
        const {
          startedAt,
          finishedAt,
          durationMs
        } = phase(scan, now);
        const progressAt = stryMutAct_9fa48("1003") ? () => undefined : (stryCov_9fa48("1003"), (() => {
          const progressAt = (t: number) => stryMutAct_9fa48("1004") ? Math.max(99, Math.max(0, Math.floor((t - startedAt) / durationMs * 100))) : (stryCov_9fa48("1004"), Math.min(99, stryMutAct_9fa48("1005") ? Math.min(0, Math.floor((t - startedAt) / durationMs * 100)) : (stryCov_9fa48("1005"), Math.max(0, Math.floor(stryMutAct_9fa48("1006") ? (t - startedAt) / durationMs / 100 : (stryCov_9fa48("1006"), (stryMutAct_9fa48("1007") ? (t - startedAt) * durationMs : (stryCov_9fa48("1007"), (stryMutAct_9fa48("1008") ? t + startedAt : (stryCov_9fa48("1008"), t - startedAt)) / durationMs)) * 100))))));
          return progressAt;
        })());
        if (stryMutAct_9fa48("1011") ? scan.cancelledAt !== null && scan.cancelledAt < finishedAt || scan.cancelledAt <= now : stryMutAct_9fa48("1010") ? false : stryMutAct_9fa48("1009") ? true : (stryCov_9fa48("1009", "1010", "1011"), (stryMutAct_9fa48("1013") ? scan.cancelledAt !== null || scan.cancelledAt < finishedAt : stryMutAct_9fa48("1012") ? true : (stryCov_9fa48("1012", "1013"), (stryMutAct_9fa48("1015") ? scan.cancelledAt === null : stryMutAct_9fa48("1014") ? true : (stryCov_9fa48("1014", "1015"), scan.cancelledAt !== null)) && (stryMutAct_9fa48("1018") ? scan.cancelledAt >= finishedAt : stryMutAct_9fa48("1017") ? scan.cancelledAt <= finishedAt : stryMutAct_9fa48("1016") ? true : (stryCov_9fa48("1016", "1017", "1018"), scan.cancelledAt < finishedAt)))) && (stryMutAct_9fa48("1021") ? scan.cancelledAt > now : stryMutAct_9fa48("1020") ? scan.cancelledAt < now : stryMutAct_9fa48("1019") ? true : (stryCov_9fa48("1019", "1020", "1021"), scan.cancelledAt <= now)))) {
          if (stryMutAct_9fa48("1022")) {
            {}
          } else {
            stryCov_9fa48("1022");
            const started = stryMutAct_9fa48("1026") ? scan.cancelledAt < startedAt : stryMutAct_9fa48("1025") ? scan.cancelledAt > startedAt : stryMutAct_9fa48("1024") ? false : stryMutAct_9fa48("1023") ? true : (stryCov_9fa48("1023", "1024", "1025", "1026"), scan.cancelledAt >= startedAt);
            return stryMutAct_9fa48("1027") ? {} : (stryCov_9fa48("1027"), {
              status: stryMutAct_9fa48("1028") ? "" : (stryCov_9fa48("1028"), 'cancelled'),
              progress: started ? progressAt(scan.cancelledAt) : 0,
              startedAt: started ? startedAt : null,
              finishedAt: scan.cancelledAt
            });
          }
        }
        if (stryMutAct_9fa48("1032") ? now >= startedAt : stryMutAct_9fa48("1031") ? now <= startedAt : stryMutAct_9fa48("1030") ? false : stryMutAct_9fa48("1029") ? true : (stryCov_9fa48("1029", "1030", "1031", "1032"), now < startedAt)) return stryMutAct_9fa48("1033") ? {} : (stryCov_9fa48("1033"), {
          status: stryMutAct_9fa48("1034") ? "" : (stryCov_9fa48("1034"), 'queued'),
          progress: 0,
          startedAt: null,
          finishedAt: null
        });
        if (stryMutAct_9fa48("1038") ? now >= finishedAt : stryMutAct_9fa48("1037") ? now <= finishedAt : stryMutAct_9fa48("1036") ? false : stryMutAct_9fa48("1035") ? true : (stryCov_9fa48("1035", "1036", "1037", "1038"), now < finishedAt)) return stryMutAct_9fa48("1039") ? {} : (stryCov_9fa48("1039"), {
          status: stryMutAct_9fa48("1040") ? "" : (stryCov_9fa48("1040"), 'running'),
          progress: progressAt(now),
          startedAt,
          finishedAt: null
        });
        return stryMutAct_9fa48("1041") ? {} : (stryCov_9fa48("1041"), {
          status: scan.outcome,
          progress: 100,
          startedAt,
          finishedAt
        });
      }
    }

    // A view is rebuilt only when the scan's situation changes (a running scan's progress
    // moves one percent at a time): building views and their ISO dates was the top cost of
    // GET /v1/scans.
    const views = new WeakMap<ScanRecord, {
      at: Situation;
      view: ScanView;
    }>();
    function view(scan: ScanRecord, now: number): ScanView {
      if (stryMutAct_9fa48("1042")) {
        {}
      } else {
        stryCov_9fa48("1042");
        const at = situation(scan, now);
        const cached = views.get(scan);
        if (stryMutAct_9fa48("1045") ? cached && cached.at.status === at.status && cached.at.progress === at.progress && cached.at.startedAt === at.startedAt || cached.at.finishedAt === at.finishedAt : stryMutAct_9fa48("1044") ? false : stryMutAct_9fa48("1043") ? true : (stryCov_9fa48("1043", "1044", "1045"), (stryMutAct_9fa48("1047") ? cached && cached.at.status === at.status && cached.at.progress === at.progress || cached.at.startedAt === at.startedAt : stryMutAct_9fa48("1046") ? true : (stryCov_9fa48("1046", "1047"), (stryMutAct_9fa48("1049") ? cached && cached.at.status === at.status || cached.at.progress === at.progress : stryMutAct_9fa48("1048") ? true : (stryCov_9fa48("1048", "1049"), (stryMutAct_9fa48("1051") ? cached || cached.at.status === at.status : stryMutAct_9fa48("1050") ? true : (stryCov_9fa48("1050", "1051"), cached && (stryMutAct_9fa48("1053") ? cached.at.status !== at.status : stryMutAct_9fa48("1052") ? true : (stryCov_9fa48("1052", "1053"), cached.at.status === at.status)))) && (stryMutAct_9fa48("1055") ? cached.at.progress !== at.progress : stryMutAct_9fa48("1054") ? true : (stryCov_9fa48("1054", "1055"), cached.at.progress === at.progress)))) && (stryMutAct_9fa48("1057") ? cached.at.startedAt !== at.startedAt : stryMutAct_9fa48("1056") ? true : (stryCov_9fa48("1056", "1057"), cached.at.startedAt === at.startedAt)))) && (stryMutAct_9fa48("1059") ? cached.at.finishedAt !== at.finishedAt : stryMutAct_9fa48("1058") ? true : (stryCov_9fa48("1058", "1059"), cached.at.finishedAt === at.finishedAt)))) {
          if (stryMutAct_9fa48("1060")) {
            {}
          } else {
            stryCov_9fa48("1060");
            return cached.view;
          }
        }
        const built = Object.freeze(render(scan, at)) as ScanView;
        views.set(scan, stryMutAct_9fa48("1061") ? {} : (stryCov_9fa48("1061"), {
          at,
          view: built
        }));
        return built;
      }
    }
    function render(scan: ScanRecord, at: Situation): ScanView {
      if (stryMutAct_9fa48("1062")) {
        {}
      } else {
        stryCov_9fa48("1062");
        const completed = stryMutAct_9fa48("1065") ? at.status !== 'completed' : stryMutAct_9fa48("1064") ? false : stryMutAct_9fa48("1063") ? true : (stryCov_9fa48("1063", "1064", "1065"), at.status === (stryMutAct_9fa48("1066") ? "" : (stryCov_9fa48("1066"), 'completed')));
        return stryMutAct_9fa48("1067") ? {} : (stryCov_9fa48("1067"), {
          id: scan.id,
          object: stryMutAct_9fa48("1068") ? "" : (stryCov_9fa48("1068"), 'scan'),
          target: scan.target,
          scan_type: scan.scanType,
          created_at: iso(scan.createdAt),
          status: at.status,
          progress: at.progress,
          started_at: (stryMutAct_9fa48("1071") ? at.startedAt !== null : stryMutAct_9fa48("1070") ? false : stryMutAct_9fa48("1069") ? true : (stryCov_9fa48("1069", "1070", "1071"), at.startedAt === null)) ? null : iso(at.startedAt),
          finished_at: (stryMutAct_9fa48("1074") ? at.finishedAt !== null : stryMutAct_9fa48("1073") ? false : stryMutAct_9fa48("1072") ? true : (stryCov_9fa48("1072", "1073", "1074"), at.finishedAt === null)) ? null : iso(at.finishedAt),
          report_id: completed ? reportIdOf(scan.id) : null,
          failure_reason: (stryMutAct_9fa48("1077") ? at.status !== 'failed' : stryMutAct_9fa48("1076") ? false : stryMutAct_9fa48("1075") ? true : (stryCov_9fa48("1075", "1076", "1077"), at.status === (stryMutAct_9fa48("1078") ? "" : (stryCov_9fa48("1078"), 'failed')))) ? scan.failureReason : null
        });
      }
    }
    function generateReport(scan: ScanRecord, finishedAt: number): ReportView {
      if (stryMutAct_9fa48("1079")) {
        {}
      } else {
        stryCov_9fa48("1079");
        const faker: FakeSource = createFaker(deriveSeed(seed, scan.id));
        const count = faker.number.int(stryMutAct_9fa48("1080") ? {} : (stryCov_9fa48("1080"), {
          min: 0,
          max: 6
        }));
        const counts: Record<Severity, number> = stryMutAct_9fa48("1081") ? {} : (stryCov_9fa48("1081"), {
          critical: 0,
          high: 0,
          medium: 0,
          low: 0,
          info: 0
        });
        const {
          startedAt
        } = phase(scan, finishedAt);
        const findings: Finding[] = stryMutAct_9fa48("1082") ? ["Stryker was here"] : (stryCov_9fa48("1082"), []);
        for (let i = 0; stryMutAct_9fa48("1085") ? i >= count : stryMutAct_9fa48("1084") ? i <= count : stryMutAct_9fa48("1083") ? false : (stryCov_9fa48("1083", "1084", "1085"), i < count); stryMutAct_9fa48("1086") ? i-- : (stryCov_9fa48("1086"), i++)) {
          if (stryMutAct_9fa48("1087")) {
            {}
          } else {
            stryCov_9fa48("1087");
            const d = faker.helpers.arrayElement(DETECTIONS);
            const severity = faker.helpers.arrayElement(d.severities);
            stryMutAct_9fa48("1088") ? counts[severity]-- : (stryCov_9fa48("1088"), counts[severity]++);
            findings.push(stryMutAct_9fa48("1089") ? {} : (stryCov_9fa48("1089"), {
              id: stryMutAct_9fa48("1090") ? `` : (stryCov_9fa48("1090"), `fnd_${faker.string.alphanumeric(stryMutAct_9fa48("1091") ? {} : (stryCov_9fa48("1091"), {
                length: 16,
                casing: stryMutAct_9fa48("1092") ? "" : (stryCov_9fa48("1092"), 'lower')
              }))}`),
              title: d.title,
              severity,
              category: d.category,
              technique: d.technique,
              endpoint: scan.target,
              process: d.process,
              description: d.description,
              detected_at: iso(faker.number.int(stryMutAct_9fa48("1093") ? {} : (stryCov_9fa48("1093"), {
                min: startedAt,
                max: finishedAt
              })))
            }));
          }
        }
        stryMutAct_9fa48("1094") ? findings : (stryCov_9fa48("1094"), findings.sort(stryMutAct_9fa48("1095") ? () => undefined : (stryCov_9fa48("1095"), (a, b) => (stryMutAct_9fa48("1099") ? a.detected_at >= b.detected_at : stryMutAct_9fa48("1098") ? a.detected_at <= b.detected_at : stryMutAct_9fa48("1097") ? false : stryMutAct_9fa48("1096") ? true : (stryCov_9fa48("1096", "1097", "1098", "1099"), a.detected_at < b.detected_at)) ? stryMutAct_9fa48("1100") ? +1 : (stryCov_9fa48("1100"), -1) : (stryMutAct_9fa48("1104") ? a.detected_at <= b.detected_at : stryMutAct_9fa48("1103") ? a.detected_at >= b.detected_at : stryMutAct_9fa48("1102") ? false : stryMutAct_9fa48("1101") ? true : (stryCov_9fa48("1101", "1102", "1103", "1104"), a.detected_at > b.detected_at)) ? 1 : 0)));
        return stryMutAct_9fa48("1105") ? {} : (stryCov_9fa48("1105"), {
          id: reportIdOf(scan.id),
          object: stryMutAct_9fa48("1106") ? "" : (stryCov_9fa48("1106"), 'report'),
          scan_id: scan.id,
          target: scan.target,
          created_at: iso(finishedAt),
          severity_counts: counts,
          findings
        });
      }
    }
    return stryMutAct_9fa48("1107") ? {} : (stryCov_9fa48("1107"), {
      view,
      add(scan: ScanRecord) {
        if (stryMutAct_9fa48("1108")) {
          {}
        } else {
          stryCov_9fa48("1108");
          scans.set(scan.id, scan);
          const list = stryMutAct_9fa48("1109") ? byAccount.get(scan.accountId) && [] : (stryCov_9fa48("1109"), byAccount.get(scan.accountId) ?? (stryMutAct_9fa48("1110") ? ["Stryker was here"] : (stryCov_9fa48("1110"), [])));
          // Newest first, ties broken by id, so the order never depends on insertion. New scans
          // are usually the newest: the binary search ends at the front.
          let lo = 0;
          let hi = list.length;
          while (stryMutAct_9fa48("1113") ? lo >= hi : stryMutAct_9fa48("1112") ? lo <= hi : stryMutAct_9fa48("1111") ? false : (stryCov_9fa48("1111", "1112", "1113"), lo < hi)) {
            if (stryMutAct_9fa48("1114")) {
              {}
            } else {
              stryCov_9fa48("1114");
              const mid = (stryMutAct_9fa48("1115") ? lo - hi : (stryCov_9fa48("1115"), lo + hi)) >>> 1;
              if (stryMutAct_9fa48("1119") ? newerFirst(list[mid], scan) >= 0 : stryMutAct_9fa48("1118") ? newerFirst(list[mid], scan) <= 0 : stryMutAct_9fa48("1117") ? false : stryMutAct_9fa48("1116") ? true : (stryCov_9fa48("1116", "1117", "1118", "1119"), newerFirst(list[mid], scan) < 0)) lo = stryMutAct_9fa48("1120") ? mid - 1 : (stryCov_9fa48("1120"), mid + 1);else hi = mid;
            }
          }
          list.splice(lo, 0, scan);
          byAccount.set(scan.accountId, list);
          // Bounded memory: past the cap the oldest finished scan goes (then the oldest of all).
          while (stryMutAct_9fa48("1123") ? list.length <= maxPerAccount : stryMutAct_9fa48("1122") ? list.length >= maxPerAccount : stryMutAct_9fa48("1121") ? false : (stryCov_9fa48("1121", "1122", "1123"), list.length > maxPerAccount)) {
            if (stryMutAct_9fa48("1124")) {
              {}
            } else {
              stryCov_9fa48("1124");
              let victim = stryMutAct_9fa48("1125") ? list.length + 1 : (stryCov_9fa48("1125"), list.length - 1);
              for (let i = stryMutAct_9fa48("1126") ? list.length + 1 : (stryCov_9fa48("1126"), list.length - 1); stryMutAct_9fa48("1129") ? i < 0 : stryMutAct_9fa48("1128") ? i > 0 : stryMutAct_9fa48("1127") ? false : (stryCov_9fa48("1127", "1128", "1129"), i >= 0); stryMutAct_9fa48("1130") ? i++ : (stryCov_9fa48("1130"), i--)) {
                if (stryMutAct_9fa48("1131")) {
                  {}
                } else {
                  stryCov_9fa48("1131");
                  if (stryMutAct_9fa48("1134") ? situation(list[i], scan.createdAt).finishedAt === null : stryMutAct_9fa48("1133") ? false : stryMutAct_9fa48("1132") ? true : (stryCov_9fa48("1132", "1133", "1134"), situation(list[i], scan.createdAt).finishedAt !== null)) {
                    if (stryMutAct_9fa48("1135")) {
                      {}
                    } else {
                      stryCov_9fa48("1135");
                      victim = i;
                      break;
                    }
                  }
                }
              }
              const [gone] = list.splice(victim, 1);
              scans.delete(gone.id);
              reports.delete(gone.id);
            }
          }
        }
      },
      get(accountId: string, id: string): ScanRecord | undefined {
        if (stryMutAct_9fa48("1136")) {
          {}
        } else {
          stryCov_9fa48("1136");
          const scan = scans.get(id);
          return (stryMutAct_9fa48("1139") ? scan || scan.accountId === accountId : stryMutAct_9fa48("1138") ? false : stryMutAct_9fa48("1137") ? true : (stryCov_9fa48("1137", "1138", "1139"), scan && (stryMutAct_9fa48("1141") ? scan.accountId !== accountId : stryMutAct_9fa48("1140") ? true : (stryCov_9fa48("1140", "1141"), scan.accountId === accountId)))) ? scan : undefined;
        }
      },
      listOf: stryMutAct_9fa48("1142") ? () => undefined : (stryCov_9fa48("1142"), (accountId: string): readonly ScanRecord[] => stryMutAct_9fa48("1143") ? byAccount.get(accountId) && [] : (stryCov_9fa48("1143"), byAccount.get(accountId) ?? (stryMutAct_9fa48("1144") ? ["Stryker was here"] : (stryCov_9fa48("1144"), [])))),
      /** The report of a scan that has completed by `now`, else undefined. */
      reportOf(scan: ScanRecord, now: number): ReportView | undefined {
        if (stryMutAct_9fa48("1145")) {
          {}
        } else {
          stryCov_9fa48("1145");
          if (stryMutAct_9fa48("1148") ? view(scan, now).status === 'completed' : stryMutAct_9fa48("1147") ? false : stryMutAct_9fa48("1146") ? true : (stryCov_9fa48("1146", "1147", "1148"), view(scan, now).status !== (stryMutAct_9fa48("1149") ? "" : (stryCov_9fa48("1149"), 'completed')))) return undefined;
          let report = reports.get(scan.id);
          if (stryMutAct_9fa48("1152") ? false : stryMutAct_9fa48("1151") ? true : stryMutAct_9fa48("1150") ? report : (stryCov_9fa48("1150", "1151", "1152"), !report)) {
            if (stryMutAct_9fa48("1153")) {
              {}
            } else {
              stryCov_9fa48("1153");
              report = generateReport(scan, phase(scan, now).finishedAt);
              reports.set(scan.id, report);
            }
          }
          return report;
        }
      },
      /** The scan a report id belongs to. */
      scanOfReport(accountId: string, reportId: string): ScanRecord | undefined {
        if (stryMutAct_9fa48("1154")) {
          {}
        } else {
          stryCov_9fa48("1154");
          return this.get(accountId, stryMutAct_9fa48("1155") ? `` : (stryCov_9fa48("1155"), `scan_${stryMutAct_9fa48("1156") ? reportId : (stryCov_9fa48("1156"), reportId.slice((stryMutAct_9fa48("1157") ? "" : (stryCov_9fa48("1157"), 'rpt_')).length))}`));
        }
      },
      clear() {
        if (stryMutAct_9fa48("1158")) {
          {}
        } else {
          stryCov_9fa48("1158");
          scans.clear();
          byAccount.clear();
          reports.clear();
        }
      }
    });
  }
}
function newerFirst(a: ScanRecord, b: ScanRecord): number {
  if (stryMutAct_9fa48("1159")) {
    {}
  } else {
    stryCov_9fa48("1159");
    return stryMutAct_9fa48("1162") ? b.createdAt - a.createdAt && (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : stryMutAct_9fa48("1161") ? false : stryMutAct_9fa48("1160") ? true : (stryCov_9fa48("1160", "1161", "1162"), (stryMutAct_9fa48("1163") ? b.createdAt + a.createdAt : (stryCov_9fa48("1163"), b.createdAt - a.createdAt)) || ((stryMutAct_9fa48("1167") ? a.id >= b.id : stryMutAct_9fa48("1166") ? a.id <= b.id : stryMutAct_9fa48("1165") ? false : stryMutAct_9fa48("1164") ? true : (stryCov_9fa48("1164", "1165", "1166", "1167"), a.id < b.id)) ? 1 : (stryMutAct_9fa48("1171") ? a.id <= b.id : stryMutAct_9fa48("1170") ? a.id >= b.id : stryMutAct_9fa48("1169") ? false : stryMutAct_9fa48("1168") ? true : (stryCov_9fa48("1168", "1169", "1170", "1171"), a.id > b.id)) ? stryMutAct_9fa48("1172") ? +1 : (stryCov_9fa48("1172"), -1) : 0));
  }
}
export type ScanStore = ReturnType<typeof createScanStore>;
export function reportIdOf(scanId: string): string {
  if (stryMutAct_9fa48("1173")) {
    {}
  } else {
    stryCov_9fa48("1173");
    return stryMutAct_9fa48("1174") ? `` : (stryCov_9fa48("1174"), `rpt_${stryMutAct_9fa48("1175") ? scanId : (stryCov_9fa48("1175"), scanId.slice((stryMutAct_9fa48("1176") ? "" : (stryCov_9fa48("1176"), 'scan_')).length))}`);
  }
}

/** Creates a new scan record; the outcome is decided now, from the seeded source. */
export function newScan(faker: FakeSource, ids: IdGenerator, accountId: string, target: string, scanType: string, createdAt: number): ScanRecord {
  if (stryMutAct_9fa48("1177")) {
    {}
  } else {
    stryCov_9fa48("1177");
    const failed = stryMutAct_9fa48("1180") ? faker.number.int({
      min: 1,
      max: 10
    }) !== 1 : stryMutAct_9fa48("1179") ? false : stryMutAct_9fa48("1178") ? true : (stryCov_9fa48("1178", "1179", "1180"), faker.number.int(stryMutAct_9fa48("1181") ? {} : (stryCov_9fa48("1181"), {
      min: 1,
      max: 10
    })) === 1);
    return stryMutAct_9fa48("1182") ? {} : (stryCov_9fa48("1182"), {
      id: ids.next(stryMutAct_9fa48("1183") ? "" : (stryCov_9fa48("1183"), 'scan')),
      accountId,
      target,
      scanType,
      createdAt,
      cancelledAt: null,
      outcome: failed ? stryMutAct_9fa48("1184") ? "" : (stryCov_9fa48("1184"), 'failed') : stryMutAct_9fa48("1185") ? "" : (stryCov_9fa48("1185"), 'completed'),
      failureReason: failed ? faker.helpers.arrayElement(FAILURES) : null
    });
  }
}