// Reads a JSON request body with a size cap. Runs in the validation stage, after the
// credential, rate-limit and permission checks, so a refused request's body is never read.
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors/api-error';

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/** The parsed body, or undefined when there is none and none is required. */
export async function readJsonBody(
  req: IncomingMessage,
  maxBytes: number,
  required: boolean,
  schemaPointer: string,
): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw ApiError.payloadTooLarge(maxBytes);

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw ApiError.payloadTooLarge(maxBytes);
    chunks.push(chunk);
  }
  if (size === 0) {
    if (!required) return undefined;
    throw ApiError.invalidRequest('The request body is required', {
      parameter: 'body',
      location: 'body',
      schema_path: schemaPointer,
      reason: 'missing',
    });
  }
  const type = req.headers['content-type'] ?? '';
  if (!JSON_TYPE.test(type)) throw ApiError.unsupportedMediaType();
  const text = Buffer.concat(chunks, size).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw ApiError.invalidRequest('The request body is not valid JSON', {
      parameter: 'body',
      location: 'body',
      schema_path: schemaPointer,
      reason: 'invalid_json',
    });
  }
}
