// Reads a JSON request body with a size cap, from whatever the surface has: a stream, bytes,
// or a value the host app already parsed. The pipeline reads it in its validation stage, so
// a refused request's body is never read; the control API reads its bodies the same way.
import { ApiError } from '../errors/api-error';
import { ClientGone, headerOf, isClientAbort, type MockRequest } from './exchange';

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

const missing = (schemaPointer: string) =>
  ApiError.invalidRequest('The request body is required', { parameter: 'body', location: 'body', schema_path: schemaPointer, reason: 'missing' });

/** A body the host has parsed already (express.json() ahead of a mount), judged like one we read. */
function takeParsed(req: MockRequest, value: unknown, maxBytes: number, required: boolean, schemaPointer: string): unknown {
  if (value === undefined) {
    if (!required) return undefined;
    throw missing(schemaPointer);
  }
  // A form parsed by express.urlencoded() is not JSON, whoever parsed it.
  if (!JSON_TYPE.test(headerOf(req, 'content-type') ?? '')) throw ApiError.unsupportedMediaType();
  // Its size is judged on the JSON it stands for.
  if (Buffer.byteLength(JSON.stringify(value) ?? '') > maxBytes) throw ApiError.payloadTooLarge(maxBytes);
  return value;
}

function parseBytes(req: MockRequest, bytes: Uint8Array, required: boolean, schemaPointer: string): unknown {
  if (bytes.byteLength === 0) {
    if (!required) return undefined;
    throw missing(schemaPointer);
  }
  if (!JSON_TYPE.test(headerOf(req, 'content-type') ?? '')) throw ApiError.unsupportedMediaType();
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

/** The parsed body, or undefined when there is none and none is required. */
export async function readJsonBody(req: MockRequest, maxBytes: number, required: boolean, schemaPointer: string): Promise<unknown> {
  const source = req.body;
  if (source.kind === 'parsed') return takeParsed(req, source.value, maxBytes, required, schemaPointer);
  if (source.kind === 'bytes') {
    if (source.bytes.byteLength > maxBytes) throw ApiError.payloadTooLarge(maxBytes);
    return parseBytes(req, source.bytes, required, schemaPointer);
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
  return parseBytes(req, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size), required, schemaPointer);
}
