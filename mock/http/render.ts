// The one place that turns an answer or an error into a response, merging the headers the
// stages contributed once, and the one that writes a response to node:http (the server and
// an Express mount share it). Anything that is not an ApiError is a bug: it is answered in
// the same shape, without a stack trace or a secret.
import type { ServerResponse } from 'node:http';
import { ApiError, errorBody } from '../errors/api-error';
import { STORE_RETRY_AFTER_SECONDS, StoreUnavailableError } from '../errors/store-unavailable';
import { redact } from '../../lib/redact';
import { contentHeaders, jsonResponse, type MockResponse } from './exchange';
import type { HeaderValue, ResponseHeaders } from './response-headers';

/** An error's body in the spec's shape. Whatever it repeats of the request passes redact first. */
function redactedBody(err: ApiError) {
  const body = errorBody(err);
  body.error.message = redact(body.error.message);
  body.error.details = redactDetails(body.error.details);
  return body;
}

/**
 * The spec's error body for `err`, with its headers over `headers` (on a new record). Whatever
 * an error repeats of the request (an id, an email) passes through redact first: no error
 * echoes a key, in any encoding.
 */
export function errorResponse(err: ApiError, headers: Readonly<Record<string, string | number>> = {}): MockResponse {
  return jsonResponse(err.status, redactedBody(err), { ...headers, ...err.headers });
}

const NONE: Readonly<Record<string, HeaderValue>> = Object.freeze({});

/**
 * The response of an API request: `status` and `body` (none for 204), with the contributed
 * `headers` merged once, `over` (an error's own headers) and the content headers on top.
 */
export function render(status: number, body: unknown, headers: ResponseHeaders, over: Readonly<Record<string, HeaderValue>> = NONE): MockResponse {
  if (status === 204 || body === undefined) return { status, headers: headers.merged(over), body: undefined };
  const text = JSON.stringify(body);
  return { status, headers: headers.merged(over, contentHeaders(text)), body: text };
}

/** `err` as an API request's response, over the contributed `headers` (redacted as errorResponse). */
export function renderError(err: ApiError, headers: ResponseHeaders): MockResponse {
  return render(err.status, redactedBody(err), headers, err.headers);
}

function redactDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) out[k] = typeof v === 'string' ? redact(v) : v;
  return out;
}

/** Maps whatever was thrown to an ApiError; unknown errors become a bare 500. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // The shared store is away or too slow: an answer, not a bug. The mock fails closed.
  if (err instanceof StoreUnavailableError) return ApiError.storeUnavailable(STORE_RETRY_AFTER_SECONDS);
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
