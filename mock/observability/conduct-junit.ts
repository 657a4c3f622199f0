// The conduct report as JUnit XML (cortex-mock --conduct-report, docs/conduct.md): a
// testsuite per client seen, a testcase per client and rule, so a clean run is a green list.
// An error finding is a <failure>; a warning passes, said in the testcase's <system-out>.
// Every text is XML-escaped and redacted.
import { redact } from '../../lib/redact';
import { xmlAttribute as attr, xmlText as text } from '../../lib/xml';
import type { ConductFinding, ConductReport, ConductRule } from '../domain/conduct';

/** What a finding says beyond its message: the practice, the count and the request ids. */
const detail = (f: ConductFinding) =>
  `${redact(f.message)}\npractice: ${f.practice}\ncount: ${f.count}\nrequest ids: ${f.request_ids.join(' ')}`;

function testcase(client: string, rule: ConductRule, findings: ConductFinding[]): { xml: string; failed: boolean; skipped: boolean } {
  const open = `    <testcase classname="${attr(client)}" name="${attr(rule.name)}" time="0">`;
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const parts = [
    ...errors.map((f) => `      <failure type="error" message="${attr(`${f.count}x: ${redact(f.message)}`)}">${text(detail(f))}</failure>`),
    ...(warnings.length ? [`      <system-out>${text(warnings.map((f) => `warning: ${detail(f)}`).join('\n\n'))}</system-out>`] : []),
  ];
  return { xml: parts.length ? `${open}\n${parts.join('\n')}\n    </testcase>` : `${open}</testcase>`, failed: errors.length > 0, skipped: false };
}

/**
 * JUnit XML of `report` (every client seen, as `mock.conduct({ everyClient: true })` gives
 * it) over `rules` in the table's order; clients sorted by id, so two runs compare.
 */
export function conductJunit(report: ConductReport, rules: Iterable<ConductRule>): string {
  const table = [...rules];
  const totals = { tests: 0, failures: 0, skipped: 0 };
  const suites = [...report.clients]
    .sort((a, b) => (a.key_id < b.key_id ? -1 : a.key_id > b.key_id ? 1 : 0))
    .map((c) => {
      const cases = table.map((r) => testcase(c.key_id, r, c.findings.filter((f) => f.rule === r.name)));
      const failures = cases.filter((t) => t.failed).length;
      const skipped = cases.filter((t) => t.skipped).length;
      totals.tests += cases.length;
      totals.failures += failures;
      totals.skipped += skipped;
      return `  <testsuite name="${attr(c.key_id)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0">\n${cases.map((t) => t.xml).join('\n')}\n  </testsuite>`;
    });
  const head = `<testsuites name="cortex-edr-mock conduct" tests="${totals.tests}" failures="${totals.failures}" errors="0" skipped="${totals.skipped}" time="0">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${suites.map((s) => `${s}\n`).join('')}</testsuites>\n`;
}
