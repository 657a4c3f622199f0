// Reads a JSON request body with a size cap, from whatever the surface has: a stream (the
// node:http request, or the Fetch body MSW hands on), bytes, or a value the host app already
// parsed. The pipeline reads it in its validation stage, so a refused request's body is never
// read, on any surface (test/surfaces/body-after-auth.test.ts); the control API reads its
// bodies the same way.
// A /v1 body must come as one of the media types its operation lists (RFC 9110 section
// 15.5.16: anything else is a 415), not as any `+json` type.
import { ApiError } from '../errors/api-error';
import { ClientGone, headerOf, isClientAbort, type MockRequest } from './exchange';

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/** Whether the request's Content-Type is JSON: one of `mediaTypes` (parameters aside) when given, else any JSON type. */
function isAccepted(req: MockRequest, mediaTypes: readonly string[] | undefined): boolean {
  const type = headerOf(req, 'content-type') ?? '';
  if (!mediaTypes) return JSON_TYPE.test(type);
  return mediaTypes.includes(type.split(';')[0].trim().toLowerCase());
}

const missing = (schemaPointer: string) =>
  ApiError.invalidRequest('The request body is required', { parameter: 'body', location: 'body', schema_path: schemaPointer, reason: 'missing' });

/** A body the host has parsed already (express.json() ahead of a mount), judged like one we read. */
function takeParsed(req: MockRequest, value: unknown, maxBytes: number, required: boolean, schemaPointer: string, mediaTypes?: readonly string[]): unknown {
  if (value === undefined) {
    if (!required) return undefined;
    throw missing(schemaPointer);
  }
  // A form parsed by express.urlencoded() is not JSON, whoever parsed it.
  if (!isAccepted(req, mediaTypes)) throw ApiError.unsupportedMediaType(mediaTypes);
  // Its size is judged on the JSON it stands for.
  if (Buffer.byteLength(JSON.stringify(value) ?? '') > maxBytes) throw ApiError.payloadTooLarge(maxBytes);
  return value;
}

function parseBytes(req: MockRequest, bytes: Uint8Array, required: boolean, schemaPointer: string, mediaTypes?: readonly string[]): unknown {
  if (bytes.byteLength === 0) {
    if (!required) return undefined;
    throw missing(schemaPointer);
  }
  if (!isAccepted(req, mediaTypes)) throw ApiError.unsupportedMediaType(mediaTypes);
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    throw ApiError.invalidRequest('The request body is not valid JSON', {
      parameter: 'body',
      location: 'body',
      schema_path: schemaPointer,
      reason: 'invalid_json',
    });
  }
}

/**
 * The parsed body, or undefined when there is none and none is required. `mediaTypes`: the
 * operation's (a /v1 body); without it any JSON media type is taken. `read`, when given, is
 * handed the body's bytes once they are all in (a parsed body's as its JSON text), before
 * they are parsed: the conduct watch fingerprints a POST's body by them.
 */
export async function readJsonBody(req: MockRequest, maxBytes: number, required: boolean, schemaPointer: string, mediaTypes?: readonly string[], read?: (bytes: Uint8Array) => void): Promise<unknown> {
  const source = req.body;
  if (source.kind === 'parsed') {
    if (read && source.value !== undefined) read(Buffer.from(JSON.stringify(source.value) ?? ''));
    return takeParsed(req, source.value, maxBytes, required, schemaPointer, mediaTypes);
  }
  if (source.kind === 'bytes') {
    if (source.bytes.byteLength > maxBytes) throw ApiError.payloadTooLarge(maxBytes);
    read?.(source.bytes);
    return parseBytes(req, source.bytes, required, schemaPointer, mediaTypes);
  }
  const declared = source.declaredLength ?? Number(headerOf(req, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw ApiError.payloadTooLarge(maxBytes);
  // Read here, not in a helper: one async step per body (it runs on every create).
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of source.stream) {
      size += chunk.length;
      if (size > maxBytes) throw ApiError.payloadTooLarge(maxBytes);
      chunks.push(chunk);
    }
  } catch (err) {
    if (!(err instanceof ApiError) && isClientAbort(err, req)) throw new ClientGone();
    throw err;
  }
  const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  read?.(bytes);
  return parseBytes(req, bytes, required, schemaPointer, mediaTypes);
}
