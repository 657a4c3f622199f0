// The part of node's Buffer the core uses (byte lengths, UTF-8, base64url, concat), for the
// browser build of the MSW handlers (scripts/build-browser.mjs), where there is no Buffer.
// Installed as globalThis.Buffer only when none is there.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

type Encoding = 'utf8' | 'utf-8' | 'base64url' | 'base64' | 'hex';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63] + (i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? BASE64[n & 63] : '=');
  }
  return out;
}

function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/-/g, '+').replace(/_/g, '/').replace(/[^A-Za-z0-9+/]/g, '');
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of clean) {
    value = (value << 6) | BASE64.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 255);
    }
  }
  return new Uint8Array(bytes);
}

/** Uint8Array without its static `from`, so the class below can have Buffer's. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Bytes = Uint8Array as unknown as new (...args: any[]) => Uint8Array;

/** A Uint8Array with the Buffer methods the core calls. */
export class BrowserBuffer extends Bytes {
  static from(value: string | ArrayBuffer | ArrayLike<number>, encodingOrOffset?: Encoding | number, length?: number): BrowserBuffer {
    if (typeof value === 'string') {
      const enc = (encodingOrOffset ?? 'utf8') as Encoding;
      const bytes = enc === 'base64url' || enc === 'base64' ? fromBase64(value) : enc === 'hex' ? new Uint8Array((value.match(/../g) ?? []).map((h) => parseInt(h, 16))) : encoder.encode(value);
      return new BrowserBuffer(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    if (value instanceof ArrayBuffer) return new BrowserBuffer(value, (encodingOrOffset as number | undefined) ?? 0, length ?? value.byteLength - ((encodingOrOffset as number | undefined) ?? 0));
    const copy = new BrowserBuffer(value.length);
    copy.set(value as ArrayLike<number>);
    return copy;
  }

  static byteLength(text: string): number {
    return encoder.encode(text).byteLength;
  }

  static isBuffer(value: unknown): value is BrowserBuffer {
    return value instanceof BrowserBuffer;
  }

  static concat(chunks: Uint8Array[], total?: number): BrowserBuffer {
    const out = new BrowserBuffer(total ?? chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c.subarray(0, Math.max(0, out.byteLength - at)), at);
      at += c.byteLength;
    }
    return out;
  }

  static alloc(size: number): BrowserBuffer {
    return new BrowserBuffer(size);
  }

  override toString(encoding: Encoding = 'utf8'): string {
    if (encoding === 'hex') return Array.from(this, (b) => b.toString(16).padStart(2, '0')).join('');
    if (encoding === 'base64') return toBase64(this);
    if (encoding === 'base64url') return toBase64(this).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    return decoder.decode(this);
  }
}

const scope = globalThis as { Buffer?: unknown };
scope.Buffer ??= BrowserBuffer;
