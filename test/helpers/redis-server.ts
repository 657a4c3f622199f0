// A real redis-server for the Redis store's tests (Debian's /usr/bin/redis-server): on a
// free loopback port, with nothing saved to disk, stopped by the test. Redis takes no
// `--port 0`, so the port is one the system just gave a throwaway listener; another process
// may take it first, so start-up retries on a new one. Nothing is mocked.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RunningRedis {
  /** `redis://127.0.0.1:PORT/0`. */
  url: string;
  port: number;
  /** Stops the server (resuming it first if paused) and waits for it to exit. */
  stop(): Promise<void>;
  /** Stops it and starts a new one on the same port, with no data (as a Redis that lost its memory). */
  restart(): Promise<void>;
  /** SIGSTOP: the connection stays open and nothing answers, slower than any timeout. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
}

/** A port the system considers free right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts redis-server on `port`; resolves once it accepts connections, rejects with its output if it exits first. */
function launch(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'notice'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      if (/Ready to accept connections/.test(output)) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(Object.assign(new Error(`redis-server exited (${code ?? signal}): ${output.slice(-500)}`), { inUse: /Address already in use/.test(output) })));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a redis-server of its own on a free loopback port. */
export async function startRedisServer(): Promise<RunningRedis> {
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(port);
    } catch (err) {
      if (!(err as { inUse?: boolean }).inUse || attempt >= 5) throw err;
    }
  }
  let current: ChildProcess = child;
  let paused = false;
  const stop = async () => {
    if (paused) current.kill('SIGCONT');
    paused = false;
    current.kill('SIGKILL');
    await exited(current);
  };
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    stop,
    async restart() {
      await stop();
      current = await launch(port);
    },
    pause() {
      paused = true;
      current.kill('SIGSTOP');
    },
    resume() {
      paused = false;
      current.kill('SIGCONT');
    },
  };
}

/**
 * One redis-server for a describe block: started in beforeAll, stopped in afterAll. Read
 * `.current` inside the tests.
 */
export function withRedis(): { readonly current: RunningRedis } {
  const holder: { current?: RunningRedis } = {};
  beforeAll(async () => {
    holder.current = await startRedisServer();
  }, 30_000);
  afterAll(async () => {
    await holder.current?.stop();
  }, 30_000);
  return {
    get current() {
      if (!holder.current) throw new Error('withRedis: the server is not started (read .current inside a test)');
      return holder.current;
    },
  };
}
