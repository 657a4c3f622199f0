// The coverage matrix: operation x documented status, with the auth outcomes that
// exercised each pair, printed as a table and written as JSON and Markdown.
import { join } from 'node:path';
import type { LoadedSpec } from '../../lib/openapi/load-spec';
import type { Output } from './output';

export interface CoverageCell {
  operationId: string;
  status: number;
  documented: boolean;
  exercised: boolean;
  /** The auth outcomes that produced it: valid, none, malformed, forbidden, forced... */
  auth: string[];
  /** Why a documented pair was not exercised, when it was not. */
  reason?: string;
}

export interface Coverage {
  cells: CoverageCell[];
  documentedPairs: number;
  exercisedPairs: number;
  /** Responses with a status the spec does not document for the operation. */
  undocumented: CoverageCell[];
}

/** Why a pair could not be exercised on this run, from what the run was allowed to do. */
export type Explain = (operationId: string, status: number) => string;

/** The matrix from what the run's calls recorded. */
export function buildCoverage(spec: LoadedSpec, seen: ReadonlyArray<{ operationId: string; status: number; auth: string }>, explain: Explain): Coverage {
  const byPair = new Map<string, Set<string>>();
  for (const s of seen) {
    const k = `${s.operationId} ${s.status}`;
    if (!byPair.has(k)) byPair.set(k, new Set());
    byPair.get(k)!.add(s.auth);
  }
  const cells: CoverageCell[] = [];
  for (const op of spec.operations) {
    for (const status of Object.keys(op.responses).map(Number)) {
      const auth = [...(byPair.get(`${op.operationId} ${status}`) ?? [])].sort();
      cells.push({ operationId: op.operationId, status, documented: true, exercised: auth.length > 0, auth, ...(auth.length ? {} : { reason: explain(op.operationId, status) }) });
    }
  }
  const undocumented: CoverageCell[] = [];
  for (const [k, auth] of byPair) {
    const [operationId, status] = k.split(' ');
    if (!cells.some((c) => c.operationId === operationId && c.status === Number(status))) {
      undocumented.push({ operationId, status: Number(status), documented: false, exercised: true, auth: [...auth].sort() });
    }
  }
  return { cells, documentedPairs: cells.length, exercisedPairs: cells.filter((c) => c.exercised).length, undocumented };
}

/** A table: one row per operation, one column per status any operation documents. */
export function renderTable(coverage: Coverage, markdown: boolean): string {
  const statuses = [...new Set(coverage.cells.map((c) => c.status))].sort();
  const ops = [...new Set(coverage.cells.map((c) => c.operationId))];
  const mark = (op: string, status: number) => {
    const c = coverage.cells.find((x) => x.operationId === op && x.status === status);
    if (!c) return '';
    if (!c.exercised) return '-';
    return c.auth.length === 1 && c.auth[0] === 'forced' ? 'F' : 'x';
  };
  const rows = ops.map((op) => [op, ...statuses.map((s) => mark(op, s))]);
  const head = ['operation', ...statuses.map(String)];
  if (markdown) {
    return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

export const LEGEND = 'x exercised (F: only through Prefer: code), - documented but not exercised, blank: not documented';

/** Writes coverage.json and coverage.md through the run's output (redacted). */
export function writeCoverage(coverage: Coverage, reportDir: string, output: Output): void {
  output.file(join(reportDir, 'coverage.json'), `${JSON.stringify(coverage, null, 2)}\n`);
  const missing = coverage.cells.filter((c) => !c.exercised);
  const md = [
    '# Contract coverage: operation x documented status',
    '',
    `${coverage.exercisedPairs} of ${coverage.documentedPairs} documented (operation, status) pairs exercised. ${LEGEND}.`,
    '',
    renderTable(coverage, true),
    '',
    ...(missing.length ? ['## Not exercised', '', ...missing.map((c) => `- ${c.operationId} ${c.status}: ${c.reason}`), ''] : []),
    ...(coverage.undocumented.length ? ['## Undocumented statuses seen', '', ...coverage.undocumented.map((c) => `- ${c.operationId} ${c.status}`), ''] : []),
  ].join('\n');
  output.file(join(reportDir, 'coverage.md'), md);
}
