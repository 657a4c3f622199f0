// A Fetch Request's body as the core takes it (what incoming.ts is for node:http's): the MSW
// surface hands it on unread, in Node and in a browser's service worker alike.
import type { BodySource } from './exchange';

/**
 * A Fetch body as the core reads a stream: chunk by chunk, and only once the pipeline reads
 * it (its validation stage, after authentication), so a refused request's body is never
 * pulled. Through a reader: a browser's ReadableStream need not be async iterable. A read
 * stopped early (a 413) cancels the stream. A browser whose Request has no `body` stream
 * (Firefox's has none) gives the whole body when it is first read, still after
 * authentication.
 */
export function fetchBody(request: Request): BodySource {
  const body = request.body as ReadableStream<Uint8Array> | null | undefined;
  if (body === null) return { kind: 'bytes', bytes: new Uint8Array(0) };
  if (body === undefined) {
    return {
      kind: 'stream',
      stream: {
        async *[Symbol.asyncIterator]() {
          yield new Uint8Array(await request.arrayBuffer());
        },
      },
    };
  }
  const stream: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      const reader = body.getReader();
      let done = false;
      try {
        for (;;) {
          const next = await reader.read();
          if (next.done) break;
          yield next.value;
        }
        done = true;
      } finally {
        if (done) reader.releaseLock();
        else reader.cancel().catch(() => undefined);
      }
    },
  };
  return { kind: 'stream', stream };
}
