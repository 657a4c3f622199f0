// The one error type of the mock: status, spec error code, message, details and headers
// sit together, and named constructors build each kind. Only render.ts turns it into a
// response. Every `details.reason` is one of the spec's words for that code (ErrorReasons,
// from the generated types): another does not compile.
import type { ErrorCode, ErrorReason, UnauthorizedReason } from '../spec/types';
import type { SpecVocabulary } from '../../lib/openapi/load-spec';

export type { ErrorCode, ErrorReason, UnauthorizedReason };

/** An error's details: anything the spec's schema takes, with a reason from the catalog. */
export type ErrorDetails<C extends ErrorCode = ErrorCode> = { readonly reason?: ErrorReason<C> } & Record<string, unknown>;

/** What the spec says a refusal's words are: the realm and each 401 reason's message. */
export type AuthWords = Pick<SpecVocabulary, 'realm' | 'unauthorizedMessages'>;

export type ParameterLocation = 'query' | 'header' | 'path' | 'body';

/** An error the pipeline or a handler throws; rendered once, in render.ts. */
export class ApiError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly status: number,
    readonly code: C,
    message: string,
    readonly details: ErrorDetails<C>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** 400: a parameter, header or body that breaks the spec (RFC 9110 section 15.5.1). */
  static invalidRequest(
    message: string,
    details: { parameter: string; location: ParameterLocation; schema_path: string; reason?: ErrorReason<'INVALID_REQUEST'> },
  ): ApiError {
    return new ApiError(400, 'INVALID_REQUEST', message, details);
  }

  /**
   * 401. RFC 6750 section 3.1: with no credential the challenge carries no error
   * attribute; a presented and rejected credential gets error="invalid_token".
   */
  static unauthorized(reason: UnauthorizedReason, words: AuthWords): ApiError {
    const message = words.unauthorizedMessages[reason];
    const challenge =
      reason === 'missing'
        ? `Bearer realm="${words.realm}"`
        : `Bearer realm="${words.realm}", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`;
    return new ApiError(401, 'UNAUTHORIZED', message, { reason }, { 'WWW-Authenticate': challenge });
  }

  /** 403, RFC 6750 section 3.1: insufficient_scope, with the scope the operation needs. */
  static forbidden(required: string[], provided: string[], words: Pick<AuthWords, 'realm'>): ApiError {
    return new ApiError(
      403,
      'FORBIDDEN',
      `This API key lacks the permissions this operation needs: ${required.join(', ')}`,
      { required_permissions: required, provided_permissions: provided },
      { 'WWW-Authenticate': `Bearer realm="${words.realm}", error="insufficient_scope", scope="${required.join(' ')}"` },
    );
  }

  /**
   * 403 for a Host header the mock does not answer to (DNS rebinding defence). It says how
   * to allow the name (`advice`, in the words of the way the mock was started), since a
   * container network may reach the mock by a service name.
   */
  static hostNotAllowed(host: string, advice: string): ApiError {
    return new ApiError(403, 'FORBIDDEN', `Host "${host}" is not one this mock answers to. To allow it, ${advice}`, { reason: 'host_not_allowed', host });
  }

  /** 403 on the control API: a request from another origin, or without the control token. */
  static controlRefused(reason: Exclude<ErrorReason<'FORBIDDEN'>, 'host_not_allowed'>, message: string): ApiError {
    return new ApiError(403, 'FORBIDDEN', message, { reason });
  }

  /**
   * 400 for plain HTTP to a port that speaks HTTPS only (docs/tls.md: a 400, not a redirect,
   * since the request has already sent its key in the clear). The port closes the connection.
   */
  static httpsRequired(): ApiError {
    return new ApiError(
      400,
      'INVALID_REQUEST',
      'This port speaks HTTPS only: the request came as plain HTTP. Send it to the same host and port with https:// (and trust the mock\'s CA: see GET /_mock/tls or the banner)',
      { parameter: 'url', location: 'path', schema_path: '#/servers/0/url', reason: 'https_required' },
      { Connection: 'close' },
    );
  }

  /** 400 for an HTTP/1.1 request without Host (RFC 9112 section 3.2). */
  static missingHost(): ApiError {
    return ApiError.invalidRequest('An HTTP/1.1 request must carry a Host header (RFC 9112 section 3.2)', {
      parameter: 'Host',
      location: 'header',
      schema_path: '#/paths',
      reason: 'missing_host',
    });
  }

  /** 400 for a request with more than one Host line (RFC 9112 section 3.2). */
  static repeatedHost(): ApiError {
    return ApiError.invalidRequest('A request must carry one Host header, not more (RFC 9112 section 3.2)', {
      parameter: 'Host',
      location: 'header',
      schema_path: '#/paths',
      reason: 'repeated',
    });
  }

  /** 400 for a Host whose port is empty, 0 or past 65535 (RFC 9112 section 3.2: an invalid Host). The value is not repeated. */
  static malformedHost(): ApiError {
    return ApiError.invalidRequest('The Host header names a port that is not a number from 1 to 65535 (RFC 9112 section 3.2)', {
      parameter: 'Host',
      location: 'header',
      schema_path: '#/paths',
      reason: 'malformed_host',
    });
  }

  static notFound(resource: string, id?: string): ApiError {
    const message = id ? `No ${resource.replace('_', ' ')} with id ${id}` : `No such ${resource}`;
    return new ApiError(404, 'NOT_FOUND', message, id ? { resource, id } : { resource });
  }

  static methodNotAllowed(allowed: string[]): ApiError {
    return new ApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `This path accepts ${allowed.join(', ')}`,
      { allowed },
      { Allow: allowed.join(', ') },
    );
  }

  static conflict(message: string, details: { reason: ErrorReason<'CONFLICT'>; resource?: string; id?: string }): ApiError {
    return new ApiError(409, 'CONFLICT', message, details);
  }

  static payloadTooLarge(maxBytes: number): ApiError {
    return new ApiError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes`, {
      max_body_bytes: maxBytes,
    });
  }

  /** 408: the request's headers or body did not arrive in time (RFC 9110 section 15.5.9). */
  static requestTimeout(seconds: number): ApiError {
    return new ApiError(408, 'REQUEST_TIMEOUT', `The request did not arrive within ${seconds} seconds`, { timeout_seconds: seconds });
  }

  /** 415 (RFC 9110 section 15.5.16), naming the media types the operation takes. */
  static unsupportedMediaType(supported: readonly string[] = ['application/json']): ApiError {
    return new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `The request body must be ${supported.join(' or ')}`, {
      supported: [...supported],
    });
  }

  /** 429 with Retry-After (RFC 9110 section 10.2.3) equal to the details' figure. */
  static rateLimited(figures: {
    limit: number;
    remaining: number;
    reset: number;
    retryAfterSeconds: number;
    windowSeconds: number;
    plan?: string;
  }): ApiError {
    const details: Record<string, unknown> = {
      limit: figures.limit,
      remaining: figures.remaining,
      reset: figures.reset,
      retry_after_seconds: figures.retryAfterSeconds,
    };
    if (figures.plan) details.plan = figures.plan;
    const what = figures.plan ? 'Rate limit' : 'Too many failed authentications: limit';
    return new ApiError(
      429,
      'RATE_LIMIT_EXCEEDED',
      `${what} of ${figures.limit} requests per ${figures.windowSeconds} seconds exceeded`,
      details,
      { 'Retry-After': String(figures.retryAfterSeconds) },
    );
  }

  /**
   * 503 store_unavailable: the store the instances share (Redis) is away or too slow. The
   * mock fails closed: it answers nothing it cannot count and check (docs/scaling.md).
   */
  static storeUnavailable(retryAfterSeconds: number): ApiError {
    return new ApiError(
      503,
      'SERVICE_UNAVAILABLE',
      'The mock cannot reach its store; retry after Retry-After seconds',
      { retry_after_seconds: retryAfterSeconds, reason: 'store_unavailable' },
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }

  static serviceUnavailable(retryAfterSeconds: number): ApiError {
    return new ApiError(
      503,
      'SERVICE_UNAVAILABLE',
      'The service is briefly unavailable; retry with backoff',
      { retry_after_seconds: retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}

/** The spec's error body for an ApiError. */
export function errorBody(err: ApiError): { error: { code: ErrorCode; message: string; details: Record<string, unknown> } } {
  return { error: { code: err.code, message: err.message, details: err.details } };
}
