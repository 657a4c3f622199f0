// Carries a fault out on node:http's response (docs/faults.md, control.yaml's
// x-cortex-fault-surfaces): what the node:http listener and an Express mount share, Express
// through the same ServerResponse and its socket. The core has decided the fault and made the
// response; this only delays, cuts, dribbles or drops it. Every timer is unref'd and cleared
// when the connection closes (the client gave up, or the server closed it), so a fault never
// keeps a process or a server.close() waiting.
import type { ServerResponse } from 'node:http';
import { truncateAt } from '../domain/faults';
import type { MockResponse } from '../http/exchange';
import { writeResponse } from '../http/render';

/** The chunks of a slow body come at most this often. */
const SLOW_BODY_TICK_MS = 100;

/** Writes `response` on `res`, carrying out the fault it carries, if any. */
export function deliver(res: ServerResponse, response: MockResponse): void {
  const fault = response.fault?.applied;
  if (!fault || res.headersSent) {
    writeResponse(res, response);
    return;
  }
  switch (fault.kind) {
    case 'latency':
      later(res, fault.delay_ms, () => writeResponse(res, response));
      return;
    case 'reset':
      // A TCP RST (Node 20's socket.resetAndDestroy), nothing written.
      if (res.socket) res.socket.resetAndDestroy();
      else res.destroy();
      return;
    case 'close':
      // A FIN with nothing written.
      res.destroy();
      return;
    case 'hang':
      // Nothing at all until `ms`, then a close; a client that gives up first clears the timer.
      later(res, fault.ms, () => res.destroy());
      return;
    case 'truncate':
      writeCut(res, response, (length) => truncateAt(fault, length));
      return;
    case 'slow_body':
      writeSlowly(res, response, fault.bytes_per_second);
      return;
    default:
      // status and rate_limit: the response is already the faulted one.
      writeResponse(res, response);
  }
}

/** Runs `then` after `ms`, unless the connection closes first. */
function later(res: ServerResponse, ms: number, then: () => void): void {
  const timer = setTimeout(then, ms);
  timer.unref();
  res.once('close', () => clearTimeout(timer));
}

/** The status and headers of `response` on `res`, and its body as bytes. */
function head(res: ServerResponse, response: MockResponse): Buffer {
  res.statusCode = response.status;
  for (const name in response.headers) res.setHeader(name, response.headers[name]);
  return Buffer.from(response.body ?? '', 'utf8');
}

/** The status and the headers (with the whole Content-Length), part of the body, then a close. */
function writeCut(res: ServerResponse, response: MockResponse, cutAt: (length: number) => number): void {
  const body = head(res, response);
  const part = body.subarray(0, cutAt(body.length));
  res.flushHeaders();
  // The close comes once the part is on the wire: a destroy now could drop it.
  if (part.length > 0) res.write(part, () => res.destroy());
  else (res.socket ? res.socket.end() : res.destroy());
}

/** The body in chunks, `bytesPerSecond` at a time, then the end; it stops if the client goes. */
function writeSlowly(res: ServerResponse, response: MockResponse, bytesPerSecond: number): void {
  const body = head(res, response);
  // A chunk every tick, or one byte as often as the rate allows when it is below 10 B/s.
  const tickMs = Math.max(SLOW_BODY_TICK_MS, Math.ceil(1000 / bytesPerSecond));
  const chunk = Math.max(1, Math.floor((bytesPerSecond * tickMs) / 1000));
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  res.once('close', () => clearTimeout(timer));
  const next = () => {
    if (res.destroyed) return;
    const part = body.subarray(sent, sent + chunk);
    sent += part.length;
    if (sent >= body.length) {
      res.end(part);
      return;
    }
    res.write(part);
    timer = setTimeout(next, tickMs);
    timer.unref();
  };
  res.flushHeaders();
  next();
}
