// RFC 9530 Content-Digest: a dictionary of algorithm to byte sequence, checked against the
// body's bytes. Every entry of an algorithm the policy takes must match, and at least one
// must be there; a body with no Content-Digest at all never matches (an absent header is not
// the digest of an empty body).
import { contentDigest, sameBytes } from './crypto';
import { parseDictionary } from './structured-fields';

export type DigestOutcome = { ok: true } | { ok: false; problem: 'missing' | 'malformed' | 'unsupported' | 'mismatch' };

/** Checks `header` (the Content-Digest field, undefined when absent) against `bytes`. */
export function checkContentDigest(header: string | undefined, bytes: Uint8Array, algorithms: readonly string[]): DigestOutcome {
  if (header === undefined) return bytes.length === 0 ? { ok: true } : { ok: false, problem: 'missing' };
  let dict;
  try {
    dict = parseDictionary(header);
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  let checked = 0;
  for (const [algorithm, member] of dict) {
    if (!algorithms.includes(algorithm)) continue;
    const value = member[0];
    if (!(value instanceof ArrayBuffer)) return { ok: false, problem: 'malformed' };
    const actual = contentDigest(algorithm, bytes);
    if (!actual) return { ok: false, problem: 'unsupported' };
    if (!sameBytes(actual, new Uint8Array(value))) return { ok: false, problem: 'mismatch' };
    checked++;
  }
  return checked > 0 ? { ok: true } : { ok: false, problem: 'unsupported' };
}
