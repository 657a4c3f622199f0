// The one place that turns an error into a response, and the one that writes a response to
// node:http (the server and an Express mount share it). Anything that is not an ApiError is
// a bug: it is answered in the same shape, without a stack trace or a secret.
import type { ServerResponse } from 'node:http';
import { ApiError, errorBody } from '../errors/api-error';
import { redact } from '../../lib/redact';
import { jsonResponse, type MockResponse } from './exchange';

/**
 * The spec's error body for `err`, with its headers over `headers`. Whatever an error
 * repeats of the request (an id, an email) passes through redact first: no error echoes a
 * key, in any encoding.
 */
export function errorResponse(err: ApiError, headers: Record<string, string | number> = {}): MockResponse {
  const body = errorBody(err);
  body.error.message = redact(body.error.message);
  body.error.details = redactDetails(body.error.details);
  return jsonResponse(err.status, body, { ...headers, ...err.headers });
}

function redactDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) out[k] = typeof v === 'string' ? redact(v) : v;
  return out;
}

/** Maps whatever was thrown to an ApiError; unknown errors become a bare 500. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { type?: string; status?: number };
  // A bad %-escape in a URL is a URIError; body-parser-style errors carry a status.
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

/** Writes `response` on a node:http response, keeping headers already set on it. */
export function writeResponse(res: ServerResponse, response: MockResponse): void {
  if (res.headersSent) return;
  res.statusCode = response.status;
  for (const name in response.headers) res.setHeader(name, response.headers[name]);
  res.end(response.body);
}

/** Sends `err` in the error shape on a node:http response. */
export function sendError(res: ServerResponse, err: ApiError): void {
  writeResponse(res, errorResponse(err));
}

/** Sends a JSON body (or none, for 204) on a node:http response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  writeResponse(res, jsonResponse(status, body));
}
