// The one place that turns an outcome into an HTTP error response. Anything that is not an
// ApiError is a bug: it is answered in the same shape, without a stack trace or a secret.
import type { ServerResponse } from 'node:http';
import { ApiError, errorBody } from './api-error';

/** Writes `err` as the spec's error body. Headers already set on `res` are kept. */
export function sendError(res: ServerResponse, err: ApiError): void {
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  sendJson(res, err.status, errorBody(err));
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
