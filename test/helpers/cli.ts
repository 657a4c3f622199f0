// The built CLI (dist/mock/cli.js) as a child process: started, waited for until its banner
// is out (no sleeps), signalled, and waited for until it exits, with what it printed.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(__dirname, '..', '..', 'dist', 'mock', 'cli.js');

/** Runs the CLI to its end (a refusal at start-up, --help). */
export function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface StartedCli {
  /** The banner. */
  out: string;
  /** What the process wrote to stderr so far. */
  err(): string;
  /** The API's base URL the banner names (`http://127.0.0.1:PORT/v1`). */
  baseUrl: string;
  /** Sends `signal` and resolves with the exit code and signal once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the process if it still runs (a test's clean-up after a failure). */
  kill(): void;
}

/** Starts the CLI (`nodeArgs` go before its script: `-r preload.js`) and resolves once its banner is out. */
export async function startCli(args: string[], nodeArgs: string[] = []): Promise<StartedCli> {
  const child = spawn(process.execPath, [...nodeArgs, CLI, ...args]);
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('Try: curl')) resolve();
      });
      void exited.then(({ code }) => reject(new Error(`exited ${code}: ${err}`)));
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    out,
    err: () => err,
    baseUrl: /listening on (https?:\/\/\S+\/v1)/.exec(out)![1],
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
