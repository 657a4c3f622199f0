// Runs the registered cases one by one, in suite order, within the run's deadline, and
// writes the reports: junit.xml for CI, results.json with the named check of each failure,
// and the coverage matrix. The reports are written however the run ends: finished,
// stopped (deadline, budget, unreachable server) or interrupted (SIGINT, SIGTERM).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RunStopped, type Harness, type RegisteredCase, type SkipKind } from './harness';
import { TransportError } from './http';
import type { Output } from './output';

export type CaseStatus = 'passed' | 'failed' | 'skipped' | 'not-run';

export interface CaseResult {
  suite: string;
  name: string;
  status: CaseStatus;
  /** The named check that failed, for a failure. */
  check?: string;
  /** Why a skipped case was skipped: a missing key, not asked for, or beyond the target. */
  skipKind?: SkipKind;
  message?: string;
  ms: number;
}

export interface RunOutcome {
  results: CaseResult[];
  /** Why the run stopped early, if it did. */
  stopped?: { kind: string; message: string };
  /** What is wrong with the run itself rather than with one check (missing keys...). */
  runErrors?: Array<{ kind: string; message: string }>;
}

/** The run's own errors: the stop, if any, and the rest; each is an <error> in junit.xml. */
export function errorsOf(outcome: RunOutcome): Array<{ kind: string; message: string }> {
  return [...(outcome.stopped ? [outcome.stopped] : []), ...(outcome.runErrors ?? [])];
}

/** The check a failure names: `[check-name] ...`, else `unnamed`. */
export function checkOf(message: string): string {
  return /^\[([a-z0-9_-]+)\]/.exec(message)?.[1] ?? 'unnamed';
}

/** How many faults of one kind in a row mean every further check would fail the same way. */
const UNREACHABLE_IN_A_ROW = 3;
const STOPPING_FAULTS: Record<string, (url: string) => string> = {
  'connection-refused': (url) => `server unreachable at ${url}`,
  'connection-closed': (url) => `the server at ${url} closes the connection without answering`,
  'connection-reset': (url) => `the server at ${url} resets the connection`,
  timeout: (url) => `the server at ${url} does not answer in time`,
};

/** A failure's or a stop's message is kept to this many characters in the reports. */
const MAX_MESSAGE = 2000;

/**
 * What a case not run says: the stop by its kind, which the run's one <error> tells in full.
 * Copying the stop's message into each of some hundreds of cases made a 2 MB message a
 * 364 MB junit.xml.
 */
export function notRunBecause(stopped: { kind: string }): string {
  return `not run: the run stopped (${stopped.kind}) before it`;
}

export async function runCases(harness: Harness, outcome: RunOutcome, now: () => number = Date.now): Promise<RunOutcome> {
  const { settings, redact } = harness;
  let connectionFailures = 0;
  let lastFault: string | undefined;
  const queue = [...harness.cases];
  const notRun = (c: RegisteredCase, message: string): CaseResult => ({ suite: c.suite, name: c.name, status: 'not-run', message, ms: 0 });
  for (let i = 0; i < queue.length; i++) {
    const c = queue[i];
    if (c.skip) {
      outcome.results.push({ suite: c.suite, name: c.name, status: 'skipped', skipKind: c.skipKind ?? 'not-asked', message: c.skip, ms: 0 });
      continue;
    }
    if (outcome.stopped) {
      outcome.results.push(notRun(c, notRunBecause(outcome.stopped)));
      continue;
    }
    if (now() >= settings.deadline) {
      outcome.stopped = { kind: 'deadline', message: 'the run reached its deadline (--max-time)' };
      i--;
      continue;
    }
    const started = now();
    try {
      await c.fn();
      connectionFailures = 0;
      outcome.results.push({ suite: c.suite, name: c.name, status: 'passed', ms: now() - started });
    } catch (err) {
      if (err instanceof RunStopped) {
        outcome.stopped = { kind: err.kind, message: redact(err.message.replace(/^\[[a-z0-9_-]+\] /, '')).slice(0, MAX_MESSAGE) };
        outcome.results.push(notRun(c, notRunBecause(outcome.stopped)));
        continue;
      }
      const message = redact(err instanceof Error ? err.message : String(err));
      const check = err instanceof TransportError ? err.check : checkOf(message);
      outcome.results.push({ suite: c.suite, name: c.name, status: 'failed', check, message: message.slice(0, MAX_MESSAGE), ms: now() - started });
      // A server that cannot be reached, or never answers, fails every case the same way:
      // after a few in a row, say it once and stop.
      const fault = err instanceof TransportError && STOPPING_FAULTS[err.check] ? err.check : undefined;
      connectionFailures = fault && fault === lastFault ? connectionFailures + 1 : fault ? 1 : 0;
      lastFault = fault;
      if (fault && connectionFailures >= UNREACHABLE_IN_A_ROW) {
        outcome.stopped = { kind: 'unreachable', message: redact(`${STOPPING_FAULTS[fault](settings.baseUrl)}: ${UNREACHABLE_IN_A_ROW} checks in a row`) };
      }
    }
  }
  return outcome;
}

/** How junit.xml and the summary label each kind of skip. */
export const SKIP_LABEL: Record<SkipKind, string> = { 'missing-key': 'key missing', 'not-asked': 'not asked', 'target-cannot': 'the target cannot' };

const xml = (text: string) => text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/**
 * JUnit XML: a testsuite per suite, a testcase per case; not-run cases are skipped with the
 * reason. A stop (unreachable, deadline, budget...) and the run's other errors are each an
 * <error> of a testcase in a "contract run" suite, so a CI dashboard never reads a stopped
 * run as green.
 */
export function junitXml(outcome: RunOutcome, title = 'CortexEDR contract'): string {
  const suites = new Map<string, CaseResult[]>();
  for (const r of outcome.results) suites.set(r.suite, [...(suites.get(r.suite) ?? []), r]);
  const count = (rs: CaseResult[], s: CaseStatus[]) => rs.filter((r) => s.includes(r.status)).length;
  const all = outcome.results;
  const body = [...suites].map(([name, rs]) => {
    const cases = rs.map((r) => {
      const open = `    <testcase classname="${xml(name)}" name="${xml(r.name)}" time="${(r.ms / 1000).toFixed(3)}"`;
      if (r.status === 'passed') return `${open}/>`;
      if (r.status === 'failed') return `${open}>\n      <failure type="${xml(r.check ?? 'unnamed')}" message="${xml((r.message ?? '').split('\n')[0])}">${xml(r.message ?? '')}</failure>\n    </testcase>`;
      const why = r.status === 'skipped' ? `${SKIP_LABEL[r.skipKind ?? 'not-asked']}: ` : '';
      return `${open}>\n      <skipped message="${xml(`${why}${r.message ?? ''}`)}"/>\n    </testcase>`;
    });
    return `  <testsuite name="${xml(name)}" tests="${rs.length}" failures="${count(rs, ['failed'])}" skipped="${count(rs, ['skipped', 'not-run'])}" errors="0" time="${(rs.reduce((t, r) => t + r.ms, 0) / 1000).toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const errors = errorsOf(outcome);
  if (errors.length) {
    const cases = errors.map((e) => `    <testcase classname="contract run" name="${xml(e === outcome.stopped ? `the run stopped (${e.kind})` : e.kind)}" time="0.000">\n      <error type="${xml(e.kind)}" message="${xml(e.message.split('\n')[0])}">${xml(e.message)}</error>\n    </testcase>`);
    body.unshift(`  <testsuite name="contract run" tests="${errors.length}" failures="0" skipped="0" errors="${errors.length}" time="0.000">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(title)}" tests="${all.length + errors.length}" failures="${count(all, ['failed'])}" skipped="${count(all, ['skipped', 'not-run'])}" errors="${errors.length}">\n${body.join('\n')}\n</testsuites>\n`;
}

/** results.json: counts, each failure with its named check, what was not run and why the run stopped. */
export function resultsJson(outcome: RunOutcome): object {
  const by = (s: CaseStatus) => outcome.results.filter((r) => r.status === s);
  return {
    passed: by('passed').length,
    failed: by('failed').length,
    skipped: by('skipped').length,
    skippedBecause: Object.fromEntries((Object.keys(SKIP_LABEL) as SkipKind[]).map((k) => [k, by('skipped').filter((r) => r.skipKind === k).length])),
    notRun: by('not-run').length,
    stopped: outcome.stopped ?? null,
    errors: errorsOf(outcome),
    // The whole message: a generated failure's smallest request, seed and curl follow its first line.
    failures: by('failed').map((r) => ({ test: `${r.suite} › ${r.name}`, check: r.check, message: (r.message ?? '').slice(0, 2000) })),
    notRunCases: by('not-run').map((r) => `${r.suite} › ${r.name}`),
  };
}

/** Writes junit.xml and results.json through the run's output (redacted); synchronous, so a signal handler can call it. */
export function writeResults(outcome: RunOutcome, reportDir: string, output: Output): void {
  mkdirSync(reportDir, { recursive: true });
  output.file(join(reportDir, 'junit.xml'), junitXml(outcome));
  output.file(join(reportDir, 'results.json'), `${JSON.stringify(resultsJson(outcome), null, 2)}\n`);
}
