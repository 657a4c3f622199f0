// One log line per request, wrapped around whatever answered it (the pipeline, the control
// API, /docs): it reads the answer's outcome, never a shared mutable object. Secrets are
// redacted wherever they came from and long URLs cut. A bug (anything but an ApiError) is
// logged once at error level, with neither the request's secrets nor a stack trace.
import { redact, truncate } from '../../lib/redact';
import type { MockLogger } from './logger';

/** What the log says of a request: the answer's notes. */
export interface RequestNotes {
  readonly operationId: string | null;
  readonly keyId: string | null;
  readonly errorCode: string | null;
  readonly forced: boolean;
  /** The client closed the connection before the response. */
  readonly aborted: boolean;
  /** A fault of the mock, if one was caught on the way. */
  readonly bug?: unknown;
}

/** What a logged request comes to: its id, redacted path, status (499 if aborted) and time. */
export interface Logged {
  id: string;
  path: string;
  status: number;
  ms: number;
}

export interface RequestLog {
  /** Starts timing a request and gives it an id; `end` logs it once. */
  start(): Seen;
  /** Logs a bug caught outside a pipeline (an Express route). */
  bug(err: unknown, url: string): void;
}

/** One request being timed: `end` logs it once. A class: one is made per request. */
export class Seen {
  private readonly started = performance.now();

  constructor(
    readonly id: string,
    private readonly logger: MockLogger,
    private readonly bug: (err: unknown, url: string) => void,
  ) {}

  end(method: string, url: string, outcome: RequestNotes & { response: { status: number } }): Logged {
    const ms = performance.now() - this.started;
    const path = redact(url);
    // A client that hung up gets no status: one info line, journaled as 499, never a 500.
    const status = outcome.aborted ? 499 : outcome.response.status;
    if (outcome.bug !== undefined) this.bug(outcome.bug, url);
    // Built only when it will be written: this runs on every request.
    if (this.logger.isLevelEnabled('info')) {
      this.logger.info(
        { req_id: this.id, method, path: truncate(path, 2048), status, ms: Math.round(ms * 100) / 100, op: outcome.operationId, key_id: outcome.keyId, error: outcome.errorCode, forced: outcome.forced || undefined },
        outcome.aborted ? 'client aborted' : 'request',
      );
    }
    return { id: this.id, path, status, ms: Math.round(ms * 1000) / 1000 };
  }
}

export function createRequestLog(deps: { logger: MockLogger; requestId: () => string }): RequestLog {
  const { logger, requestId } = deps;
  const bug = (err: unknown, url: string) =>
    logger.error({ err: { message: redact(String((err as Error)?.message)) }, path: truncate(redact(url), 2048) }, 'unhandled error');
  return {
    bug,
    start: () => new Seen(requestId(), logger, bug),
  };
}
