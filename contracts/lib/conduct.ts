// The mock's conduct report (docs/conduct.md) as the run leaves it. The harness breaks some of
// the rules on purpose (it sends refused keys again, keys in the URL, floods a used-up window,
// and reads each body whole instead of revalidating it); each suite names those it breaks, with
// why. Against a mock with a control API the run reads GET /_mock/conduct at its end, writes it
// to conduct.json beside the other reports, and says which findings fall outside those named.
import type { Transport } from './http';
import type { Settings } from './settings';

/** A rule of control.yaml's x-cortex-conduct-rules a suite breaks on purpose, and why. */
export interface ConductBreak {
  suite: string;
  rule: string;
  why: string;
}

/** What a suite module may say of its conduct: the rules it breaks by design, each with its reason. */
export interface ConductBreaking {
  conductBreaks?: Readonly<Record<string, string>>;
}

interface ConductReport {
  clients: Array<{ key_id: string; findings: Array<{ rule: string; count: number; request_ids: string[]; message: string }> }>;
}

/** Every suite's deliberate breaks, in the suites' order. */
export function deliberateBreaks(suites: ReadonlyArray<readonly [string, ConductBreaking]>): ConductBreak[] {
  return suites.flatMap(([suite, s]) => Object.entries(s.conductBreaks ?? {}).map(([rule, why]) => ({ suite, rule, why })));
}

/** The report of the mock at `settings.controlUrl`, or undefined (no control API, or one that has no conduct report). */
export async function readConductReport(transport: Transport, settings: Settings): Promise<ConductReport | undefined> {
  if (!settings.controlUrl) return undefined;
  try {
    const res = await transport.send('GET', `${settings.controlUrl}/conduct`, { timeoutMs: settings.timeoutMs });
    const body = res.body as ConductReport | undefined;
    return res.status === 200 && Array.isArray(body?.clients) ? body : undefined;
  } catch {
    return undefined;
  }
}

/** The report set against the breaks: the findings of rules no suite named, and the named rules that did not fire. */
export function judgeConduct(report: ConductReport, breaks: readonly ConductBreak[]) {
  const named = new Set(breaks.map((b) => b.rule));
  const fired = new Set(report.clients.flatMap((c) => c.findings.map((f) => f.rule)));
  const unexpected = report.clients.flatMap((c) => c.findings.filter((f) => !named.has(f.rule)).map((f) => ({ key_id: c.key_id, rule: f.rule, count: f.count, message: f.message })));
  return { unexpected, unfired: [...named].filter((r) => !fired.has(r)), fired: [...fired].sort() };
}

/** conduct.json's content and the summary's line. */
export function conductReportFile(report: ConductReport, breaks: readonly ConductBreak[]): { json: string; line: string } {
  const judged = judgeConduct(report, breaks);
  const line = judged.unexpected.length
    ? `contract: conduct: the mock reports ${judged.unexpected.length} finding(s) of rules no suite breaks on purpose: ${[...new Set(judged.unexpected.map((u) => u.rule))].join(', ')} (conduct.json)`
    : `contract: conduct: the mock's findings are all of rules the suites break on purpose (${judged.fired.join(', ') || 'none'}; conduct.json)`;
  return { json: `${JSON.stringify({ deliberate: breaks, ...judged, report }, null, 2)}\n`, line };
}
