// A request whose body, once read to its end, is checked by `check` (a signing key's
// Content-Digest, RFC 9530): the bytes go on to the JSON reader only if it passes. The body
// is still read in validation only, so a refused request's body is never read.
import type { ApiError } from '../errors/api-error';
import type { BodySource, MockRequest } from '../http/exchange';

async function* checkedStream(source: AsyncIterable<Uint8Array>, check: (bytes: Uint8Array) => ApiError | undefined): AsyncIterable<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) {
    chunks.push(chunk);
    yield chunk;
  }
  const refused = check(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  if (refused) throw refused;
}

/** `req` with its body checked by `check` when read; a body a host parsed already is judged on its JSON text. */
export function digestedBody(req: MockRequest, _maxBytes: number, check: (bytes: Uint8Array) => ApiError | undefined): MockRequest {
  const source = req.body;
  let body: BodySource;
  if (source.kind === 'stream') body = { kind: 'stream', stream: checkedStream(source.stream, check), declaredLength: source.declaredLength };
  else if (source.kind === 'bytes') body = { kind: 'stream', stream: checkedStream([source.bytes] as unknown as AsyncIterable<Uint8Array>, check), declaredLength: source.bytes.byteLength };
  else {
    // express.json() ahead of the mount has the bytes gone: mount the mock before it (docs/signing.md).
    const text = source.value === undefined ? '' : JSON.stringify(source.value);
    const refused = check(Buffer.from(text));
    body = refused ? { kind: 'stream', stream: checkedStream([] as unknown as AsyncIterable<Uint8Array>, () => refused) } : source;
  }
  return Object.defineProperty(Object.create(req) as MockRequest, 'body', { value: body });
}
