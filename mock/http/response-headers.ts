// The headers a response will carry, as the stages, CORS and the core contribute them. A
// contribution is all anyone can make: only the renderer (render.ts) merges them, once,
// into the response it builds, so no header is written on a response after it is made.

/** A header's value as a response carries it. */
export type HeaderValue = string | number;

/** Headers contributed to one response; the last contribution of a name wins. */
export class ResponseHeaders {
  // Every response has a handful of headers: a plain record, in the order they came.
  private fields: Record<string, HeaderValue> | undefined = {};

  /** `always` go on every response made of these headers, last (the core's X-Request-Id). */
  constructor(private readonly always: Readonly<Record<string, HeaderValue>> = {}) {}

  /** Contributes `name: value` to the response. Throws once the response is made. */
  set(name: string, value: HeaderValue): void {
    if (!this.fields) throw new Error(`header ${name} contributed after the response was made`);
    this.fields[name] = value;
  }

  /**
   * The response's headers: the contributions with `over` on top (an error's own headers),
   * then `content` (the content headers), and `always` last. For the renderer, once: the record becomes
   * the response's own, and no contribution is taken after it.
   */
  merged(over?: Readonly<Record<string, HeaderValue>>, content?: Readonly<Record<string, HeaderValue>>): Record<string, HeaderValue> {
    const out = this.take();
    // Two records, not a rest array: this runs once per request.
    if (over) for (const name in over) out[name] = over[name];
    if (content) for (const name in content) out[name] = content[name];
    for (const name in this.always) out[name] = this.always[name];
    return out;
  }

  /** Only the headers every response carries: for an answer no one will read (a client gone). */
  alone(): Record<string, HeaderValue> {
    this.take();
    return { ...this.always };
  }

  private take(): Record<string, HeaderValue> {
    const fields = this.fields;
    if (!fields) throw new Error('the response was already made from these headers');
    this.fields = undefined;
    return fields;
  }
}
