// Reads a JSON request body with a size cap, from whatever the surface has: a stream, bytes,
// or a value the host app already parsed. The pipeline reads it in its validation stage, so
// a refused request's body is never read; the control API reads its bodies the same way.
import { ApiError } from '../errors/api-error';
import { ClientGone, headerOf, isClientAbort, type MockRequest } from './exchange';

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

async function bytesOf(req: MockRequest, maxBytes: number): Promise<Buffer> {
  const source = req.body;
  if (source.kind === 'bytes') {
    if (source.bytes.byteLength > maxBytes) throw ApiError.payloadTooLarge(maxBytes);
    return Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength);
  }
  if (source.kind !== 'stream') throw new TypeError('bytesOf: the body is parsed');
  const declared = source.declaredLength ?? Number(headerOf(req, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw ApiError.payloadTooLarge(maxBytes);
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
  return Buffer.concat(chunks, size);
}

/** The parsed body, or undefined when there is none and none is required. */
export async function readJsonBody(req: MockRequest, maxBytes: number, required: boolean, schemaPointer: string): Promise<unknown> {
  const missing = () =>
    ApiError.invalidRequest('The request body is required', { parameter: 'body', location: 'body', schema_path: schemaPointer, reason: 'missing' });
  if (req.body.kind === 'parsed') {
    // express.json() ahead of a mount: the host has read and parsed it already. Its size
    // is judged on the JSON it stands for.
    const value = req.body.value;
    if (value === undefined) {
      if (!required) return undefined;
      throw missing();
    }
    // A form parsed by express.urlencoded() is not JSON, whoever parsed it.
    if (!JSON_TYPE.test(headerOf(req, 'content-type') ?? '')) throw ApiError.unsupportedMediaType();
    if (Buffer.byteLength(JSON.stringify(value) ?? '') > maxBytes) throw ApiError.payloadTooLarge(maxBytes);
    return value;
  }
  const bytes = await bytesOf(req, maxBytes);
  if (bytes.length === 0) {
    if (!required) return undefined;
    throw missing();
  }
  if (!JSON_TYPE.test(headerOf(req, 'content-type') ?? '')) throw ApiError.unsupportedMediaType();
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw ApiError.invalidRequest('The request body is not valid JSON', {
      parameter: 'body',
      location: 'body',
      schema_path: schemaPointer,
      reason: 'invalid_json',
    });
  }
}
