// Runs the contract runner (compiled, as `npm run contract` does) in a child process with
// its own report folder, and returns its exit code, output and results.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** The well-known keys of the default configuration, as a contract run reads them, one per role. */
export const CONTRACT_ENV = {
  CORTEX_API_KEY: 'sk_test_readonly_00000000000000000001',
  CORTEX_WRITE_KEY: 'sk_test_writeonly_0000000000000000002',
  CORTEX_ADMIN_KEY: 'sk_test_admin_000000000000000000000004',
  CORTEX_NOPERM_KEY: 'sk_test_noperms_00000000000000000005',
  CORTEX_EXPIRED_KEY: 'sk_test_expired_00000000000000000006',
  CORTEX_REVOKED_KEY: 'sk_test_revoked_00000000000000000007',
};

export interface ContractRun {
  code: number | null;
  output: string;
  reportDir: string;
  results: {
    passed: number;
    failed: number;
    skipped: number;
    /** Skipped cases by why: a key missing, not asked for, or beyond the target. */
    skippedBecause: Record<'missing-key' | 'not-asked' | 'target-cannot', number>;
    notRun: number;
    stopped: { kind: string; message: string } | null;
    /** The run's own errors (the stop, missing keys), each an <error> in junit.xml. */
    errors: Array<{ kind: string; message: string }>;
    failures: Array<{ test: string; check: string; message: string }>;
  };
  coverage: { documentedPairs: number; exercisedPairs: number; cells: Array<{ operationId: string; status: number; exercised: boolean; reason?: string }> };
}

export function runContracts(args: string[], env: Record<string, string> = {}): Promise<ContractRun> {
  const reportDir = mkdtempSync(join(tmpdir(), 'contract-'));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CORTEX_') && !k.startsWith('CONTRACT_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'contracts', 'run.js'), ...args, '--report-dir', reportDir], {
      cwd: reportDir,
      env: { ...clean, ...env, FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      const read = (f: string) => (existsSync(join(reportDir, f)) ? JSON.parse(readFileSync(join(reportDir, f), 'utf8')) : undefined);
      resolve({ code, output, reportDir, results: read('results.json'), coverage: read('coverage.json') });
    });
  });
}
