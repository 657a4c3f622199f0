// The headers a response will carry, as the stages, CORS and the core contribute them. A
// contribution is all anyone can make: only the renderer (render.ts) merges them, once,
// into the response it builds, so no header is written on a response after it is made.

/** A header's value as a response carries it. */
export type HeaderValue = string | number;

/** Headers contributed to one response; the last contribution of a name wins. */
export class ResponseHeaders {
  // Every response has a handful of headers: a plain record, in the order they came.
  private readonly fields: Record<string, HeaderValue> = {};

  /** `always` go on every response made of these headers, last (the core's X-Request-Id). */
  constructor(private readonly always: Readonly<Record<string, HeaderValue>> = {}) {}

  /** Contributes `name: value` to the response. */
  set(name: string, value: HeaderValue): void {
    this.fields[name] = value;
  }

  /**
   * A new record of the contributions with `over` on top (an error's own headers, then the
   * content headers). For the renderer: the one place a response's headers are made.
   */
  merged(...over: ReadonlyArray<Readonly<Record<string, HeaderValue>>>): Record<string, HeaderValue> {
    const out: Record<string, HeaderValue> = { ...this.fields };
    for (const record of over) for (const name in record) out[name] = record[name];
    for (const name in this.always) out[name] = this.always[name];
    return out;
  }

  /** Only the headers every response carries: for an answer no one will read (a client gone). */
  alone(): Record<string, HeaderValue> {
    return { ...this.always };
  }
}
