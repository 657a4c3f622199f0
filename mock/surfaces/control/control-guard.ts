// The control API's door. A local server is reachable by every page its user visits, so a
// request that drives the mock must come from the mock's own origin, a body must be JSON
// (no "simple" cross-origin request can carry application/json without a preflight, and
// no preflight is ever granted here), and when a control token is set (always, when the
// mock is bound to a non-loopback address) it must carry it. A body-less change (reset,
// clear the journal, revoke) needs no Content-Type, as curl, openapi-fetch and Swagger UI
// send it: a foreign page can send one as a simple request, but a browser names its
// origin on every POST, PUT and DELETE (Fetch, "append a request Origin header"), so the
// origin check refuses it before anything runs.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../../errors/api-error';
import { sendError } from '../../http/render';

/** The header a control token travels in. */
export const CONTROL_TOKEN_HEADER = 'x-mock-control-token';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/** Whether a request carries content (RFC 9112 section 6.3: a length other than 0, or chunks). */
const hasBody = (headers: Record<string, string | string[] | undefined>) =>
  headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && String(headers['content-length']).trim() !== '0');
const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether `origin` is `scheme://host`: the Host header's name and port (a default port written or not). */
function sameOrigin(origin: string, scheme: string, host: string): boolean {
  try {
    const from = new URL(origin);
    const to = new URL(`${scheme}//${host}`);
    // An origin is scheme, host and port only: no user, path, query or fragment.
    const bare = !from.username && !from.password && from.pathname === '/' && !from.search && !from.hash && !origin.endsWith('/');
    return bare && from.protocol === scheme && from.host === to.host;
  } catch {
    return false;
  }
}

/** Why a control request is refused, or undefined when it may go on. */
export function controlRefusal(
  req: { method?: string; headers: Record<string, string | string[] | undefined>; socket?: object },
  controlToken: string | undefined,
): ApiError | undefined {
  const { origin, host } = req.headers;
  const site = req.headers['sec-fetch-site'];
  // Same origin only: the Origin a browser sends must name the scheme, host and port this
  // request went to (RFC 6454 section 5). Sec-Fetch-Site catches cross-origin requests that
  // carry no Origin (a GET from <img>). Each is one value: a browser never repeats them, so
  // a repeat (node:http joins them with a comma) is refused, whatever its parts say.
  const scheme = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https:' : 'http:';
  const ownOrigin = typeof host === 'string' && typeof origin === 'string' && sameOrigin(origin, scheme, host);
  const repeated = [origin, site].some((v) => Array.isArray(v) || (typeof v === 'string' && v.includes(',')));
  if (repeated || (origin !== undefined && !ownOrigin) || site === 'cross-site' || site === 'same-site') {
    return ApiError.controlRefused('cross_origin', 'The control API answers only its own origin: a request from another web page cannot drive the mock');
  }
  if (controlToken !== undefined) {
    const sent = req.headers[CONTROL_TOKEN_HEADER];
    if (typeof sent !== 'string' || !timingSafeEqual(digest(sent), digest(controlToken))) {
      return ApiError.controlRefused('control_token', 'The control API needs the control token (the config\'s control_token; cortex-mock prints the one it uses at start-up), sent as X-Mock-Control-Token');
    }
  }
  // A read's body is never read; a change's body is JSON or nothing.
  if (CHANGES.has(req.method ?? '') && hasBody(req.headers) && !JSON_TYPE.test(String(req.headers['content-type'] ?? ''))) {
    return ApiError.unsupportedMediaType();
  }
  return undefined;
}

/** Express middleware for /_mock. */
export function createControlGuard(options: { controlToken?: string }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const refusal = controlRefusal(req, options.controlToken);
    if (refusal) sendError(res, refusal);
    else next();
  };
}
