// A completed scan's report: findings an EDR would show, generated from a seed derived from
// the scan id, so the order of reads never changes the data.
import { createFaker, deriveSeed, type FakeSource } from './fake';
import { iso, type Finding, type ReportView, type ScanRecord, type Severity } from './scan-record';

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

/** The report of `scan`, which ran from `startedAt` to `finishedAt`, from the base seed and the scan's id. */
export function generateReport(scan: ScanRecord, startedAt: number, finishedAt: number, seed: number, reportId: string): ReportView {
  const faker: FakeSource = createFaker(deriveSeed(seed, scan.id));
  const count = faker.number.int({ min: 0, max: 6 });
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
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
    id: reportId,
    object: 'report',
    scan_id: scan.id,
    target: scan.target,
    created_at: iso(finishedAt),
    severity_counts: counts,
    findings,
  };
}
