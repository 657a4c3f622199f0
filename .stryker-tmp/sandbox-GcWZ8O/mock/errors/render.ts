// @ts-nocheck
// The one place that turns an outcome into an HTTP error response. Anything that is not an
// ApiError is a bug: it is answered in the same shape, without a stack trace or a secret.
import type { ServerResponse } from 'node:http';
import { ApiError, errorBody } from './api-error';
import { redact } from '../../lib/redact';

/**
 * Writes `err` as the spec's error body. Headers already set on `res` are kept. Whatever
 * an error repeats of the request (an id, an email) passes through redact first: no error
 * echoes a key, in any encoding.
 */
export function sendError(res: ServerResponse, err: ApiError): void {
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  const body = errorBody(err);
  body.error.message = redact(body.error.message);
  body.error.details = redactDetails(body.error.details);
  sendJson(res, err.status, body);
}

function redactDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) out[k] = typeof v === 'string' ? redact(v) : v;
  return out;
}

/** Whether `err` is a client closing its connection mid-request, not a fault of the mock. */
export function isClientAbort(err: unknown, req: { socket?: { destroyed?: boolean } | null }): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  return e?.code === 'ECONNRESET' || e?.code === 'ERR_STREAM_PREMATURE_CLOSE' || e?.message === 'aborted' || req.socket?.destroyed === true;
}

/** Writes a JSON body (or none, for 204). No ETag: bodies change with the clock. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  if (status === 204 || body === undefined) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Maps whatever was thrown to an ApiError; unknown errors become a bare 500. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { type?: string; status?: number };
  // body-parser-style errors carry a status; a bad %-escape in a URL is a URIError.
  if (err instanceof URIError) {
    return ApiError.invalidRequest('The URL has a malformed %-escape', {
      parameter: 'path',
      location: 'path',
      schema_path: '#/paths',
      reason: 'malformed_url',
    });
  }
  if (e && e.status === 413) return ApiError.payloadTooLarge(0);
  return new ApiError(500, 'INTERNAL_ERROR', 'The mock failed to handle this request', {});
}
