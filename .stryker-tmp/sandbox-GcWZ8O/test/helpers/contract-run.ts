// @ts-nocheck
// Runs the contract runner (compiled, as `npm run contract` does) in a child process with
// its own report folder, and returns its exit code, output and results.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export interface ContractRun {
  code: number | null;
  output: string;
  reportDir: string;
  results: { passed: number; failed: number; skipped: number; notRun: number; stopped: { kind: string; message: string } | null; failures: Array<{ test: string; check: string; message: string }> };
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
