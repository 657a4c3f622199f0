// How the MSW surface carries a fault out (issue 22; control.yaml's x-cortex-fault-surfaces,
// msw column). The core has already shaped the answer (a status or rate_limit fault is the
// response, X-Mock-Fault included); what is left is what a fetch Response can express:
// a network error for reset, close and hang, MSW's delay() for latency, and a body stream
// that errors after the cut (truncate) or enqueues at the rate (slow_body). No Node module:
// the browser build of the handlers carries this too.
import { delay, HttpResponse } from 'msw';
import { truncateAt, type OutcomeFault } from '../domain/faults';
import type { MockResponse } from '../http/exchange';

/** How often a slow body enqueues a chunk: bytes_per_second / 10 bytes every 100 ms. */
export const SLOW_BODY_TICK_MS = 100;

/** The response as a fetch Response: the body as the core gave it. */
function toResponse(response: MockResponse, body: string | ReadableStream<Uint8Array> | null): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) headers.set(name, String(value));
  return new Response(body, { status: response.status, headers });
}

/**
 * Waits `ms`, or until the client gives up (its signal aborts): a hang's timer is cleared
 * then, so a 30 s hang does not hold a test run once the client's own timeout has fired.
 */
function held(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The first `cut` bytes, then an error, as undici reports a connection that closed before
 * Content-Length was reached (`TypeError: terminated`): the client's read of the body fails.
 */
function truncated(bytes: Uint8Array, cut: number): ReadableStream<Uint8Array> {
  let sent = cut === 0;
  return new ReadableStream({
    // An error empties every queue the body passes through (msw's interceptor pipes it on),
    // so it comes a task after the part: a reader waiting on the body gets the part first,
    // as it would from a socket, and then the error.
    pull(controller) {
      if (!sent) {
        controller.enqueue(bytes.subarray(0, cut));
        sent = true;
        return undefined;
      }
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          controller.error(new TypeError('terminated'));
          resolve();
        }, 0),
      );
    },
  });
}

/** The body a chunk at a time, `bytesPerSecond / 10` bytes every SLOW_BODY_TICK_MS; stops when the client cancels. */
function dribbled(bytes: Uint8Array, bytesPerSecond: number): ReadableStream<Uint8Array> {
  const size = Math.max(1, Math.floor((bytesPerSecond * SLOW_BODY_TICK_MS) / 1000));
  let sent = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream({
    pull(controller) {
      // The first chunk at once, as a server sends its first write; each later one a tick on.
      const wait = sent === 0 ? 0 : SLOW_BODY_TICK_MS;
      return new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          controller.enqueue(bytes.subarray(sent, sent + size));
          sent += size;
          if (sent >= bytes.length) controller.close();
          resolve();
        }, wait);
      });
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}

/**
 * The Response (or network error) MSW answers with, the fault carried out. `signal` is the
 * request's: a hang ends when the client aborts. MSW's delay() and the timers here run on
 * the real clock: with fake timers, advance them (msw#966), or leave setTimeout real.
 */
export async function deliver(response: MockResponse, fault: OutcomeFault | null, signal: AbortSignal): Promise<Response> {
  const applied = fault?.applied;
  switch (applied?.kind) {
    case 'reset':
    case 'close':
      // A fetch cannot tell a RST from a FIN: both are a network error (TypeError: Failed to fetch).
      return HttpResponse.error();
    case 'hang':
      await held(applied.ms, signal);
      return HttpResponse.error();
    case 'latency':
      await delay(applied.delay_ms);
      return toResponse(response, response.body ?? null);
    case 'truncate':
    case 'slow_body': {
      // No body (a 204, a HEAD): nothing to cut or dribble.
      if (response.body === undefined) return toResponse(response, null);
      const bytes = new TextEncoder().encode(response.body);
      return toResponse(response, applied.kind === 'truncate' ? truncated(bytes, truncateAt(applied, bytes.length)) : dribbled(bytes, applied.bytes_per_second));
    }
    default:
      // No fault, or one the core already made the response of (status, rate_limit).
      return toResponse(response, response.body ?? null);
  }
}
